package org.mert4j.pretrain;

/**
 * One batch of pretraining input, all clips cut to the same length, in Java memory so that a loader
 * thread can build it while the model trains on the previous one.
 * @param waves   [B][N] the model input (noise mixture already applied)
 * @param cqt     [B][T][bins] musical-teacher target from the clean clips, or null when the CQT weight is 0
 * @param labels  [streams][B][T] acoustic-teacher labels aligned with the encoder frames
 * @param masks   [B][T] true where the frame is masked
 * @param items   dataset rows of the clips (for logging and tests)
 */
public record PretrainBatch(float[][] waves, float[][][] cqt, int[][][] labels, boolean[][] masks, int[] items) {
    public int size() {
        return waves.length;
    }

    public int samples() {
        return waves[0].length;
    }

    public int frames() {
        return masks[0].length;
    }

    /** Seconds of audio in the batch. */
    public double seconds(int sampleRate) {
        return (double) size() * samples() / sampleRate;
    }
}
