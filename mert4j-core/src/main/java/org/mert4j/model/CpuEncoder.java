package org.mert4j.model;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.mert4j.nn.Linear;
import org.mert4j.nn.cpu.InferenceLinear;
import org.mert4j.nn.cpu.InferenceLinear.Kernel;
import org.mert4j.nn.cpu.OneDnnConv;
import org.mert4j.nn.cpu.OneDnnLinear;
import org.mert4j.nn.cpu.TimeMajorConvLayer;

/**
 * The CPU inference plan of a {@link MertEncoder}: kernels chosen once when the plan is built
 * (docs/performance.md says why each exists), run in the encoder's own forward structure
 * ({@link MertEncoder#forward(Tensor, EncoderKernels, boolean)}), so that norms, the residual structure,
 * attention and the hidden states are the plain modules' and exist once. fp32 Linears run on oneDNN
 * with q, k and v stacked and GELU fused; the conv front runs time-major with GroupNorm folded into its
 * first layer ({@link CpuConvFront}); the positional conv keeps its weight-norm weight; with int8,
 * FBGEMM packs replace the transformer's Linears and the later conv layers.
 *
 * <p>A snapshot: what it derives from the weights (stacked q/k/v, the weight-norm weight, int8 packs)
 * is computed when it is built, so weights changed afterwards need a new plan. It owns that memory
 * and frees it on {@link #close()}; it must not outlive the encoder it was built from. Inference only
 * (no dropout, no gradients: oneDNN's and FBGEMM's operators have no autograd formula); thread-safe.
 */
final class CpuEncoder implements WaveformEncoder, AutoCloseable {
    private final MertEncoder plain;
    private final CpuConvFront convFront;
    private final TimeMajorConvLayer positional; // null: the plain positional conv, channel-major
    private final List<InferenceLinear> linears = new ArrayList<>(); // every product built here
    private final EncoderKernels kernels;

    CpuEncoder(MertEncoder plain, CpuInferenceOptions options) {
        this.plain = plain;
        boolean oneDnn = options.oneDnn() && OneDnnLinear.available();
        Kernel fp32 = oneDnn ? Kernel.ONEDNN : Kernel.TORCH;
        Kernel transformerKernel = options.int8() ? Kernel.INT8 : fp32;
        try (NoGradGuard guard = new NoGradGuard()) {
            this.convFront = new CpuConvFront(plain.featureExtractor(), options);
            // the feature projection stays fp32: it is one Linear, and int8 there would cost fidelity
            InferenceLinear projection = linear(plain.featureProjection().projection, fp32);
            PositionalConvEmbedding pos = plain.transformer().posConv;
            this.positional = options.oneDnn() && OneDnnConv.available()
                    ? TimeMajorConvLayer.keptWeightNorm(pos.conv, pos.act) : null;
            List<LayerKernels> layers = new ArrayList<>();
            for (TransformerLayer layer : plain.transformer().layers) {
                layers.add(layerKernels(layer, transformerKernel));
            }
            this.kernels = new EncoderKernels(convFront::forward, projection, positional, List.copyOf(layers));
        }
    }

    /**
     * A layer's Linears on {@code kernel}. On oneDNN q, k and v become one stacked product (a copy: 7 MB a
     * layer of 95M), and the intermediate product applies GELU as it writes.
     */
    private LayerKernels layerKernels(TransformerLayer layer, Kernel kernel) {
        SelfAttention a = layer.attention;
        FeedForward f = layer.feedForward;
        if (kernel == Kernel.ONEDNN) {
            InferenceLinear qkv = InferenceLinear.stacked(kernel, a.q, a.k, a.v);
            linears.add(qkv);
            return LayerKernels.stacked(qkv, linear(a.out, kernel), linear(f.intermediate, kernel),
                    linear(f.output, kernel));
        }
        return LayerKernels.separate(linear(a.q, kernel), linear(a.k, kernel), linear(a.v, kernel),
                linear(a.out, kernel), linear(f.intermediate, kernel), linear(f.output, kernel));
    }

    private InferenceLinear linear(Linear l, Kernel kernel) {
        InferenceLinear built = InferenceLinear.of(l, kernel);
        linears.add(built);
        return built;
    }

    @Override
    public MertConfig config() {
        return plain.config();
    }

    /** As {@link MertEncoder#forward(Tensor)}, in eval mode. */
    @Override
    public List<Tensor> forward(Tensor wave) {
        return plain.forward(wave, kernels, false);
    }

    /** The conv front alone: [B, N] waveform -> [B, T, C] features. */
    Tensor convFeatures(Tensor wave) {
        return convFront.forward(wave);
    }

    @Override
    public void close() {
        convFront.close();
        if (positional != null) {
            positional.close();
        }
        linears.forEach(InferenceLinear::close);
    }
}
