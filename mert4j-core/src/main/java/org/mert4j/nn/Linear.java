package org.mert4j.nn;

import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.GradMode;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.T_TensorTensorDoubleLong_T;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/** y = x W^T + b. Parameters {@code weight} [out, in] and {@code bias} [out], as in PyTorch. */
public final class Linear extends Module {
    public final int inFeatures;
    public final int outFeatures;
    public final Tensor weight;
    public final Tensor bias;
    private Int8Weight int8;

    /** FBGEMM's packed int8 copy of the weight: per-tensor scale and zero point, column offsets. */
    private record Int8Weight(Tensor quantized, Tensor packed, Tensor colOffsets, Scalar scale, Scalar zeroPoint,
                              Tensor bias) {}

    public Linear(int inFeatures, int outFeatures, boolean bias) {
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        // BERT-style init used by Hugging Face for Hubert: N(0, 0.02), zero bias
        this.weight = new Tensor(register_parameter("weight", torch.empty(outFeatures, inFeatures).normal_(0, 0.02, new GeneratorOptional())));
        this.bias = bias ? new Tensor(register_parameter("bias", torch.zeros(outFeatures))) : null;
    }

    /**
     * Dynamic int8 quantisation for CPU inference: the weight is quantised once (per tensor), activations
     * are quantised per call by FBGEMM and the product accumulates in int32. Training and non-CPU tensors
     * keep using the fp32 weight, which stays in place. Needs a CPU with AVX2.
     */
    public void quantizeDynamicInt8() {
        if (int8 != null) {
            return;
        }
        T_TensorTensorDoubleLong_T q = torch.fbgemm_linear_quantize_weight(weight.detach().contiguous());
        // get0()/get1() point into the tuple, which is freed with it: take owning copies of the handles
        Tensor quantized = new Tensor(q.get0());
        Tensor colOffsets = new Tensor(q.get1());
        Tensor packed = torch.fbgemm_pack_quantized_matrix(quantized);
        Tensor b = bias != null ? bias.detach().contiguous() : torch.zeros(outFeatures);
        int8 = new Int8Weight(quantized.retainReference(), packed.retainReference(), colOffsets.retainReference(),
                new Scalar(q.get2()).retainReference(), new Scalar(q.get3()).retainReference(), b.retainReference());
    }

    public boolean isQuantized() {
        return int8 != null;
    }

    /**
     * [..., in] -> [..., out]. CPU inference (eval mode, no gradient recording) runs int8 through FBGEMM
     * once quantised, else fp32 through oneDNN ({@link OneDnnLinear}); everything else is torch.linear.
     */
    public Tensor forward(Tensor x) {
        return forward(x, null);
    }

    /**
     * {@code activation(forward(x))}; on the CPU in fp32 inference oneDNN applies an exact GELU as it
     * writes the product (one pass over the output less). A null activation is the identity.
     */
    public Tensor forward(Tensor x, Activation activation) {
        if (activation == Activation.GELU && runsOnOneDnn(x)) {
            return OneDnnLinear.applyGelu(x, weight, bias);
        }
        Tensor y = product(x);
        return activation == null ? y : activation.apply(y);
    }

    /** Whether {@link #forward} would run x through oneDNN in fp32 (CPU inference, not quantised). */
    public boolean runsOnOneDnn(Tensor x) {
        return int8 == null && oneDnnInference(x);
    }

    private boolean cpuInference(Tensor x) {
        return !is_training() && !x.is_cuda() && !GradMode.is_enabled();
    }

    private boolean oneDnnInference(Tensor x) {
        return OneDnnLinear.available() && CpuInference.fp32(this, x, weight);
    }

    private Tensor product(Tensor x) {
        if (int8 != null && cpuInference(x)) {
            return torch.fbgemm_linear_int8_weight_fp32_activation(x, int8.quantized, int8.packed, int8.colOffsets,
                    int8.scale, int8.zeroPoint, int8.bias);
        }
        if (runsOnOneDnn(x)) {
            return OneDnnLinear.apply(x, weight, bias);
        }
        return bias == null ? torch.linear(x, weight) : torch.linear(x, weight, new TensorOptional(bias));
    }
}
