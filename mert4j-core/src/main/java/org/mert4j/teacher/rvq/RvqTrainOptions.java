package org.mert4j.teacher.rvq;

/**
 * Training settings of the RVQ-VAE teacher.
 *
 * @param segmentSamples   length of each random crop (rounded down to whole hops; clips shorter are zero-padded)
 * @param stftLoss         add a multi-scale STFT magnitude loss (linear and log) to the waveform L1
 * @param deadCodeFloor    codes whose EMA usage falls below this are restarted on a random residual of the batch
 */
public record RvqTrainOptions(int steps, int batch, double lr, double weightDecay, long seed, int segmentSamples,
        boolean stftLoss, double deadCodeFloor) {

    public static RvqTrainOptions defaults() {
        return new RvqTrainOptions(10000, 8, 3e-4, 1e-2, 0, 36000, true, 0.05);
    }

    public RvqTrainOptions {
        if (steps < 0 || batch < 1 || !(lr > 0) || weightDecay < 0 || segmentSamples < 1 || deadCodeFloor < 0) {
            throw new IllegalArgumentException("steps >= 0, batch >= 1, lr > 0, weight decay >= 0, segment >= 1 and"
                    + " dead-code floor >= 0 expected: " + steps + ", " + batch + ", " + lr + ", " + weightDecay + ", "
                    + segmentSamples + ", " + deadCodeFloor);
        }
    }

    public RvqTrainOptions withSteps(int n) {
        return new RvqTrainOptions(n, batch, lr, weightDecay, seed, segmentSamples, stftLoss, deadCodeFloor);
    }
}
