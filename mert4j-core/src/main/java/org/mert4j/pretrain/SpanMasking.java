package org.mert4j.pretrain;

import java.util.SplittableRandom;

/**
 * HuBERT/MERT span masking, as fairseq's {@code compute_mask_indices} draws it for MERT (static spans,
 * overlaps allowed; docs/pretraining.md, "Masking"). Per clip: {@code max(minMasks, int(p * T / L + U[0,1)))}
 * span starts drawn without replacement from the first T - L frames, each masking L frames. Then every
 * clip of the batch keeps a random subset of its masked frames as large as the batch's smallest count,
 * so all clips score the same number of frames.
 */
public final class SpanMasking {
    private final double prob;
    private final int length;
    private final int minMasks;

    public SpanMasking(double prob, int length, int minMasks) {
        if (length < 1) {
            throw new IllegalArgumentException("mask length must be at least 1, got " + length);
        }
        this.prob = prob;
        this.length = length;
        this.minMasks = minMasks;
    }

    /** Masks of a batch of {@code batch} clips of {@code frames} frames; {@code true} = masked. */
    public boolean[][] sample(int batch, int frames, SplittableRandom rng) {
        int[][] masked = new int[batch][];
        int fewest = Integer.MAX_VALUE;
        for (int b = 0; b < batch; b++) {
            masked[b] = maskedFrames(frames, rng);
            fewest = Math.min(fewest, masked[b].length);
        }
        boolean[][] masks = new boolean[batch][frames];
        for (int b = 0; b < batch; b++) {
            int[] keep = masked[b];
            if (keep.length > fewest) {
                keep = sampleWithoutReplacement(keep, fewest, rng);
            }
            for (int f : keep) {
                masks[b][f] = true;
            }
        }
        return masks;
    }

    /** The sorted masked frames of one clip, before the batch is brought to a common count. */
    private int[] maskedFrames(int frames, SplittableRandom rng) {
        if (frames < 2 || prob <= 0) {
            return new int[0];
        }
        int spans = Math.max(minMasks, (int) (prob * frames / length + rng.nextDouble()));
        // fairseq widens the range of starts when it holds no more than the spans asked for
        int startRange = frames - length <= spans ? spans + 1 : frames - length;
        int[] starts = new int[startRange];
        for (int i = 0; i < startRange; i++) {
            starts[i] = i;
        }
        boolean[] mask = new boolean[frames];
        int count = 0;
        for (int s : sampleWithoutReplacement(starts, Math.min(spans, startRange), rng)) {
            for (int f = s; f < Math.min(frames, s + length); f++) {
                count += mask[f] ? 0 : 1;
                mask[f] = true;
            }
        }
        if (count == frames) {
            mask[frames - 1] = false; // fairseq refuses a clip masked whole; keep one frame to predict from
            count--;
        }
        int[] out = new int[count];
        for (int f = 0, k = 0; f < frames; f++) {
            if (mask[f]) {
                out[k++] = f;
            }
        }
        return out;
    }

    /** {@code n} of {@code values} without replacement (partial Fisher-Yates on a copy). */
    private static int[] sampleWithoutReplacement(int[] values, int n, SplittableRandom rng) {
        int[] pool = values.clone();
        for (int i = 0; i < n; i++) {
            int j = i + rng.nextInt(pool.length - i);
            int t = pool[i];
            pool[i] = pool[j];
            pool[j] = t;
        }
        return java.util.Arrays.copyOf(pool, n);
    }
}
