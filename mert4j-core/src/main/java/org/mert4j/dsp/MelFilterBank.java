package org.mert4j.dsp;

import org.mert4j.tensor.FloatArray;

/** Triangular mel filters of torchaudio's {@code functional.melscale_fbanks}. */
public final class MelFilterBank {
    private MelFilterBank() {}

    /**
     * [nFreqs, nMels] weights for a one-sided spectrum of {@code nFreqs} bins spanning 0 .. sampleRate // 2 Hz;
     * {@code slaneyNorm} scales each filter by 2 / (its upper - lower edge in Hz) (constant energy per band).
     */
    public static FloatArray torchaudio(int nFreqs, double fMin, double fMax, int nMels, int sampleRate,
            MelScale scale, boolean slaneyNorm) {
        if (nFreqs < 2 || nMels <= 0 || !(fMin >= 0) || !(fMax > fMin) || fMax > sampleRate / 2.0) {
            throw new IllegalArgumentException("mel filter bank needs 0 <= fMin < fMax <= sampleRate / 2 and"
                    + " positive sizes, got fMin " + fMin + ", fMax " + fMax + ", rate " + sampleRate + ", "
                    + nFreqs + " freqs, " + nMels + " mels");
        }
        double top = sampleRate / 2; // torchaudio uses sample_rate // 2
        double mMin = scale.toMel(fMin);
        double mMax = scale.toMel(fMax);
        double[] fPts = new double[nMels + 2];
        for (int i = 0; i < fPts.length; i++) {
            fPts[i] = scale.toHz(mMin + (mMax - mMin) * i / (nMels + 1));
        }
        float[] fb = new float[nFreqs * nMels];
        for (int f = 0; f < nFreqs; f++) {
            double hz = top * f / (nFreqs - 1);
            for (int m = 0; m < nMels; m++) {
                double down = (hz - fPts[m]) / (fPts[m + 1] - fPts[m]);
                double up = (fPts[m + 2] - hz) / (fPts[m + 2] - fPts[m + 1]);
                double w = Math.max(0.0, Math.min(down, up));
                if (slaneyNorm) {
                    w *= 2.0 / (fPts[m + 2] - fPts[m]);
                }
                fb[f * nMels + m] = (float) w;
            }
        }
        return new FloatArray(fb, new long[] {nFreqs, nMels});
    }
}
