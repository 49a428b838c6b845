package org.mert4j.spark;

/** How the embedding of each file is laid out in the output table. */
public enum OutputLayout {
    /**
     * One {@code embedding array<float>} column holding the kept layers one after another (row-major
     * {@code [layers, hidden]}; for a single layer simply the vector), with {@code layers array<int>} and
     * {@code hidden_size int} saying how to split it.
     */
    ARRAY,
    /** One {@code layer_N array<float>} column per requested layer N (the layers must be given). */
    LAYER_COLUMNS
}
