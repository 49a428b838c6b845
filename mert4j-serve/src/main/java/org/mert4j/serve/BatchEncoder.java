package org.mert4j.serve;

import java.util.List;

import org.mert4j.model.EmbedOptions;

/**
 * Runs the model on a batch of equal-length windows, keeping every hidden state: per window MEAN
 * [L+1, H] or NONE [L+1, T, H], windows one after another ({@link org.mert4j.model.MertModel#encodeWindows}).
 * Called from the batching thread only.
 */
@FunctionalInterface
public interface BatchEncoder {
    float[] encode(List<float[]> windows, EmbedOptions.Pool pool);
}
