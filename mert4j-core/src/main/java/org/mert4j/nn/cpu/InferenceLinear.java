package org.mert4j.nn.cpu;

import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.mert4j.nn.Activation;
import org.mert4j.nn.Linear;
import org.mert4j.nn.LinearKernel;

/**
 * A {@link Linear} for CPU inference, its kernel chosen once when it is built. It uses the Linear's
 * fp32 weight as it is, so it must not outlive that Linear; what it derives (a stacked weight, int8
 * packs) it owns and frees on {@link #close()}.
 */
public final class InferenceLinear implements LinearKernel, AutoCloseable {
    /** The kernels a product can run on. */
    public enum Kernel {
        /** fp32 on oneDNN ({@link OneDnnLinear}): libtorch's OpenMP pool, not OpenBLAS's. */
        ONEDNN,
        /** Dynamic int8 on FBGEMM ({@link Int8Linear}). */
        INT8,
        /** fp32 {@code torch.linear} as the plain Linear runs it (OpenBLAS). */
        TORCH
    }

    private final Owned owned = new Owned();
    private final Kernel kernel;
    private final Tensor weight;
    private final Tensor bias;
    private final Int8Linear int8;

    private InferenceLinear(Kernel kernel, Tensor weight, Tensor bias) {
        if (kernel == Kernel.ONEDNN && !OneDnnLinear.available()) {
            throw new IllegalStateException("this libtorch has no oneDNN linear operator");
        }
        this.kernel = kernel;
        this.weight = weight;
        this.bias = bias;
        this.int8 = kernel == Kernel.INT8 ? new Int8Linear(weight, bias) : null;
    }

    public static InferenceLinear of(Linear linear, Kernel kernel) {
        return new InferenceLinear(kernel, linear.weight, linear.bias);
    }

    /**
     * Linears that read the same input, as one product whose outputs lie side by side
     * ([..., sum of their outputs]): one product three times as wide runs closer to the machine's peak
     * than three (attention's q, k and v: 10.1 -> 8.2 ms a layer of 95M). The stacked weight is a copy.
     */
    public static InferenceLinear stacked(Kernel kernel, Linear... linears) {
        boolean biased = linears[0].bias != null;
        TensorVector weights = new TensorVector();
        TensorVector biases = new TensorVector();
        for (Linear l : linears) {
            if ((l.bias != null) != biased || l.inFeatures != linears[0].inFeatures) {
                throw new IllegalArgumentException("stacked Linears must share their input size and all have a bias"
                        + " or none");
            }
            weights.push_back(l.weight);
            if (biased) {
                biases.push_back(l.bias);
            }
        }
        try (NoGradGuard guard = new NoGradGuard()) {
            InferenceLinear s = new InferenceLinear(kernel, torch.cat(weights, 0), biased ? torch.cat(biases, 0) : null);
            s.owned.keep(s.weight);
            if (biased) {
                s.owned.keep(s.bias);
            }
            return s;
        }
    }

    /** [..., in] -> [..., out] */
    @Override
    public Tensor forward(Tensor x) {
        return switch (kernel) {
            case ONEDNN -> OneDnnLinear.apply(x, weight, bias);
            case INT8 -> int8.forward(x);
            case TORCH -> bias == null ? torch.linear(x, weight) : torch.linear(x, weight, new TensorOptional(bias));
        };
    }

    /**
     * {@code activation(forward(x))}; on oneDNN an exact GELU is applied as the product is written (one
     * pass over the output less). A null activation is the identity.
     */
    @Override
    public Tensor forward(Tensor x, Activation activation) {
        if (activation == Activation.GELU && kernel == Kernel.ONEDNN) {
            return OneDnnLinear.applyGelu(x, weight, bias);
        }
        Tensor y = forward(x);
        return activation == null ? y : activation.apply(y);
    }

    @Override
    public void close() {
        if (int8 != null) {
            int8.close();
        }
        owned.close();
    }
}
