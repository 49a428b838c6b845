package org.mert4j.teacher;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * What a {@link TeacherFactory} may need to build a teacher; fields a teacher does not use are ignored.
 *
 * @param outDir        the label folder (fitted k-means files go there)
 * @param teacherModel  a model folder (hubert-kmeans: the MERT model; codec teachers: their weights), or null
 * @param kmeans        saved k-means file(s) to label with, or null (then fit, or look in outDir)
 * @param layer         hidden state index for hubert-kmeans (0 = input of the first transformer layer; negative
 *                      counts back from the last, -1 = the last layer), or {@link #NO_LAYER}
 * @param k             clusters for a fit (0 = the teacher's default)
 * @param fit           fit the k-means on a sample of the manifest instead of loading it
 * @param sampleFrames  frames sampled from the manifest for a fit
 * @param seed          seed of the frame sample and of the k-means
 * @param device        cpu, cuda or cuda:N
 * @param log           one-line progress messages (fitting can take a while)
 */
public record TeacherSettings(Path outDir, Path teacherModel, Path kmeans, int layer, int k, boolean fit,
                              int sampleFrames, long seed, String device, Consumer<String> log) {
    /** {@code layer} when none was given. */
    public static final int NO_LAYER = Integer.MIN_VALUE;
}
