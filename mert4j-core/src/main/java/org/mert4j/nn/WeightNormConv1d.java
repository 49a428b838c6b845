package org.mert4j.nn;

import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/**
 * Conv1d whose weight is re-parametrised as w = g * v / ||v|| with the norm taken over every
 * dimension but {@code normDim} (PyTorch's {@code weight_norm(conv, dim=normDim)}).
 * Parameters: {@code weight_g} (size 1 except along normDim), {@code weight_v} [out, in/groups, k], {@code bias}.
 */
public final class WeightNormConv1d extends Module {
    public final int channels;
    public final int kernel;
    public final int padding;
    public final int groups;
    public final int normDim;
    public final Tensor weightG;
    public final Tensor weightV;
    public final Tensor bias;

    public WeightNormConv1d(int channels, int kernel, int padding, int groups, int normDim) {
        this.channels = channels;
        this.kernel = kernel;
        this.padding = padding;
        this.groups = groups;
        this.normDim = normDim;
        // fairseq/Hugging Face init of the positional conv: N(0, sqrt(4 / (k * C))), g = ||v||
        double std = Math.sqrt(4.0 / ((double) kernel * channels));
        Tensor v = torch.empty(channels, channels / groups, kernel).normal_(0, std, new GeneratorOptional());
        // g from v before v becomes a parameter: g must be a leaf, not a function of v
        Tensor g = torch.norm_except_dim(v, 2, normDim);
        this.weightV = new Tensor(register_parameter("weight_v", v));
        this.weightG = new Tensor(register_parameter("weight_g", g));
        this.bias = new Tensor(register_parameter("bias", torch.zeros(channels)));
    }

    /** The effective convolution weight g * v / ||v||. */
    public Tensor weight() {
        return weightV.mul(weightG.div(torch.norm_except_dim(weightV, 2, normDim)));
    }

    /** [B, C, T] -> [B, C, T + 2 padding - kernel + 1] */
    public Tensor forward(Tensor x) {
        return torch.conv1d(x, weight(), new TensorOptional(bias), new long[] {1}, new long[] {padding},
                new long[] {1}, groups);
    }
}
