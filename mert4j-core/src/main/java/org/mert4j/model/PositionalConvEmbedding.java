package org.mert4j.model;

import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.mert4j.nn.Activation;
import org.mert4j.nn.CpuInference;
import org.mert4j.nn.OneDnnConv;
import org.mert4j.nn.WeightNormConv1d;

/**
 * SPEC 1.2 step 3: relative position information from a wide grouped convolution over time
 * (kernel 128, padding 64, 16 groups), weight-normalised over the kernel dimension. An even kernel
 * yields T+1 frames, so the last is dropped; then GELU. The caller adds the result to its input.
 */
public final class PositionalConvEmbedding extends Module {
    private final WeightNormConv1d conv;
    private final boolean dropLast;
    private final Activation act;

    public PositionalConvEmbedding(MertConfig c) {
        int k = c.numConvPosEmbeddings();
        this.conv = register_module("conv",
                new WeightNormConv1d(c.hiddenSize(), k, k / 2, c.numConvPosEmbeddingGroups(), 2));
        this.dropLast = k % 2 == 0;
        this.act = Activation.of(c.featExtractActivation());
    }

    public WeightNormConv1d conv() {
        return conv;
    }

    /** [B, T, H] -> [B, T, H] */
    public Tensor forward(Tensor x) {
        if (oneDnnInference(x)) {
            // time-major in and out, GELU applied as oneDNN writes
            boolean fuseGelu = act == Activation.GELU;
            Tensor y = OneDnnConv.timeMajor(x, conv.weight(), conv.bias, 1, conv.padding, conv.groups, fuseGelu);
            if (dropLast) {
                y = y.narrow(1, 0, y.size(1) - 1);
            }
            return fuseGelu ? y : act.apply(y);
        }
        Tensor y = conv.forward(x.transpose(1, 2));
        if (dropLast) {
            y = y.narrow(2, 0, y.size(2) - 1);
        }
        return act.apply(y).transpose(1, 2);
    }

    private boolean oneDnnInference(Tensor x) {
        return OneDnnConv.available() && CpuInference.fp32(this, x, conv.weightV);
    }
}
