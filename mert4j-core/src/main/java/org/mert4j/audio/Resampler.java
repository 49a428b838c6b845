package org.mert4j.audio;

/**
 * Band-limited sinc resampling that reproduces {@code torchaudio.functional.resample} (torchaudio 0.13+)
 * with its defaults: {@code lowpass_filter_width = 6}, {@code rolloff = 0.99}, Hann-windowed sinc
 * ("sinc_interpolation", renamed "sinc_interp_hann" in later releases).
 *
 * <p>The algorithm follows torchaudio step by step:
 * <ol>
 *   <li>Both rates are divided by their gcd, giving {@code orig} input samples per {@code new} output samples.</li>
 *   <li>One FIR kernel per output phase {@code p in [0, new)} is built over the taps
 *       {@code k in [0, 2*width + orig)} as {@code sinc(pi*t) * cos(pi*t / (2*L))^2 * base/orig} where
 *       {@code t = clamp(((k - width)/orig - p/new) * base, -L, L)}, {@code base = min(orig, new) * rolloff}
 *       and {@code width = ceil(L * orig / base)} (torchaudio's {@code _get_sinc_resample_kernel}).</li>
 *   <li>The input is zero-padded by {@code width} on the left and {@code width + orig} on the right and
 *       convolved with stride {@code orig}; the phases are interleaved and the output is cut to
 *       {@code ceil(new * length / orig)} samples.</li>
 * </ol>
 * Taps where {@code |t|} reaches {@code L} are dropped: the window is zero there (torchaudio's float32
 * values are below 1e-14), so each phase only keeps about {@code 2*L*orig/base} taps and the cost is
 * O(N * taps) with no padded copy of the input.
 *
 * <p>Defined edge cases: equal rates return the input unchanged (the same array, as torchaudio returns
 * the same tensor); 0 input samples give 0 output samples; 1 input sample gives {@code ceil(new/orig)}
 * samples, matching torchaudio.
 */
public final class Resampler {

    /** torchaudio's default {@code lowpass_filter_width}: zero crossings of the sinc kept on each side. */
    public static final int LOWPASS_FILTER_WIDTH = 6;
    /** torchaudio's default {@code rolloff}: cut-off as a fraction of the lower Nyquist rate. */
    public static final double ROLLOFF = 0.99;

    private final int orig;
    private final int next;
    private final int width;
    /** Per phase: the first kept tap index into the padded input block. */
    private final int[] firstTap;
    /** Per phase: the kept taps, as float32 like torchaudio's kernel. */
    private final float[][] taps;

    /**
     * Prepares the kernels for one rate pair.
     *
     * @param fromRate input sample rate in Hz, positive
     * @param toRate   output sample rate in Hz, positive
     */
    public Resampler(int fromRate, int toRate) {
        if (fromRate <= 0 || toRate <= 0) {
            throw new IllegalArgumentException(
                    "sample rates must be positive, got from=" + fromRate + " to=" + toRate);
        }
        int g = gcd(fromRate, toRate);
        this.orig = fromRate / g;
        this.next = toRate / g;
        double base = Math.min(orig, next) * ROLLOFF;
        this.width = (int) Math.ceil(LOWPASS_FILTER_WIDTH * orig / base);
        double scale = base / orig;
        int kernelLen = 2 * width + orig;
        this.firstTap = new int[next];
        this.taps = new float[next][];
        for (int p = 0; p < next; p++) {
            // Analytic tap range where |t| < L, widened by one and then checked exactly below.
            double centre = width + (double) orig * p / next;
            double half = LOWPASS_FILTER_WIDTH * orig / base;
            int lo = Math.max(0, (int) Math.floor(centre - half) - 1);
            int hi = Math.min(kernelLen - 1, (int) Math.ceil(centre + half) + 1);
            while (lo <= hi && Math.abs(phaseTime(lo, p, base)) >= LOWPASS_FILTER_WIDTH) {
                lo++;
            }
            while (hi >= lo && Math.abs(phaseTime(hi, p, base)) >= LOWPASS_FILTER_WIDTH) {
                hi--;
            }
            float[] k = new float[Math.max(0, hi - lo + 1)];
            for (int j = 0; j < k.length; j++) {
                k[j] = kernelTap(lo + j, p, (float) base, (float) scale);
            }
            firstTap[p] = lo;
            taps[p] = k;
        }
    }

    /** Resamples one channel from {@code fromRate} to {@code toRate}; see the class comment. */
    public static float[] resample(float[] x, int fromRate, int toRate) {
        if (fromRate == toRate) {
            if (fromRate <= 0) {
                throw new IllegalArgumentException("sample rate must be positive, got " + fromRate);
            }
            return x;
        }
        return new Resampler(fromRate, toRate).apply(x);
    }

    /** Resamples every channel with the same kernels. */
    public static float[][] resample(float[][] channels, int fromRate, int toRate) {
        if (fromRate == toRate && fromRate > 0) {
            return channels;
        }
        Resampler r = new Resampler(fromRate, toRate);
        float[][] out = new float[channels.length][];
        for (int c = 0; c < channels.length; c++) {
            out[c] = r.apply(channels[c]);
        }
        return out;
    }

    /** Number of output samples for {@code inputLength} input samples: {@code ceil(new * len / orig)}. */
    public long outputLength(long inputLength) {
        return (next * inputLength + orig - 1) / orig;
    }

    /** Resamples one channel with this rate pair's kernels. */
    public float[] apply(float[] x) {
        long outLen = outputLength(x.length);
        if (outLen > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("resampled signal too long for one array: " + outLen + " samples");
        }
        float[] y = new float[(int) outLen];
        for (int o = 0; o < y.length; o++) {
            int block = o / next;
            int p = o - block * next;
            y[o] = sample(p, x, block * orig + firstTap[p] - width, x.length);
        }
        return y;
    }

    /**
     * One output sample of phase {@code p}: its taps against {@code x[start..]}, where {@code x} holds the
     * input up to index {@code n} and taps outside [0, n) meet the zero padding and are skipped.
     * {@link StreamingResampler} calls this with a window of the input, so both sum the same products in
     * the same order.
     */
    float sample(int p, float[] x, int start, int n) {
        float[] k = taps[p];
        double acc = 0;
        if (start >= 0 && start + k.length <= n) {
            for (int j = 0; j < k.length; j++) {
                acc += (double) k[j] * x[start + j];
            }
        } else {
            int jFrom = Math.max(0, -start);
            int jTo = Math.min(k.length, n - start);
            for (int j = jFrom; j < jTo; j++) {
                acc += (double) k[j] * x[start + j];
            }
        }
        return (float) acc;
    }

    /** Input samples per block of {@link #outputsPerBlock()} output samples (the reduced input rate). */
    int inputsPerBlock() {
        return orig;
    }

    /** Output samples per block (the reduced output rate): output {@code o} has phase {@code o % outputsPerBlock()}. */
    int outputsPerBlock() {
        return next;
    }

    /** Index, in the unpadded input, of phase {@code p}'s first tap for block 0 (negative near the start). */
    int tapOffset(int p) {
        return firstTap[p] - width;
    }

    /** Number of kept taps of phase {@code p}. */
    int tapCount(int p) {
        return taps[p].length;
    }

    /**
     * One kernel tap evaluated in float32 with torchaudio's order of operations: the float32 rounding of
     * the time grid matters at the 1e-6 level when {@code orig} is large (e.g. 441 for 44.1 kHz -> 16 kHz).
     */
    private float kernelTap(int k, int p, float base, float scale) {
        float idx = (float) (k - width) / (float) orig;
        float t = -(float) p / (float) next + idx;
        t *= base;
        t = Math.max(-LOWPASS_FILTER_WIDTH, Math.min(LOWPASS_FILTER_WIDTH, t));
        float window = (float) Math.cos(t * (float) Math.PI / LOWPASS_FILTER_WIDTH / 2f);
        window *= window;
        t *= (float) Math.PI;
        float sinc = t == 0f ? 1f : (float) Math.sin(t) / t;
        return sinc * (window * scale);
    }

    /** torchaudio's unclamped kernel time for tap {@code k} of phase {@code p}, in units of the cut-off period. */
    private double phaseTime(int k, int p, double base) {
        return ((double) (k - width) / orig - (double) p / next) * base;
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
