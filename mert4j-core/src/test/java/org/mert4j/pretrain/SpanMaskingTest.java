package org.mert4j.pretrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * Span masks against the statistics of fairseq's compute_mask_indices for MERT's settings (mask_prob
 * 0.8, length 5, min_masks 2, one masked count per batch), drawn by
 * tools/reference/make_objective_fixtures.py into masks.json: masked share (mean and spread), the lengths
 * of masked runs, the smallest and largest counts, and that the last frame is never masked.
 * With 20,000-100,000 rows per case (on each side) the sampling error of a share is below 0.003.
 */
class SpanMaskingTest {
    @Test
    void masksHaveTheStatisticsOfTheOfficialComputation() throws Exception {
        JsonNode ref = new ObjectMapper().readTree(ObjectiveFixtureTest.DIR.resolve("masks.json").toFile());
        SpanMasking masking = new SpanMasking(ref.get("mask_prob").asDouble(), ref.get("mask_length").asInt(),
                ref.get("min_masks").asInt());
        SplittableRandom rng = new SplittableRandom(3);
        List<String> failures = new ArrayList<>();
        for (JsonNode c : ref.get("cases")) {
            int batch = c.get("batch").asInt();
            int frames = c.get("frames").asInt();
            int rows = c.get("rows").asInt();
            double sum = 0;
            double sumSq = 0;
            int min = Integer.MAX_VALUE;
            int max = 0;
            int lastMasked = 0;
            double[] runs = new double[31];
            for (int drawn = 0; drawn < rows; drawn += batch) {
                boolean[][] m = masking.sample(batch, frames, rng);
                int count0 = -1;
                for (boolean[] row : m) {
                    int count = 0;
                    int run = 0;
                    for (boolean v : row) {
                        count += v ? 1 : 0;
                        if (v) {
                            run++;
                        } else if (run > 0) {
                            runs[Math.min(run, 30)]++;
                            run = 0;
                        }
                    }
                    if (run > 0) {
                        runs[Math.min(run, 30)]++;
                    }
                    if (count0 >= 0) {
                        assertEquals(count0, count, "every clip of a batch has the same number of masked frames");
                    }
                    count0 = count;
                    double f = count / (double) frames;
                    sum += f;
                    sumSq += f * f;
                    min = Math.min(min, count);
                    max = Math.max(max, count);
                    lastMasked += row[frames - 1] ? 1 : 0;
                }
            }
            double mean = sum / rows;
            double std = Math.sqrt(Math.max(0, sumSq / rows - mean * mean));
            double totalRuns = 0;
            for (double r : runs) {
                totalRuns += r;
            }
            String name = "B=" + batch + ", T=" + frames;
            System.out.printf("%s: masked share %.4f (reference %.4f), spread %.4f (%.4f), counts %d..%d (%d..%d)%n",
                    name, mean, c.get("mean_fraction").asDouble(), std, c.get("std_fraction").asDouble(), min, max,
                    c.get("min_count").asInt(), c.get("max_count").asInt());
            check(failures, name + " mean share", mean, c.get("mean_fraction").asDouble(), 0.003);
            check(failures, name + " spread", std, c.get("std_fraction").asDouble(), 0.003);
            double worstRun = 0;
            for (int r = 0; r <= 30; r++) {
                double share = runs[r] / totalRuns;
                worstRun = Math.max(worstRun, Math.abs(share - c.get("run_length_share").get(r).asDouble()));
            }
            System.out.printf("%s: largest difference in the share of masked runs of one length: %.4f%n", name, worstRun);
            check(failures, name + " run lengths", worstRun, 0, 0.01);
            // counts: the reference's extremes are themselves random; allow its observed range widened by 3 frames
            if (min < c.get("min_count").asInt() - 3 || max > c.get("max_count").asInt() + 3) {
                failures.add(name + " counts " + min + ".." + max + " outside the reference's " + c.get("min_count")
                        + ".." + c.get("max_count"));
            }
            if (lastMasked / (double) rows != c.get("last_frame_masked").asDouble()) {
                failures.add(name + " last frame masked in " + lastMasked + " rows");
            }
        }
        assertTrue(failures.isEmpty(), String.join("; ", failures));
    }

    @Test
    void atLeastMinMasksSpansOnShortClips() {
        SpanMasking masking = new SpanMasking(0.8, 5, 2);
        SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i < 2000; i++) {
            boolean[] row = masking.sample(1, 9, rng)[0];
            int count = 0;
            for (boolean v : row) {
                count += v ? 1 : 0;
            }
            // two spans of 5 among 9 frames: 6..8 masked (overlaps allowed), never all
            assertTrue(count >= 6 && count <= 8, "masked " + count + " of 9");
        }
        assertEquals(0, countMasked(new SpanMasking(0.0, 5, 2).sample(2, 50, rng)), "no masking at probability 0");
    }

    private static int countMasked(boolean[][] m) {
        int n = 0;
        for (boolean[] row : m) {
            for (boolean v : row) {
                n += v ? 1 : 0;
            }
        }
        return n;
    }

    private static void check(List<String> failures, String what, double actual, double expected, double tolerance) {
        if (!(Math.abs(actual - expected) <= tolerance)) {
            failures.add(what + ": " + actual + ", reference " + expected + " (tolerance " + tolerance + ")");
        }
    }
}
