package org.mert4j.model;

import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.mert4j.nn.Activation;
import org.mert4j.nn.WeightNormConv1d;
import org.mert4j.nn.cpu.TimeMajorConvLayer;

/**
 * docs/model.md, "Positional convolution": relative position information from a wide grouped
 * convolution over time (kernel 128, padding 64, 16 groups), weight-normalised over the kernel
 * dimension. An even kernel yields T+1 frames, so the last is dropped; then GELU. The caller adds the
 * result to its input.
 */
public final class PositionalConvEmbedding extends Module {
    final WeightNormConv1d conv;
    final boolean dropLast;
    final Activation act;

    public PositionalConvEmbedding(MertConfig c) {
        int k = c.positionalConv().kernel();
        this.conv = register_module("conv", new WeightNormConv1d(c.transformer().hiddenSize(), k, k / 2,
                c.positionalConv().groups(), 2));
        this.dropLast = k % 2 == 0;
        this.act = c.convFront().activation();
    }

    /** [B, T, H] -> [B, T, H] */
    public Tensor forward(Tensor x) {
        Tensor y = conv.forward(x.transpose(1, 2));
        if (dropLast) {
            y = y.narrow(2, 0, y.size(2) - 1);
        }
        return act.apply(y).transpose(1, 2);
    }

    /**
     * As {@link #forward(Tensor)}, with the convolution and its activation run by {@code timeMajor} (a CPU plan's
     * kernel: time-major in and out, the activation applied as it writes); null runs the module's own conv.
     */
    Tensor forward(Tensor x, TimeMajorConvLayer timeMajor) {
        if (timeMajor == null) {
            return forward(x);
        }
        Tensor y = timeMajor.forward(x);
        return dropLast ? y.narrow(1, 0, y.size(1) - 1) : y;
    }
}
