package org.mert4j.audio;

import java.util.Arrays;

/**
 * {@link Resampler} for a signal that arrives in pieces: {@link #push} takes input of any length and
 * returns the output samples whose taps are all known by then; {@link #finish} ends the input and
 * returns the rest. The concatenated output equals {@link Resampler#resample(float[], int, int)} on the
 * concatenated input bit for bit: each output sample is the same sum of the same products in the same
 * order, and the end is zero-padded the same way. Equal rates pass the input through unchanged.
 *
 * <p>Only the input the next outputs still need is kept (a few dozen samples). Not thread-safe.
 */
public final class StreamingResampler {
    private final Resampler resampler; // null when the rates are equal
    private final int orig;
    private final int next;
    /** The smallest tap offset over all phases: how far back from a block the kept input must reach. */
    private final int minTapOffset;

    /** Input samples [bufStart, bufStart + bufLen). */
    private float[] buf = new float[0];
    private long bufStart;
    private int bufLen;
    private long received;
    private long produced;
    private boolean finished;

    public StreamingResampler(int fromRate, int toRate) {
        if (fromRate <= 0 || toRate <= 0) {
            throw new IllegalArgumentException(
                    "sample rates must be positive, got from=" + fromRate + " to=" + toRate);
        }
        if (fromRate == toRate) {
            resampler = null;
            orig = 1;
            next = 1;
            minTapOffset = 0;
            return;
        }
        resampler = new Resampler(fromRate, toRate);
        orig = resampler.inputsPerBlock();
        next = resampler.outputsPerBlock();
        int min = 0;
        for (int p = 0; p < next; p++) {
            min = Math.min(min, resampler.tapOffset(p));
        }
        minTapOffset = min;
    }

    /** Input samples pushed so far. */
    public long inputLength() {
        return received;
    }

    /** Output samples returned so far. */
    public long outputLength() {
        return produced;
    }

    /** Adds input; returns the output samples it completes (possibly none). */
    public float[] push(float[] x) {
        return push(x, 0, x.length);
    }

    /** Adds {@code x[offset, offset + length)}; returns the output samples it completes (possibly none). */
    public float[] push(float[] x, int offset, int length) {
        if (finished) {
            throw new IllegalStateException("push after finish");
        }
        if (offset < 0 || length < 0 || offset + length > x.length) {
            throw new IndexOutOfBoundsException("range [" + offset + ", " + (offset + length) + ") of " + x.length);
        }
        received += length;
        if (resampler == null) {
            produced += length;
            return Arrays.copyOfRange(x, offset, offset + length);
        }
        append(x, offset, length);
        return emit(false);
    }

    /** Ends the input; returns the remaining output samples (the end is zero-padded as in {@link Resampler}). */
    public float[] finish() {
        if (finished) {
            throw new IllegalStateException("finish called twice");
        }
        finished = true;
        if (resampler == null) {
            return new float[0];
        }
        return emit(true);
    }

    /**
     * The outputs from {@link #produced} on whose taps are all within the input so far, or at the end all
     * up to {@link Resampler#outputLength}: no later input can change them, and the total output length
     * can only grow.
     */
    private float[] emit(boolean end) {
        long limit = resampler.outputLength(received);
        float[] out = new float[(int) Math.max(0, limit - produced)];
        int count = 0;
        while (produced < limit) {
            long block = produced / next;
            int p = (int) (produced - block * next);
            long start = block * orig + resampler.tapOffset(p);
            if (!end && start + resampler.tapCount(p) > received) {
                break;
            }
            out[count++] = resampler.sample(p, buf, (int) (start - bufStart), bufLen);
            produced++;
        }
        discardBefore(Math.max(0, (produced / next) * orig + minTapOffset));
        return count == out.length ? out : Arrays.copyOf(out, count);
    }

    private void append(float[] x, int offset, int length) {
        if (bufLen + length > buf.length) {
            long grown = Math.max((long) buf.length * 2, (long) bufLen + length);
            if (grown > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("input piece too long: " + length + " samples");
            }
            buf = Arrays.copyOf(buf, (int) Math.max(grown, 1024));
        }
        System.arraycopy(x, offset, buf, bufLen, length);
        bufLen += length;
    }

    /** Drops input before {@code first}: no future output reaches back that far. */
    private void discardBefore(long first) {
        int drop = (int) Math.min(bufLen, first - bufStart);
        if (drop <= 0) {
            return;
        }
        System.arraycopy(buf, drop, buf, 0, bufLen - drop);
        bufLen -= drop;
        bufStart += drop;
    }
}
