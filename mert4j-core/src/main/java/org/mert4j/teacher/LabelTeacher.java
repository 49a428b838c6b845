package org.mert4j.teacher;

import java.util.List;
import java.util.Map;

/**
 * Turns a clip into the frame labels MERT learns to predict (docs/pretraining.md, "Objective"): one or more
 * streams (8 for an 8-codebook EnCodec or RVQ teacher), each with one label per encoder frame.
 * Implementations are registered by name in {@link Teachers}.
 */
public interface LabelTeacher extends AutoCloseable {
    /** The registry name: mfcc-kmeans, hubert-kmeans, ... */
    String name();

    /** The rate of the audio {@link #labels} takes (the manifest's rate). */
    int sampleRate();

    /** Encoder frames per second the labels are at (75 for 24 kHz models, 50 for 16 kHz). */
    double frameRate();

    List<LabelStream> streams();

    /** Settings to record in labels.json (k-means files, layer, k). */
    Map<String, String> params();

    /**
     * Labels of mono audio at {@link #sampleRate}: [streams][T] with T =
     * {@link LabelSetInfo#encoderFrames}(mono.length), each label in [0, classes).
     */
    int[][] labels(float[] mono);

    @Override
    default void close() {
    }
}
