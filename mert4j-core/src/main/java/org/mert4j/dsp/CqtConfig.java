package org.mert4j.dsp;

/**
 * Settings of the constant-Q transform (nnAudio {@code CQT1992v2}). The defaults, {@link #mert()}, are MERT's
 * musical pretraining target: 24 kHz, hop 320 (75 frames/s), 336 bins from 32.7 Hz, 48 bins per octave.
 *
 * @param filterScale Q = filterScale / (2^(1/binsPerOctave) - 1); below 1 shortens the kernels
 * @param padMode     padding of the centred signal: MERT uses zeros
 */
public record CqtConfig(int sampleRate, int hopLength, double fmin, int nBins, int binsPerOctave, double filterScale,
        PadMode padMode) {

    public CqtConfig {
        if (sampleRate <= 0 || hopLength <= 0 || nBins <= 0 || binsPerOctave <= 0) {
            throw new IllegalArgumentException("sample rate, hop, bins and bins per octave must be positive, got "
                    + sampleRate + ", " + hopLength + ", " + nBins + ", " + binsPerOctave);
        }
        if (!(fmin > 0) || !(filterScale > 0)) {
            throw new IllegalArgumentException("fmin and filter scale must be positive, got " + fmin + ", "
                    + filterScale);
        }
        double top = fmin * Math.pow(2.0, (nBins - 1) / (double) binsPerOctave);
        if (top > sampleRate / 2.0) {
            throw new IllegalArgumentException("the top CQT bin " + top + " Hz exceeds the Nyquist frequency "
                    + sampleRate / 2.0 + " Hz: use fewer bins or a higher sample rate");
        }
        if (padMode == null) {
            throw new IllegalArgumentException("pad mode is null");
        }
    }

    /** MERT's CQT target. */
    public static CqtConfig mert() {
        return new CqtConfig(24000, 320, 32.7, 336, 48, 1.0, PadMode.CONSTANT);
    }

    /** MERT's CQT at another rate, hop and bin count (7 octaves from 32.7 Hz, bins / 7 per octave). */
    public static CqtConfig mert(int sampleRate, int hopLength, int nBins) {
        CqtConfig m = mert();
        return new CqtConfig(sampleRate, hopLength, m.fmin(), nBins, nBins / 7, m.filterScale(), m.padMode());
    }

    public CqtConfig withSampleRate(int rate) {
        return new CqtConfig(rate, hopLength, fmin, nBins, binsPerOctave, filterScale, padMode);
    }

    public double q() {
        return filterScale / (Math.pow(2.0, 1.0 / binsPerOctave) - 1.0);
    }

    /** Centre frequency of bin k: fmin * 2^(k / binsPerOctave). */
    public double frequency(int k) {
        return fmin * Math.pow(2.0, k / (double) binsPerOctave);
    }

    /** Frames for {@code samples} input samples: floor(N / hop) + 1. */
    public long frames(long samples) {
        return samples / hopLength + 1;
    }
}
