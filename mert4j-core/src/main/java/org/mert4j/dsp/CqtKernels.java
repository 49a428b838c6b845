package org.mert4j.dsp;

/**
 * The time-domain CQT kernel bank of nnAudio's {@code create_cqt_kernels} (norm 1, periodic Hann window).
 * Kernel k has length ceil(Q sr / f_k) and is centred in a buffer of {@link #bufferLength()} samples, the next
 * power of two above the longest kernel; only the non-zero stretch of each kernel is stored.
 */
public final class CqtKernels {
    private final CqtConfig config;
    private final int bufferLength;
    private final int[] lengths;
    private final int[] starts;
    private final double[] frequencies;

    public CqtKernels(CqtConfig config) {
        this.config = config;
        int n = config.nBins();
        double q = config.q();
        lengths = new int[n];
        starts = new int[n];
        frequencies = new double[n];
        int longest = 0;
        for (int k = 0; k < n; k++) {
            frequencies[k] = config.frequency(k);
            lengths[k] = (int) Math.ceil(q * config.sampleRate() / frequencies[k]);
            longest = Math.max(longest, lengths[k]);
        }
        bufferLength = (int) Math.pow(2, Math.ceil(Math.log(longest) / Math.log(2)));
        for (int k = 0; k < n; k++) {
            int l = lengths[k];
            // nnAudio: odd lengths get the extra zero on the right
            starts[k] = (int) Math.ceil(bufferLength / 2.0 - l / 2.0) - (l % 2 == 1 ? 1 : 0);
        }
    }

    public CqtConfig config() {
        return config;
    }

    /** Kernel buffer length (the "kernel width"): the signal is padded by half of it on each side. */
    public int bufferLength() {
        return bufferLength;
    }

    public int length(int k) {
        return lengths[k];
    }

    /** Offset of kernel k's first non-zero sample in the buffer. */
    public int start(int k) {
        return starts[k];
    }

    public double[] frequencies() {
        return frequencies.clone();
    }

    /**
     * Kernel k's non-zero samples as float32 (real parts, then imaginary parts), each multiplied by
     * {@code scale}: hann(l) * exp(2 pi i f_k n / sr) / sum(hann), n from floor(-l/2).
     */
    public float[][] kernel(int k, double scale) {
        int l = lengths[k];
        double[] window = new double[l];
        double l1 = 0;
        for (int i = 0; i < l; i++) {
            window[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / l);
            l1 += window[i];
        }
        // the 1/l of nnAudio cancels in the L1 normalisation; |exp(i x)| = 1
        double omega = 2 * Math.PI * frequencies[k] / config.sampleRate();
        long first = Math.floorDiv(-l, 2);
        float[] re = new float[l];
        float[] im = new float[l];
        for (int i = 0; i < l; i++) {
            double phase = omega * (first + i);
            double a = window[i] / l1;
            // round to float32 first as nnAudio stores complex64 kernels
            re[i] = (float) ((float) (a * Math.cos(phase)) * scale);
            im[i] = (float) ((float) (a * Math.sin(phase)) * scale);
        }
        return new float[][] {re, im};
    }
}
