package org.mert4j.teacher.encodec;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * SEANet encoder of EnCodec, layer for layer as transformers' {@code EncodecEncoder}: a conv, then per
 * ratio (in reverse order) residual blocks, ELU and a strided conv doubling the channels; then the
 * LSTM, ELU and the last conv to {@code hidden_size}. [B, channels, N] -> [B, hidden, ceil(N / hop)].
 */
final class EncodecEncoder {
    private static final EncodecLayer ELU = torch::elu;
    private final List<EncodecLayer> layers = new ArrayList<>();

    EncodecEncoder(EncodecConfig c, EncodecWeights w) {
        String p = "encoder.layers.";
        layers.add(new EncodecConv(c, w, p + "0.", c.audioChannels(), c.numFilters(), c.kernelSize(), 1, 1));
        int scaling = 1;
        int[] ratios = c.upsamplingRatios();
        for (int r = ratios.length - 1; r >= 0; r--) {
            int dim = scaling * c.numFilters();
            for (int j = 0; j < c.numResidualLayers(); j++) {
                int dilation = (int) Math.pow(c.dilationGrowthRate(), j);
                layers.add(new EncodecResnetBlock(c, w, p + layers.size() + ".", dim, dilation));
            }
            layers.add(ELU);
            layers.add(new EncodecConv(c, w, p + layers.size() + ".", dim, dim * 2, ratios[r] * 2, ratios[r], 1));
            scaling *= 2;
        }
        int dim = scaling * c.numFilters();
        layers.add(new EncodecLstm(w, p + layers.size() + ".", dim, c.numLstmLayers()));
        layers.add(ELU);
        layers.add(new EncodecConv(c, w, p + layers.size() + ".", dim, c.hiddenSize(), c.lastKernelSize(), 1, 1));
    }

    Tensor forward(Tensor x) {
        for (EncodecLayer layer : layers) {
            x = layer.forward(x);
        }
        return x;
    }
}
