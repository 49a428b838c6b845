package org.mert4j.cli.bench;

import java.util.Arrays;

/** Median and spread of repeated timings, in seconds. */
public record Stats(double median, double min, double max, double[] all) {
    public static Stats of(double[] seconds) {
        if (seconds.length == 0) {
            throw new IllegalArgumentException("no timings");
        }
        double[] s = seconds.clone();
        Arrays.sort(s);
        int n = s.length;
        double median = n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
        return new Stats(median, s[0], s[n - 1], seconds.clone());
    }

    /** (max - min) / median: how noisy the repetitions were. */
    public double spread() {
        return median == 0 ? 0 : (max - min) / median;
    }
}
