package org.mert4j.dsp;

/**
 * Settings of {@link Chroma}, librosa {@code feature.chroma_stft}'s: Hann window of nFft, centred with zero
 * padding, power spectrum, tuning given explicitly (librosa would estimate it), per-frame max normalisation.
 */
public record ChromaConfig(int sampleRate, int nFft, int hopLength, int nChroma, double tuning) {

    public ChromaConfig {
        if (sampleRate <= 0 || nFft < 2 || hopLength <= 0 || nChroma <= 0 || !Double.isFinite(tuning)) {
            throw new IllegalArgumentException("invalid chroma settings: rate " + sampleRate + ", nFft " + nFft
                    + ", hop " + hopLength + ", " + nChroma + " bins, tuning " + tuning);
        }
    }

    /** librosa's defaults (2048-point FFT, hop 512, 12 bins) with tuning 0 at the given rate. */
    public static ChromaConfig of(int sampleRate) {
        return new ChromaConfig(sampleRate, 2048, 512, 12, 0.0);
    }

    public ChromaConfig withSampleRate(int rate) {
        return new ChromaConfig(rate, nFft, hopLength, nChroma, tuning);
    }
}
