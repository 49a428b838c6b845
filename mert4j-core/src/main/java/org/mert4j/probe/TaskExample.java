package org.mert4j.probe;

import java.nio.file.Path;
import java.util.List;

/**
 * One clip of a task. Exactly the field its task type needs is set: {@code label} (multiclass, key),
 * {@code labels} (multilabel), {@code targets} (regression) or {@code beats} in seconds (beat).
 *
 * @param id a short stable name (the audio path as written in the manifest)
 */
public record TaskExample(String id, Path audio, Split split, String label, List<String> labels, double[] targets,
        double[] beats) {}
