package org.mert4j.dsp;

/**
 * Settings of {@link KaldiMfcc}, torchaudio {@code compliance.kaldi.mfcc}'s. Fixed as in that function's defaults:
 * povey window, snip_edges, no dither, use_energy false, FFT size rounded up to a power of two.
 *
 * @param highFreq upper mel edge in Hz; zero or negative counts down from the Nyquist frequency
 */
public record KaldiMfccConfig(int sampleRate, double frameLengthMs, double frameShiftMs, int numMelBins,
        int numCeps, double lowFreq, double highFreq, double preemphasis, double cepstralLifter,
        boolean removeDcOffset) {

    public KaldiMfccConfig {
        if (sampleRate <= 0 || numMelBins <= 3 || numCeps <= 0 || numCeps > numMelBins) {
            throw new IllegalArgumentException("kaldi MFCC needs a positive rate, more than 3 mel bins and"
                    + " 0 < ceps <= mel bins, got rate " + sampleRate + ", " + numMelBins + " bins, " + numCeps
                    + " ceps");
        }
        // fields are not assigned yet in a compact constructor: compute as windowSize() / windowShift() do
        int size = (int) (sampleRate * frameLengthMs * 0.001);
        int shift = (int) (sampleRate * frameShiftMs * 0.001);
        if (size < 2 || shift <= 0) {
            throw new IllegalArgumentException("frame length " + frameLengthMs + " ms and shift " + frameShiftMs
                    + " ms give " + size + "-sample frames every " + shift + " samples");
        }
        if (!(preemphasis >= 0 && preemphasis <= 1)) {
            throw new IllegalArgumentException("preemphasis must be in [0, 1], got " + preemphasis);
        }
    }

    /** HuBERT's MFCC teacher (simple_kmeans/dump_mfcc_feature.py): kaldi defaults at 16 kHz. */
    public static KaldiMfccConfig hubert() {
        return of(16000);
    }

    /** torchaudio's defaults at another rate: 25 ms frames, 10 ms shift, 23 mel bins from 20 Hz, 13 ceps. */
    public static KaldiMfccConfig of(int sampleRate) {
        return new KaldiMfccConfig(sampleRate, 25.0, 10.0, 23, 13, 20.0, 0.0, 0.97, 22.0, true);
    }

    public int windowSize() {
        return (int) (sampleRate * frameLengthMs * 0.001);
    }

    public int windowShift() {
        return (int) (sampleRate * frameShiftMs * 0.001);
    }

    public int paddedWindowSize() {
        return Integer.highestOneBit(windowSize() - 1) << 1;
    }

    /** Frames for {@code samples} input samples with snip_edges: 1 + (N - window) / shift, 0 if shorter. */
    public long frames(long samples) {
        return samples < windowSize() ? 0 : 1 + (samples - windowSize()) / windowShift();
    }
}
