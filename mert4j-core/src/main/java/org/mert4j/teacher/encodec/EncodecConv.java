package org.mert4j.teacher.encodec;

import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/**
 * EnCodec's Conv1d: pads so that the output has ceil(length / stride) frames, causally (all padding on
 * the left, plus the extra right padding that completes the last frame) or centred, then convolves and,
 * for {@code time_group_norm}, normalises with one group.
 */
final class EncodecConv implements EncodecLayer {
    final Tensor weight;
    final Tensor bias;
    final int stride;
    final int dilation;
    final boolean causal;
    final String padMode;
    final Tensor normWeight;
    final Tensor normBias;

    EncodecConv(EncodecConfig config, EncodecWeights w, String prefix, int in, int out, int kernel, int stride,
            int dilation) {
        this.weight = w.convWeight(prefix + "conv.", out, in, kernel);
        this.bias = w.take(prefix + "conv.bias", out);
        this.stride = stride;
        this.dilation = dilation;
        this.causal = config.useCausalConv();
        this.padMode = config.padMode();
        boolean groupNorm = config.normType().equals("time_group_norm");
        this.normWeight = groupNorm ? w.take(prefix + "norm.weight", out) : null;
        this.normBias = groupNorm ? w.take(prefix + "norm.bias", out) : null;
    }

    int effectiveKernel() {
        return (int) ((weight.size(2) - 1) * dilation + 1);
    }

    @Override
    public Tensor forward(Tensor x) {
        long length = x.size(-1);
        int kernel = effectiveKernel();
        int paddingTotal = kernel - stride;
        long extra = extraPadding(length, kernel, stride, paddingTotal);
        Tensor padded;
        if (causal) {
            padded = pad1d(x, paddingTotal, extra, padMode);
        } else {
            int right = paddingTotal / 2;
            int left = paddingTotal - right;
            padded = pad1d(x, left, right + extra, padMode);
        }
        Tensor y = torch.conv1d(padded, weight, new TensorOptional(bias), new long[] {stride}, new long[] {0},
                new long[] {dilation}, 1);
        if (normWeight != null) {
            y = torch.group_norm(y, 1, new TensorOptional(normWeight), new TensorOptional(normBias), 1e-5, false);
        }
        return y;
    }

    /**
     * Right padding that makes the last window complete. transformers computes the frame count in float32
     * tensor arithmetic; the same float operations here keep long inputs on the same frame count.
     */
    static long extraPadding(long length, int kernel, int stride, int paddingTotal) {
        float frames = (float) (length - kernel + paddingTotal) / (float) stride + 1f;
        long n = (long) Math.ceil(frames) - 1;
        long ideal = n * stride + kernel - paddingTotal;
        return ideal - length;
    }

    /** F.pad that also reflects inputs shorter than the padding, by zero-extending them first (as EnCodec). */
    static Tensor pad1d(Tensor x, long left, long right, String mode) {
        if (!mode.equals("reflect")) {
            String m = mode.equals("zero") ? "constant" : mode;
            return torch.pad(x, new long[] {left, right}, m, new DoubleOptional(0.0));
        }
        long length = x.size(-1);
        long maxPad = Math.max(left, right);
        long extra = 0;
        if (length <= maxPad) {
            extra = maxPad - length + 1;
            x = torch.pad(x, new long[] {0, extra}, "constant", new DoubleOptional(0.0));
        }
        Tensor padded = torch.pad(x, new long[] {left, right}, "reflect", new DoubleOptional());
        return extra == 0 ? padded : padded.narrow(-1, 0, padded.size(-1) - extra);
    }
}
