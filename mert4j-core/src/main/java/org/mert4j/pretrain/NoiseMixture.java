package org.mert4j.pretrain;

import java.util.SplittableRandom;

/**
 * MERT's in-batch noise mixture (SPEC 2.2): with probability p per clip, add 1..maxSegments segments
 * of minSeconds..maxSeconds cut at random from the other clips of the batch, at random positions,
 * gain 1. Applied after the CQT target was computed from the clean clips.
 */
public final class NoiseMixture {
    private final double prob;
    private final int maxSegments;
    private final int minSamples;
    private final int maxSamples;

    public NoiseMixture(double prob, int maxSegments, double minSeconds, double maxSeconds, int sampleRate) {
        this.prob = prob;
        this.maxSegments = maxSegments;
        this.minSamples = (int) Math.round(minSeconds * sampleRate);
        this.maxSamples = (int) Math.round(maxSeconds * sampleRate);
    }

    /** Returns noisy copies of {@code clean} (all clips the same length); {@code clean} is untouched. */
    public float[][] apply(float[][] clean, SplittableRandom rng) {
        int b = clean.length;
        float[][] out = new float[b][];
        for (int i = 0; i < b; i++) {
            out[i] = clean[i].clone();
        }
        if (b < 2 || prob <= 0 || maxSegments < 1) {
            return out;
        }
        int n = clean[0].length;
        for (int i = 0; i < b; i++) {
            if (rng.nextDouble() >= prob) {
                continue;
            }
            int segments = 1 + rng.nextInt(maxSegments);
            for (int s = 0; s < segments; s++) {
                int len = Math.min(n, minSamples + rng.nextInt(Math.max(1, maxSamples - minSamples + 1)));
                if (len <= 0) {
                    continue;
                }
                int other = rng.nextInt(b - 1);
                if (other >= i) {
                    other++;
                }
                int from = rng.nextInt(n - len + 1);
                int to = rng.nextInt(n - len + 1);
                for (int k = 0; k < len; k++) {
                    out[i][to + k] += clean[other][from + k];
                }
            }
        }
        return out;
    }
}
