package org.mert4j.teacher;

import org.bytedeco.pytorch.Tensor;

/**
 * Frame features a k-means teacher clusters (MFCC, log-mel, chroma, hidden states of a model): a pure
 * function of mono audio at {@link #sampleRate}. Implementations may hold a model; close releases it.
 */
public interface TeacherFeatures extends AutoCloseable {
    /** Short name used in stream and file names: mfcc, logmel, chroma, hubert_l6. */
    String name();

    /** The rate {@link #features} wants its input at. */
    int sampleRate();

    /** Feature frames per second. */
    double frameRate();

    /** Features of mono audio at {@link #sampleRate}: float [T, D] on any device. */
    Tensor features(float[] mono);

    @Override
    default void close() {
    }
}
