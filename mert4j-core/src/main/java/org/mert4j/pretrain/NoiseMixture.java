package org.mert4j.pretrain;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * MERT's in-batch noise mixture (docs/pretraining.md, "Noise mixture"): with probability {@code prob}
 * per clip, add 1..maxSegments segments of minSeconds..maxSeconds cut from the other clips of the
 * batch laid end to end (a segment may straddle two of them), each at a random position, gain 1.
 * The CQT target is computed from the clean clips before this.
 */
public final class NoiseMixture {
    /** {@code length} samples of the other clips laid end to end, from {@code from}, added to clip {@code clip} at {@code at}. */
    public record Segment(int clip, int from, int length, int at) {}

    private final double prob;
    private final int maxSegments;
    private final int minSamples;
    private final int maxSamples;

    public NoiseMixture(double prob, int maxSegments, double minSeconds, double maxSeconds, int sampleRate) {
        this.prob = prob;
        this.maxSegments = maxSegments;
        this.minSamples = (int) Math.round(minSeconds * sampleRate);
        this.maxSamples = (int) Math.round(maxSeconds * sampleRate);
        if (minSamples < 1 || maxSamples < minSamples) {
            throw new IllegalArgumentException("noise segments must last at least one sample, the shortest no longer than"
                    + " the longest: " + minSeconds + " .. " + maxSeconds + " s");
        }
    }

    /** Returns noisy copies of {@code clean} (all clips the same length); {@code clean} is untouched. */
    public float[][] apply(float[][] clean, SplittableRandom rng) {
        return add(clean, draw(clean.length, clean.length == 0 ? 0 : clean[0].length, rng));
    }

    /** The segments for a batch of {@code clips} clips of {@code samples} samples. */
    public List<Segment> draw(int clips, int samples, SplittableRandom rng) {
        List<Segment> out = new ArrayList<>();
        long pool = (long) (clips - 1) * samples;
        if (clips < 2 || prob <= 0 || maxSegments < 1 || maxSamples > samples || maxSamples > pool) {
            return out; // MERT leaves a clip clean when the segments do not fit
        }
        for (int i = 0; i < clips; i++) {
            if (rng.nextDouble() >= prob) {
                continue;
            }
            int segments = 1 + rng.nextInt(maxSegments);
            for (int s = 0; s < segments; s++) {
                int from = (int) rng.nextLong(pool - maxSamples + 1);
                int length = minSamples + rng.nextInt(maxSamples - minSamples + 1);
                int at = rng.nextInt(samples - length + 1);
                out.add(new Segment(i, from, length, at));
            }
        }
        return out;
    }

    /** Clean clips plus the given segments, as new arrays. */
    public static float[][] add(float[][] clean, List<Segment> segments) {
        int b = clean.length;
        float[][] out = new float[b][];
        for (int i = 0; i < b; i++) {
            out[i] = clean[i].clone();
        }
        for (Segment s : segments) {
            int n = clean[s.clip()].length;
            for (int k = 0; k < s.length(); k++) {
                long p = (long) s.from() + k; // position in the other clips laid end to end
                int other = (int) (p / n);
                if (other >= s.clip()) {
                    other++;
                }
                out[s.clip()][s.at() + k] += clean[other][(int) (p % n)];
            }
        }
        return out;
    }
}
