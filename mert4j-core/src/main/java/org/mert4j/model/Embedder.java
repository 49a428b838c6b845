package org.mert4j.model;

import java.util.ArrayList;
import java.util.Arrays;
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
        int h = c.transformer().hiddenSize();
        boolean mean = options.pool() == EmbedOptions.Pool.MEAN;
        double[] sum = new double[layers.length * h];
        List<float[]> frames = new ArrayList<>();
        long totalFrames = 0;
        int count = 0;
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
                float[] out = runBatch(batch, layers, mean); // MEAN: [b, layers, H]; NONE: [b, layers, T, H]
                if (mean) {
                    for (int b = 0; b < batch.size(); b++) {
                        for (int k = 0; k < sum.length; k++) {
                            sum[k] += out[b * sum.length + k];
                        }
                    }
                } else {
                    long t = c.framesFor(len);
                    int per = (int) (layers.length * t * h);
                    for (int b = 0; b < batch.size(); b++) {
                        frames.add(Arrays.copyOfRange(out, b * per, (b + 1) * per));
                        totalFrames += t;
                    }
                }
                count += batch.size();
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
        if (count == 0) {
            long n = windows.totalSamples();
            throw new IllegalArgumentException(n + " samples (" + String.format("%.4f", n / (double) c.sampleRate())
                    + " s at " + c.sampleRate() + " Hz) are too short: one frame needs " + c.receptiveField()
                    + " samples");
        }
        if (mean) {
            float[] out = new float[sum.length];
            for (int k = 0; k < sum.length; k++) {
                out[k] = (float) (sum[k] / count);
            }
            return new FloatArray(out, new long[] {layers.length, h});
        }
        return concatFrames(frames, layers.length, totalFrames, h);
    }

    /** Encoder on a batch of equal-length windows: per window either time-means [layers, H] or frames [layers, T, H]. */
    private float[] runBatch(List<float[]> batch, int[] layers, boolean mean) {
        int len = batch.get(0).length;
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

    private static FloatArray concatFrames(List<float[]> windows, int numLayers, long totalFrames, int h) {
        long n = numLayers * totalFrames * h;
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("frame features of " + totalFrames + " frames x " + numLayers
                    + " layers exceed 2^31 values: pool them (--pool mean) or keep fewer layers");
        }
        float[] out = new float[(int) n];
        long offset = 0; // frames written so far
        for (float[] w : windows) {
            int t = w.length / (numLayers * h);
            for (int l = 0; l < numLayers; l++) {
                System.arraycopy(w, l * t * h, out, (int) ((l * totalFrames + offset) * h), t * h);
            }
            offset += t;
        }
        return new FloatArray(out, new long[] {numLayers, totalFrames, h});
    }
}
