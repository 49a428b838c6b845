package org.mert4j.dsp;

/** Hz <-> mel conversions of torchaudio's {@code functional.melscale_fbanks}. */
public enum MelScale {
    /** 2595 log10(1 + f / 700). */
    HTK,
    /** Slaney's Auditory Toolbox: linear below 1 kHz (200/3 Hz per mel), logarithmic above. */
    SLANEY;

    private static final double F_SP = 200.0 / 3;
    private static final double MIN_LOG_HZ = 1000.0;
    private static final double MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
    private static final double LOG_STEP = Math.log(6.4) / 27.0;

    public double toMel(double hz) {
        if (this == HTK) {
            return 2595.0 * Math.log10(1.0 + hz / 700.0);
        }
        return hz >= MIN_LOG_HZ ? MIN_LOG_MEL + Math.log(hz / MIN_LOG_HZ) / LOG_STEP : hz / F_SP;
    }

    public double toHz(double mel) {
        if (this == HTK) {
            return 700.0 * (Math.pow(10.0, mel / 2595.0) - 1.0);
        }
        return mel >= MIN_LOG_MEL ? MIN_LOG_HZ * Math.exp(LOG_STEP * (mel - MIN_LOG_MEL)) : F_SP * mel;
    }
}
