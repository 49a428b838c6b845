package org.mert4j.probe;

import java.util.List;

/**
 * MARBLE probe settings.
 *
 * @param hidden          512 for the MLP Linear(H,512)-ReLU-Dropout-Linear, 0 for a linear probe
 * @param learningRates   the grid searched (default 1e-2 and 1e-3; MARBLE searches 1e-2..1e-4); the best validation score picks one
 * @param maxEpochs       MARBLE: 100; early stopping usually ends sooner
 * @param plateauPatience epochs without validation gain before the learning rate halves
 * @param stopPatience    epochs without validation gain before training stops
 * @param frameBatch      batch size for frame-level (beat) probes, whose samples are frames
 * @param seed            the probe's initial weights and batch order; a spread over seeds shows what a difference is worth
 */
public record ProbeSettings(int hidden, double dropout, List<Double> learningRates, int batchSize, int maxEpochs,
        int plateauPatience, int stopPatience, int frameBatch, long seed) {

    public static ProbeSettings marble() {
        return new ProbeSettings(512, 0.2, List.of(1e-2, 1e-3), 64, 100, 5, 10, 512, 0);
    }

    public ProbeSettings withHidden(int h) {
        return new ProbeSettings(h, dropout, learningRates, batchSize, maxEpochs, plateauPatience, stopPatience,
                frameBatch, seed);
    }

    public ProbeSettings withLearningRates(List<Double> lrs) {
        return new ProbeSettings(hidden, dropout, List.copyOf(lrs), batchSize, maxEpochs, plateauPatience,
                stopPatience, frameBatch, seed);
    }

    public ProbeSettings withMaxEpochs(int e) {
        return new ProbeSettings(hidden, dropout, learningRates, batchSize, e, plateauPatience, stopPatience,
                frameBatch, seed);
    }

    public ProbeSettings withSeed(long s) {
        return new ProbeSettings(hidden, dropout, learningRates, batchSize, maxEpochs, plateauPatience, stopPatience,
                frameBatch, s);
    }
}
