package org.mert4j.nn;

import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/** 1-D convolution with zero padding; {@code weight} [out, in/groups, kernel], optional {@code bias} [out]. */
public final class Conv1d extends Module {
    public final int inChannels;
    public final int outChannels;
    public final int kernel;
    public final int stride;
    public final int padding;
    public final int groups;
    public final Tensor weight;
    public final Tensor bias;

    public Conv1d(int inChannels, int outChannels, int kernel, int stride, int padding, int groups, boolean bias) {
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.groups = groups;
        // Kaiming-normal init as Hugging Face gives Hubert's conv layers
        double std = Math.sqrt(2.0 / ((double) (inChannels / groups) * kernel));
        this.weight = new Tensor(register_parameter("weight",
                torch.empty(outChannels, inChannels / groups, kernel).normal_(0, std, new GeneratorOptional())));
        this.bias = bias ? new Tensor(register_parameter("bias", torch.zeros(outChannels))) : null;
    }

    /** [B, in, N] -> [B, out, floor((N + 2 padding - kernel) / stride) + 1] */
    public Tensor forward(Tensor x) {
        TensorOptional b = bias == null ? new TensorOptional() : new TensorOptional(bias);
        return torch.conv1d(x, weight, b, new long[] {stride}, new long[] {padding}, new long[] {1}, groups);
    }
}
