package org.mert4j.cli.console;

import java.util.Locale;

/** The counts of a run and the one-line report printed at its end. */
public final class Summary {
    private final long start = System.nanoTime();
    private int ok;
    private int failed;
    private int skipped;
    private double audioSeconds;

    public void ok(double seconds) {
        ok++;
        audioSeconds += seconds;
    }

    public void failed() {
        failed++;
    }

    public void skipped(int n) {
        skipped += n;
    }

    public int okCount() {
        return ok;
    }

    public int failedCount() {
        return failed;
    }

    public double audioSeconds() {
        return audioSeconds;
    }

    public double elapsedSeconds() {
        return (System.nanoTime() - start) / 1e9;
    }

    public String line() {
        double wall = elapsedSeconds();
        return String.format(Locale.ROOT, "%d ok, %d failed, %d skipped (output exists); %.1f s of audio in %s"
                + " (%.1f audio-s/s)", ok, failed, skipped, audioSeconds, clock(wall),
                wall > 0 ? audioSeconds / wall : 0.0);
    }

    /** Seconds as {@code 12.3 s}, {@code 4:05} or {@code 1:02:03}. */
    public static String clock(double seconds) {
        if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
            return "?";
        }
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1f s", seconds);
        }
        long s = Math.round(seconds);
        return s < 3600 ? String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }
}
