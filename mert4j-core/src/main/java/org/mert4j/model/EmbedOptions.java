package org.mert4j.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * What {@link Embedder} returns. A value: {@code layers} is copied in and out, and compared by content.
 * @param windowSeconds window length (MARBLE: 5 s), or {@code <= 0} for the whole clip at once
 * @param pool          MEAN: time-mean per window, averaged over windows, [layers, H];
 *                      NONE: every frame, windows concatenated in time, [layers, T, H]
 * @param layers        hidden-state indices 0..L to keep (negative ones count back from the last, -1 = L, as in
 *                      Python), or null for all L+1
 * @param batchSize     equal-length windows run together, up to this many
 */
public record EmbedOptions(double windowSeconds, Pool pool, int[] layers, int batchSize) {
    public enum Pool { MEAN, NONE }

    public static final EmbedOptions MARBLE = new EmbedOptions(5.0, Pool.MEAN, null, 1);

    public EmbedOptions {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        if (Double.isInfinite(windowSeconds)) {
            throw new IllegalArgumentException("window length must be finite");
        }
        layers = layers == null ? null : layers.clone();
    }

    /** A copy of the layer indices, or null for all. */
    @Override
    public int[] layers() {
        return layers == null ? null : layers.clone();
    }

    public EmbedOptions withWindow(double seconds) {
        return new EmbedOptions(seconds, pool, layers, batchSize);
    }

    public EmbedOptions withPool(Pool p) {
        return new EmbedOptions(windowSeconds, p, layers, batchSize);
    }

    public EmbedOptions withLayers(int[] l) {
        return new EmbedOptions(windowSeconds, pool, l, batchSize);
    }

    public EmbedOptions withBatchSize(int b) {
        return new EmbedOptions(windowSeconds, pool, layers, b);
    }

    /**
     * The layer indices to keep for a model with {@code numStates} hidden states, negative ones counted back
     * from the last; checks the range.
     */
    public int[] resolveLayers(int numStates) {
        if (layers == null) {
            int[] all = new int[numStates];
            for (int i = 0; i < numStates; i++) {
                all[i] = i;
            }
            return all;
        }
        int[] out = new int[layers.length];
        for (int i = 0; i < layers.length; i++) {
            int l = layers[i] < 0 ? numStates + layers[i] : layers[i];
            if (l < 0 || l >= numStates) {
                throw new IllegalArgumentException("layer " + layers[i] + " does not exist: this model has hidden"
                        + " states 0.." + (numStates - 1) + " (-1 = the last)");
            }
            out[i] = l;
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EmbedOptions e && Double.compare(windowSeconds, e.windowSeconds) == 0 && pool == e.pool
                && Arrays.equals(layers, e.layers) && batchSize == e.batchSize;
    }

    @Override
    public int hashCode() {
        return Objects.hash(windowSeconds, pool, Arrays.hashCode(layers), batchSize);
    }

    @Override
    public String toString() {
        return "EmbedOptions[window=" + (windowSeconds > 0 ? windowSeconds + " s" : "none") + ", pool=" + pool
                + ", layers=" + (layers == null ? "all" : Arrays.toString(layers)) + ", batch=" + batchSize + "]";
    }
}
