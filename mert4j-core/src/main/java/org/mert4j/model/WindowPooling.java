package org.mert4j.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.mert4j.tensor.FloatArray;

/**
 * Pools the per-window outputs of one recording into its features (docs/model.md, "Embedding protocol"):
 * MEAN averages the windows' time-means (summed in double, in window order), NONE concatenates the windows'
 * frames in time. {@link Embedder} and anything that runs windows itself (the HTTP service batching windows of
 * several requests) share it, so both give the same numbers. Not thread-safe.
 */
public final class WindowPooling {
    private final MertConfig config;
    private final int numLayers;
    private final int hidden;
    private final boolean mean;
    private final double[] sum;
    private final List<float[]> frames = new ArrayList<>();
    private long totalFrames;
    private int count;

    /** @param numLayers hidden states kept per window, in the order the outputs hold them */
    public WindowPooling(MertConfig config, int numLayers, EmbedOptions.Pool pool) {
        this.config = config;
        this.numLayers = numLayers;
        this.hidden = config.transformer().hiddenSize();
        this.mean = pool == EmbedOptions.Pool.MEAN;
        this.sum = mean ? new double[numLayers * hidden] : null;
    }

    /**
     * Adds the outputs of {@code windows} consecutive windows of {@code windowSamples} samples each, as
     * {@link Embedder#encodeBatch} returns them: MEAN [windows, layers, H]; NONE [windows, layers, T, H].
     */
    public void add(float[] out, int windows, int windowSamples) {
        if (mean) {
            if (out.length != windows * sum.length) {
                throw new IllegalArgumentException("expected " + windows + " x " + sum.length + " values, got " + out.length);
            }
            for (int b = 0; b < windows; b++) {
                for (int k = 0; k < sum.length; k++) {
                    sum[k] += out[b * sum.length + k];
                }
            }
        } else {
            long t = config.framesFor(windowSamples);
            int per = (int) (numLayers * t * hidden);
            if (out.length != windows * per) {
                throw new IllegalArgumentException("expected " + windows + " x " + per + " values, got " + out.length);
            }
            for (int b = 0; b < windows; b++) {
                frames.add(Arrays.copyOfRange(out, b * per, (b + 1) * per));
                totalFrames += t;
            }
        }
        count += windows;
    }

    /** Windows added so far. */
    public int windows() {
        return count;
    }

    /**
     * The features: MEAN [layers, H]; NONE [layers, T, H] (windows concatenated in time).
     *
     * @param totalSamples the recording's length, for the message when no window was long enough
     * @throws AudioTooShortException when no window was added (the recording is shorter than one frame)
     */
    public FloatArray result(long totalSamples) {
        if (count == 0) {
            throw new AudioTooShortException(totalSamples + " samples (" + String.format("%.4f",
                    totalSamples / (double) config.sampleRate()) + " s at " + config.sampleRate()
                    + " Hz) are too short: one frame needs " + config.receptiveField() + " samples");
        }
        if (mean) {
            float[] out = new float[sum.length];
            for (int k = 0; k < sum.length; k++) {
                out[k] = (float) (sum[k] / count);
            }
            return new FloatArray(out, new long[] {numLayers, hidden});
        }
        return concatFrames();
    }

    private FloatArray concatFrames() {
        long n = numLayers * totalFrames * hidden;
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("frame features of " + totalFrames + " frames x " + numLayers
                    + " layers exceed 2^31 values: pool them (--pool mean) or keep fewer layers");
        }
        float[] out = new float[(int) n];
        long offset = 0; // frames written so far
        for (float[] w : frames) {
            int t = w.length / (numLayers * hidden);
            for (int l = 0; l < numLayers; l++) {
                System.arraycopy(w, l * t * hidden, out, (int) ((l * totalFrames + offset) * hidden), t * hidden);
            }
            offset += t;
        }
        return new FloatArray(out, new long[] {numLayers, totalFrames, hidden});
    }
}
