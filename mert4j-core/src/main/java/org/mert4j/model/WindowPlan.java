package org.mert4j.model;

import java.util.ArrayList;
import java.util.List;

/**
 * How a recording is cut into model inputs (docs/model.md, "Embedding protocol"): non-overlapping windows of a
 * fixed length; a last window shorter than {@code minLastSeconds} is dropped unless it is the only one.
 */
public final class WindowPlan {
    /** A window: first sample and number of samples. */
    public record Window(long start, long length) {}

    private WindowPlan() {}

    public static final double MIN_LAST_SECONDS = 1.0;

    /**
     * @param windowSeconds window length, or {@code <= 0} / NaN for one window over the whole clip
     */
    public static List<Window> split(long numSamples, int sampleRate, double windowSeconds) {
        List<Window> out = new ArrayList<>();
        if (numSamples <= 0) {
            return out;
        }
        if (!(windowSeconds > 0)) {
            out.add(new Window(0, numSamples));
            return out;
        }
        long size = windowSamples(sampleRate, windowSeconds);
        long minLast = minLastSamples(sampleRate);
        for (long start = 0; start < numSamples; start += size) {
            long len = Math.min(size, numSamples - start);
            if (len < size && len < minLast && !out.isEmpty()) {
                break;
            }
            out.add(new Window(start, len));
        }
        return out;
    }

    /** Samples per window for a finite {@code windowSeconds > 0}. */
    public static long windowSamples(int sampleRate, double windowSeconds) {
        return Math.max(1, Math.round(windowSeconds * sampleRate));
    }

    /** The shortest last window kept when there are others before it. */
    public static long minLastSamples(int sampleRate) {
        return Math.round(MIN_LAST_SECONDS * sampleRate);
    }
}
