package org.mert4j.model;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.InferenceMode;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.mert4j.audio.Preprocess;
import org.mert4j.tensor.FloatArray;
import org.mert4j.tensor.Tensors;

/**
 * Turns a waveform at the model's rate into features (docs/model.md, "Embedding protocol"): cut into
 * windows, normalise each window if the preprocessor says so (each window is one clip to the model, as
 * the Hugging Face feature extractor would see it), run the encoder on batches of equal-length windows,
 * then keep the requested layers and pool. Thread-safe: the encoder is only read.
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
     * @param wave mono samples at the model's sample rate
     * @return MEAN: [layers, H]; NONE: [layers, T, H] (windows concatenated in time)
     */
    public FloatArray embed(float[] wave, EmbedOptions options) {
        return embed(WindowSource.of(wave, encoder.config().sampleRate(), options.windowSeconds()), options, null);
    }

    /**
     * Features of the windows of one recording, taken from {@code windows} one at a time, so only the
     * current batch is in memory: the same result as {@link #embed(float[], EmbedOptions)} on the whole
     * recording (the same windows, normalisation and batches). {@code options.windowSeconds()} is not
     * used: the source has cut the windows already.
     *
     * @param progress told the samples of the windows run so far after each batch, or null
     * @return MEAN: [layers, H]; NONE: [layers, T, H] (windows concatenated in time)
     */
    public FloatArray embed(WindowSource windows, EmbedOptions options, LongConsumer progress) {
        MertConfig c = encoder.config();
        int[] layers = options.resolveLayers(c.transformer().numLayers() + 1);
        boolean mean = options.pool() == EmbedOptions.Pool.MEAN;
        WindowPooling pooling = new WindowPooling(c, layers.length, options.pool());
        long done = 0;
        // Consecutive windows of equal length run together, up to batchSize of them.
        List<float[]> batch = new ArrayList<>();
        for (float[] w = windows.next(); ; w = windows.next()) {
            if (w != null && c.framesFor(w.length) <= 0) {
                continue; // only a final remnant can be shorter than one frame
            }
            boolean full = !batch.isEmpty() && (w == null || batch.size() == options.batchSize()
                    || w.length != batch.get(0).length);
            if (full) {
                int len = batch.get(0).length;
                pooling.add(encodeBatch(batch, layers, mean), batch.size(), len);
                done += (long) batch.size() * len;
                batch.clear();
                if (progress != null) {
                    progress.accept(done);
                }
            }
            if (w == null) {
                break;
            }
            batch.add(w);
        }
        return pooling.result(windows.totalSamples());
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
