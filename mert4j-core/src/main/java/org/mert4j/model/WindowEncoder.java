package org.mert4j.model;

import java.util.List;

/**
 * What {@link FileEmbedder} runs its batches of equal-length windows on: the model itself
 * ({@link #of(Embedder)}), or a queue that batches the windows of many callers together (the HTTP service).
 */
public interface WindowEncoder {
    /**
     * Starts the encoder on one batch of equal-length windows (mono, at the model's rate, not normalised).
     *
     * @param layers hidden-state indices 0..L, resolved
     */
    Batch submit(List<float[]> windows, int[] layers, EmbedOptions.Pool pool);

    /** A submitted batch. */
    interface Batch {
        /**
         * Per window, one after another, the outputs of the layers asked for, as {@link Embedder#encodeBatch}
         * gives them: MEAN [windows, layers, H], NONE [windows, layers, T, H]. Waits for them if needed.
         */
        float[] await();

        /** Gives the batch up: its caller failed or left before taking the outputs. */
        default void cancel() {
        }
    }

    /** The model, run at once on the caller's thread. */
    static WindowEncoder of(Embedder embedder) {
        return (windows, layers, pool) -> {
            float[] out = embedder.encodeBatch(windows, layers, pool == EmbedOptions.Pool.MEAN);
            return () -> out;
        };
    }
}
