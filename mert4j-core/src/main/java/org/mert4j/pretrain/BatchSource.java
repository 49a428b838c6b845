package org.mert4j.pretrain;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An endless, deterministic stream of pretraining batches whose position can be saved and restored,
 * so that a resumed run sees exactly the batches an uninterrupted one would have seen.
 */
public interface BatchSource extends AutoCloseable {
    PretrainBatch next();

    /** The position to resume from (what {@link #next()} would return next). */
    ObjectNode position();

    /** Moves to a position from {@link #position()}. */
    void seek(ObjectNode position);

    /** Seconds the trainer spent waiting for batches so far (0 when the loader keeps ahead). */
    default double waitSeconds() {
        return 0;
    }

    /** Classes of each label stream, in order. */
    int[] classes();

    @Override
    default void close() {}
}
