package org.mert4j.nn;

import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/** Layer normalisation over the last dimension, with affine {@code weight} and {@code bias}. */
public final class LayerNorm extends Module {
    public final int size;
    public final double eps;
    public final Tensor weight;
    public final Tensor bias;

    public LayerNorm(int size, double eps) {
        this.size = size;
        this.eps = eps;
        this.weight = new Tensor(register_parameter("weight", torch.ones(size)));
        this.bias = new Tensor(register_parameter("bias", torch.zeros(size)));
    }

    /** [..., size] -> [..., size] */
    public Tensor forward(Tensor x) {
        return torch.layer_norm(x, new long[] {size}, new TensorOptional(weight), new TensorOptional(bias), eps, true);
    }
}
