package org.mert4j.teacher.encodec;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** SEANet residual block: shortcut(x) + conv1x1(elu(conv_k,dilated(elu(x)))), the hidden width dim / compress. */
final class EncodecResnetBlock implements EncodecLayer {
    private final EncodecConv first;
    private final EncodecConv second;
    private final EncodecConv shortcut;

    EncodecResnetBlock(EncodecConfig config, EncodecWeights w, String prefix, int dim, int dilation) {
        int hidden = dim / config.compress();
        this.first = new EncodecConv(config, w, prefix + "block.1.", dim, hidden, config.residualKernelSize(), 1, dilation);
        this.second = new EncodecConv(config, w, prefix + "block.3.", hidden, dim, 1, 1, 1);
        this.shortcut = config.useConvShortcut() ? new EncodecConv(config, w, prefix + "shortcut.", dim, dim, 1, 1, 1) : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor h = second.forward(torch.elu(first.forward(torch.elu(x))));
        return (shortcut == null ? x : shortcut.forward(x)).add(h);
    }
}
