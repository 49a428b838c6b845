package org.mert4j.nn.cpu;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.T_TensorTensorDoubleLong_T;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * y = x W^T + b with dynamic int8 quantisation through FBGEMM: the weight is quantised once (one
 * scale and zero point for the tensor) and packed, activations are quantised per call, products
 * accumulate in int32. Needs a CPU with AVX2. Inference only.
 */
public final class Int8Linear implements AutoCloseable {
    private final Owned owned = new Owned();
    private final Tensor quantized;
    private final Tensor packed;
    private final Tensor colOffsets;
    private final Scalar scale;
    private final Scalar zeroPoint;
    private final Tensor bias;

    /** @param weight [out, in]; @param bias [out], or null for none */
    public Int8Linear(Tensor weight, Tensor bias) {
        T_TensorTensorDoubleLong_T q = torch.fbgemm_linear_quantize_weight(weight.detach().contiguous());
        // get0()/get1() point into the tuple, which is freed with it: take owning copies of the handles
        this.quantized = owned.keep(new Tensor(q.get0()));
        this.colOffsets = owned.keep(new Tensor(q.get1()));
        this.scale = owned.keep(new Scalar(q.get2()));
        this.zeroPoint = owned.keep(new Scalar(q.get3()));
        this.packed = owned.keep(torch.fbgemm_pack_quantized_matrix(quantized));
        this.bias = owned.keep(bias != null ? bias.detach().contiguous() : torch.zeros(weight.size(0)));
    }

    /** [..., in] -> [..., out] */
    public Tensor forward(Tensor x) {
        return torch.fbgemm_linear_int8_weight_fp32_activation(x, quantized, packed, colOffsets, scale, zeroPoint, bias);
    }

    @Override
    public void close() {
        owned.close();
    }
}
