package org.mert4j.audio;

/**
 * The model's audio front end, as the Hugging Face MERT pipeline applies it:
 * <ol>
 *   <li>mono mix: the average of all channels ({@link Waveform#mono()}, like {@code waveform.mean(dim=0)});</li>
 *   <li>resample to the model rate with {@link Resampler} (torchaudio's {@code functional.resample});</li>
 *   <li>optionally, {@code Wav2Vec2FeatureExtractor}'s {@code zero_mean_unit_var_norm}:
 *       {@code (x - mean) / sqrt(var + 1e-7)} over the whole clip, with the population variance
 *       (numpy's {@code var}, ddof = 0).</li>
 * </ol>
 */
public final class Preprocess {

    /** The epsilon Hugging Face adds to the variance before the square root. */
    public static final double NORM_EPSILON = 1e-7;

    private Preprocess() {
    }

    /** Mono mix, resample to {@code targetRate}, then normalise if {@code doNormalize}. */
    public static float[] prepare(Waveform w, int targetRate, boolean doNormalize) {
        float[] mono = Resampler.resample(w.mono(), w.sampleRate(), targetRate);
        if (doNormalize) {
            return normalize(mono);
        }
        // Same-rate mono input comes back as the caller's array; copy so callers may modify the result.
        return mono == w.channels()[0] ? mono.clone() : mono;
    }

    /**
     * {@code (x - mean) / sqrt(var + 1e-7)} with mean and population variance over all of {@code x}
     * (accumulated in double). An empty input gives an empty output.
     */
    public static float[] normalize(float[] x) {
        float[] out = new float[x.length];
        if (x.length == 0) {
            return out;
        }
        double sum = 0;
        for (float v : x) {
            sum += v;
        }
        double mean = sum / x.length;
        double sq = 0;
        for (float v : x) {
            double d = v - mean;
            sq += d * d;
        }
        double var = sq / x.length;
        double inv = 1.0 / Math.sqrt(var + NORM_EPSILON);
        for (int i = 0; i < x.length; i++) {
            out[i] = (float) ((x[i] - mean) * inv);
        }
        return out;
    }
}
