package org.mert4j.nn;

import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/** Group normalisation of [B, C, T] over (channels of a group, time), affine per channel. */
public final class GroupNorm extends Module {
    public final int groups;
    public final int channels;
    public final double eps;
    public final Tensor weight;
    public final Tensor bias;

    public GroupNorm(int groups, int channels, double eps) {
        if (channels % groups != 0) {
            throw new IllegalArgumentException(channels + " channels do not split into " + groups + " groups");
        }
        this.groups = groups;
        this.channels = channels;
        this.eps = eps;
        this.weight = new Tensor(register_parameter("weight", torch.ones(channels)));
        this.bias = new Tensor(register_parameter("bias", torch.zeros(channels)));
    }

    /** [B, C, T] -> [B, C, T] */
    public Tensor forward(Tensor x) {
        return torch.group_norm(x, groups, new TensorOptional(weight), new TensorOptional(bias), eps, true);
    }
}
