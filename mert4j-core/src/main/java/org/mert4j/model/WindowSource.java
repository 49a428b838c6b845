package org.mert4j.model;

/**
 * The windows of one recording at the model's sample rate, in order, as {@link WindowPlan#split} cuts
 * them: what {@link Embedder} runs the encoder on. {@link AudioWindows} reads them from a file on a
 * background thread; {@link #of} cuts an array in memory.
 */
public interface WindowSource {

    /** The next window's samples (the caller may keep the array), or {@code null} after the last. */
    float[] next();

    /** All samples of the recording, including a dropped remnant; known once {@link #next} returned null. */
    long totalSamples();

    /** The windows of {@code wave} (mono, at {@code sampleRate}), copied out one at a time. */
    static WindowSource of(float[] wave, int sampleRate, double windowSeconds) {
        var windows = WindowPlan.split(wave.length, sampleRate, windowSeconds).iterator();
        return new WindowSource() {
            @Override
            public float[] next() {
                if (!windows.hasNext()) {
                    return null;
                }
                WindowPlan.Window w = windows.next();
                return java.util.Arrays.copyOfRange(wave, (int) w.start(), (int) (w.start() + w.length()));
            }

            @Override
            public long totalSamples() {
                return wave.length;
            }
        };
    }
}
