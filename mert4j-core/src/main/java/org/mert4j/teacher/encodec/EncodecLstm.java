package org.mert4j.teacher.encodec;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/** EnCodec's LSTM over time on the conv layout, with a skip connection: y = LSTM(x) + x. */
final class EncodecLstm implements EncodecLayer {
    private final int dim;
    private final int layers;
    private final TensorVector params = new TensorVector();
    // Java references so the tensors stay alive as long as this layer
    private final Tensor[] kept;

    EncodecLstm(EncodecWeights w, String prefix, int dim, int layers) {
        this.dim = dim;
        this.layers = layers;
        this.kept = new Tensor[layers * 4];
        for (int l = 0; l < layers; l++) {
            kept[4 * l] = w.take(prefix + "lstm.weight_ih_l" + l, 4L * dim, dim);
            kept[4 * l + 1] = w.take(prefix + "lstm.weight_hh_l" + l, 4L * dim, dim);
            kept[4 * l + 2] = w.take(prefix + "lstm.bias_ih_l" + l, 4L * dim);
            kept[4 * l + 3] = w.take(prefix + "lstm.bias_hh_l" + l, 4L * dim);
        }
        for (Tensor t : kept) {
            params.push_back(t);
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor seq = x.permute(2, 0, 1).contiguous(); // [T, B, C]
        long batch = seq.size(1);
        Tensor h0 = torch.zeros(new long[] {layers, batch, dim}, x.options());
        Tensor out = torch.lstm(seq, new TensorVector(h0, h0), params, true, layers, 0.0, false, false, false).get0();
        return out.add(seq).permute(1, 2, 0);
    }
}
