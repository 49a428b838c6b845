package org.mert4j.probe;

import org.mert4j.tensor.FloatArray;

/**
 * Turns mono audio into probe features: one vector per layer (MERT: L+1 hidden states; signal baselines: one
 * "layer"). Implementations resample to their own rate.
 */
public interface FeatureExtractor extends AutoCloseable {
    /** A short name for reports: "mfcc", "tiny-mert", "preset:tiny". */
    String name();

    /** Changes whenever the features would change (weights, settings): keys the feature cache. */
    String fingerprint();

    /** Number of layers of features. */
    int layers();

    /** Features per layer. */
    int dim();

    /** Time-pooled features of one window of mono audio at {@code sampleRate}: [layers, dim]. */
    FloatArray pooled(float[] mono, int sampleRate);

    /** Frame features of a whole clip: [layers, T, dim], T frames at {@link #frameRate()}. */
    FloatArray frames(float[] mono, int sampleRate);

    /** Frames per second of {@link #frames}. */
    double frameRate();

    @Override
    default void close() {}
}
