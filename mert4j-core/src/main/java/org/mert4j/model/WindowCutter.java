package org.mert4j.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts a signal that arrives in pieces into the windows of {@link WindowPlan#split}: every full window
 * as soon as it is complete, and at the end the remnant if it is at least
 * {@link WindowPlan#MIN_LAST_SECONDS} long or the only window. Not thread-safe.
 */
final class WindowCutter {
    private final long size;
    private final long minLast;
    /** The window being filled; the first grows as samples arrive, so a short recording never allocates a long window. */
    private float[] current = new float[0];
    private int filled;
    private long total;
    private int emitted;

    /** @param windowSeconds finite window length, {@code > 0} */
    WindowCutter(int sampleRate, double windowSeconds) {
        if (!(windowSeconds > 0) || Double.isInfinite(windowSeconds)) {
            throw new IllegalArgumentException("streamed windows need a finite length, got " + windowSeconds + " s");
        }
        size = WindowPlan.windowSamples(sampleRate, windowSeconds);
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("window of " + windowSeconds + " s is too long for one array");
        }
        minLast = WindowPlan.minLastSamples(sampleRate);
    }

    /** Adds samples; returns the windows they complete, in order. */
    List<float[]> push(float[] x) {
        List<float[]> out = new ArrayList<>(0);
        int i = 0;
        while (i < x.length) {
            if (filled == current.length) {
                // Full size straight away once the recording is known to be that long.
                long grown = emitted > 0 ? size : Math.max(4096, 2L * current.length);
                current = Arrays.copyOf(current, (int) Math.min(size, grown));
            }
            int n = Math.min(x.length - i, current.length - filled);
            System.arraycopy(x, i, current, filled, n);
            filled += n;
            i += n;
            if (filled == size) {
                out.add(current);
                emitted++;
                current = new float[0];
                filled = 0;
            }
        }
        total += x.length;
        return out;
    }

    /** Ends the signal: the remnant as the last window, or {@code null} if there is none or it is dropped. */
    float[] finish() {
        if (filled == 0 || (filled < minLast && emitted > 0)) {
            return null;
        }
        emitted++;
        return Arrays.copyOf(current, filled);
    }

    /** Samples pushed so far. */
    long totalSamples() {
        return total;
    }
}
