package org.mert4j.dsp;

import org.mert4j.tensor.FloatArray;

/** The STFT-to-chroma filter bank of librosa's {@code filters.chroma} (octave width 2, centre octave 5, base C). */
public final class ChromaFilterBank {
    private static final double CENTRE_OCTAVE = 5.0;
    private static final double OCTAVE_WIDTH = 2.0;

    private ChromaFilterBank() {}

    /** [nChroma, nFft / 2 + 1] weights; {@code tuning} in fractions of a chroma bin. */
    public static FloatArray librosa(int sampleRate, int nFft, int nChroma, double tuning) {
        if (sampleRate <= 0 || nFft < 2 || nChroma <= 0) {
            throw new IllegalArgumentException("chroma filter bank needs positive sizes, got rate " + sampleRate
                    + ", nFft " + nFft + ", " + nChroma + " chroma bins");
        }
        double a440 = 440.0 * Math.pow(2.0, tuning / nChroma);
        double[] bins = new double[nFft];
        for (int i = 1; i < nFft; i++) {
            double hz = (double) sampleRate * i / nFft;
            bins[i] = nChroma * (Math.log(hz / (a440 / 16)) / Math.log(2));
        }
        bins[0] = bins[1] - 1.5 * nChroma;
        double[] width = new double[nFft];
        for (int i = 0; i < nFft - 1; i++) {
            width[i] = Math.max(bins[i + 1] - bins[i], 1.0);
        }
        width[nFft - 1] = 1.0;
        double half = Math.rint(nChroma / 2.0);
        int columns = nFft / 2 + 1;
        double[][] w = new double[nChroma][nFft];
        for (int f = 0; f < nFft; f++) {
            double l2 = 0;
            for (int c = 0; c < nChroma; c++) {
                double d = floorMod(bins[f] - c + half + 10 * nChroma, nChroma) - half;
                double g = 2 * d / width[f];
                w[c][f] = Math.exp(-0.5 * g * g);
                l2 += w[c][f] * w[c][f];
            }
            double norm = Math.sqrt(l2);
            double octave = (bins[f] / nChroma - CENTRE_OCTAVE) / OCTAVE_WIDTH;
            double octaveWeight = Math.exp(-0.5 * octave * octave);
            for (int c = 0; c < nChroma; c++) {
                w[c][f] = w[c][f] / norm * octaveWeight;
            }
        }
        // librosa rolls the rows so that row 0 is C rather than A
        int shift = 3 * (nChroma / 12);
        float[] out = new float[nChroma * columns];
        for (int c = 0; c < nChroma; c++) {
            int from = Math.floorMod(c + shift, nChroma);
            for (int f = 0; f < columns; f++) {
                out[c * columns + f] = (float) w[from][f];
            }
        }
        return new FloatArray(out, new long[] {nChroma, columns});
    }

    private static double floorMod(double x, double n) {
        return x - n * Math.floor(x / n);
    }
}
