package org.mert4j.probe;

import java.util.Map;

/**
 * One trained probe.
 *
 * @param layers       "all" (softmax-weighted layers 1..L) or the hidden-state index
 * @param valid        the task metric on the validation split (what picked the learning rate and epoch)
 * @param test         the task metric on the test split
 * @param testMetrics  every metric of the task type on the test split (e.g. roc_auc and average_precision)
 * @param layerWeights the learnt softmax weights over the layers used
 */
public record ProbeResult(String features, String layers, String probe, double learningRate, double valid,
        double test, Map<String, Double> testMetrics, int epochs, double[] layerWeights, double trainSeconds) {}
