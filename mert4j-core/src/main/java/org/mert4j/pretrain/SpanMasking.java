package org.mert4j.pretrain;

import java.util.SplittableRandom;

/**
 * HuBERT/MERT span masking (SPEC 2.2): int(p * T / L + U[0,1)) span starts (at least {@code minMasks}),
 * drawn without replacement from the first T - L frames; each masks L frames; spans may overlap.
 * Unlike fairseq, rows of a batch are not trimmed to a common number of masked frames: the loss
 * selects masked frames with a boolean mask, so rows need not agree.
 */
public final class SpanMasking {
    private final double prob;
    private final int length;
    private final int minMasks;

    public SpanMasking(double prob, int length, int minMasks) {
        this.prob = prob;
        this.length = length;
        this.minMasks = minMasks;
    }

    /** The mask of one clip of {@code frames} frames; {@code true} = masked. */
    public boolean[] sample(int frames, SplittableRandom rng) {
        boolean[] mask = new boolean[frames];
        if (frames < 2 || prob <= 0) {
            return mask;
        }
        int spans = Math.max(minMasks, (int) (prob * frames / length + rng.nextDouble()));
        int span = Math.min(length, frames - 1);
        int startRange = frames - span;
        if (startRange <= spans) {
            spans = Math.max(1, startRange - 1);
        }
        // partial Fisher-Yates: the first `spans` entries become a sample without replacement
        int[] starts = new int[startRange];
        for (int i = 0; i < startRange; i++) {
            starts[i] = i;
        }
        for (int i = 0; i < spans; i++) {
            int j = i + rng.nextInt(startRange - i);
            int tmp = starts[i];
            starts[i] = starts[j];
            starts[j] = tmp;
            for (int f = starts[i]; f < Math.min(frames, starts[i] + span); f++) {
                mask[f] = true;
            }
        }
        return mask;
    }
}
