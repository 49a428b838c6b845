package org.mert4j.dsp;

/**
 * Settings of {@link MelSpectrogram}, torchaudio {@code transforms.MelSpectrogram}'s parameters.
 *
 * @param fMax        upper filter edge in Hz; torchaudio's default is sampleRate // 2
 * @param slaneyNorm  torchaudio {@code norm="slaney"}
 * @param logEpsilon  added before the logarithm of {@link MelSpectrogram#logForward}
 */
public record MelSpectrogramConfig(int sampleRate, int nFft, int winLength, int hopLength, double fMin,
        double fMax, int nMels, double power, MelScale melScale, boolean slaneyNorm, boolean center,
        PadMode padMode, double logEpsilon) {

    public MelSpectrogramConfig {
        if (sampleRate <= 0 || nFft <= 0 || hopLength <= 0 || nMels <= 0 || winLength <= 0 || winLength > nFft) {
            throw new IllegalArgumentException("invalid mel spectrogram sizes: rate " + sampleRate + ", nFft " + nFft
                    + ", win " + winLength + ", hop " + hopLength + ", mels " + nMels);
        }
        if (!(power > 0) || !(logEpsilon > 0) || melScale == null || padMode == null) {
            throw new IllegalArgumentException("power and log epsilon must be positive, scale and padding set");
        }
    }

    /** torchaudio defaults for a given rate and size, HTK mel scale, no filter norm, epsilon 1e-6. */
    public static MelSpectrogramConfig of(int sampleRate, int nFft, int hopLength, int nMels) {
        return new MelSpectrogramConfig(sampleRate, nFft, nFft, hopLength, 0.0, sampleRate / 2, nMels, 2.0,
                MelScale.HTK, false, true, PadMode.REFLECT, 1e-6);
    }

    /** The log-mel features of MERT's k-means teacher variant: 24 kHz, 2048-point FFT, hop 320, 128 mels. */
    public static MelSpectrogramConfig mert() {
        return of(24000, 2048, 320, 128);
    }

    public MelSpectrogramConfig withSampleRate(int rate) {
        return new MelSpectrogramConfig(rate, nFft, winLength, hopLength, fMin, Math.min(fMax, rate / 2), nMels,
                power, melScale, slaneyNorm, center, padMode, logEpsilon);
    }
}
