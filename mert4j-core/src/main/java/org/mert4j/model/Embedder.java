package org.mert4j.model;

import java.util.List;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.InferenceMode;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.mert4j.audio.Preprocess;
import org.mert4j.tensor.Tensors;

/**
 * Runs the encoder on a batch of equal-length windows (docs/model.md, "Embedding protocol"): normalises each
 * window if the preprocessor says so (each window is one clip to the model, as the Hugging Face feature
 * extractor would see it), then keeps the requested layers, time-means or frames. {@link FileEmbedder} cuts
 * the windows and pools. Thread-safe: the encoder is only read.
 */
public final class Embedder {
    private final WaveformEncoder encoder;
    private final Device device;
    private final boolean normalize;

    public Embedder(WaveformEncoder encoder, Device device, boolean normalize) {
        this.encoder = encoder;
        this.device = device;
        this.normalize = normalize;
    }

    /**
     * The encoder on a batch of equal-length windows (mono, at the model's rate, as {@link WindowPlan} cuts
     * them; normalised here if the preprocessor says so): per window either the time-means [layers, H]
     * ({@code mean}) or the frames [layers, T, H], windows one after another. What {@link WindowPooling} adds.
     * Shapes are checked here, before libtorch sees them.
     *
     * @param layers hidden-state indices 0..L, resolved
     */
    public float[] encodeBatch(List<float[]> batch, int[] layers, boolean mean) {
        MertConfig c = encoder.config();
        if (batch.isEmpty()) {
            throw new IllegalArgumentException("a batch needs at least one window");
        }
        int len = batch.get(0).length;
        if (c.framesFor(len) <= 0) {
            throw new IllegalArgumentException("windows of " + len + " samples are shorter than one frame ("
                    + c.receptiveField() + " samples)");
        }
        if ((long) batch.size() * len > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(batch.size() + " windows of " + len + " samples are too many for one batch");
        }
        for (float[] w : batch) {
            if (w.length != len) {
                throw new IllegalArgumentException("windows of one batch must have equal lengths, got " + len
                        + " and " + w.length);
            }
        }
        for (int l : layers) {
            if (l < 0 || l > c.transformer().numLayers()) {
                throw new IllegalArgumentException("layer " + l + " does not exist: hidden states are 0.."
                        + c.transformer().numLayers());
            }
        }
        float[] input = new float[batch.size() * len];
        for (int b = 0; b < batch.size(); b++) {
            float[] w = normalize ? Preprocess.normalize(batch.get(b)) : batch.get(b);
            System.arraycopy(w, 0, input, b * len, len);
        }
        try (PointerScope scope = new PointerScope(); InferenceMode guard = new InferenceMode()) {
            Tensor x = Tensors.fromFloats(input, batch.size(), len).to(device, torch.ScalarType.Float);
            List<Tensor> states = encoder.forward(x);
            TensorVector picked = new TensorVector();
            for (int l : layers) {
                Tensor s = states.get(l); // [B, T, H]
                picked.push_back(mean ? s.mean(1) : s);
            }
            // [layers, B, ...] -> [B, layers, ...]
            return Tensors.toFloats(torch.stack(picked, 0).transpose(0, 1));
        }
    }
}
