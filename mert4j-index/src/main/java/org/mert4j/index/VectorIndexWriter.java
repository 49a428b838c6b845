package org.mert4j.index;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Builds a similarity index of track embeddings in a folder: {@link #add} each track, then {@link #close}
 * builds what the index needs and writes {@link IndexMetadata} last, so that an interrupted build is never
 * taken for an index.
 */
public interface VectorIndexWriter extends AutoCloseable {

    /**
     * Creates (or replaces) an index in {@code dir}.
     * @param model  model folder or Hub id recorded for queries, or null
     * @param source what the vectors come from, recorded in the metadata
     * @param kind   {@link IvfParams} or {@link HnswParams}: which index, with its settings
     */
    static VectorIndexWriter create(Path dir, int dimension, int layer, String model, String source, IndexParams kind)
            throws IOException {
        if (dimension < 1 || dimension > 4096) {
            throw new IllegalArgumentException("vector dimension must be in 1..4096, got " + dimension);
        }
        if (kind instanceof ShardsParams) {
            throw new IllegalArgumentException("a sharded index is made of shards built on their own: see ShardedIndex");
        }
        IndexMetadata template = new IndexMetadata(model, layer, dimension, 0, source, kind);
        return kind instanceof IvfParams ? new IvfIndexWriter(dir, template) : new HnswIndexWriter(dir, template);
    }

    /** Adds one track; keys must be unique and vectors finite, non-zero and of the index's dimension. */
    void add(String track, float[] vector) throws IOException;

    /** Tracks added so far. */
    long count();

    @Override
    void close() throws IOException;

    /**
     * Refuses a vector that cannot be indexed under cosine similarity, naming the track.
     * @return its squared length
     */
    static double checkVector(String track, float[] vector, int dimension) {
        if (vector.length != dimension) {
            throw new IllegalArgumentException(track + ": vector has " + vector.length + " values, the index holds "
                    + dimension);
        }
        double norm = 0;
        for (float v : vector) {
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException(track + ": vector holds a non-finite value (" + v + ")");
            }
            norm += (double) v * v;
        }
        if (norm == 0) {
            throw new IllegalArgumentException(track + ": vector is all zeros, cosine similarity is undefined");
        }
        return norm;
    }
}
