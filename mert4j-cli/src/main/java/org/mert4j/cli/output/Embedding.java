package org.mert4j.cli.output;

import org.mert4j.cli.jobs.InputFile;
import org.mert4j.tensor.FloatArray;

/**
 * The features of one input, ready to be written.
 * @param input           where they came from
 * @param durationSeconds length of the decoded audio
 * @param values          [layers, H] when pooled, [layers, T, H] otherwise
 * @param layers          the hidden-state index of each row of {@code values}
 */
public record Embedding(InputFile input, double durationSeconds, FloatArray values, int[] layers) {
}
