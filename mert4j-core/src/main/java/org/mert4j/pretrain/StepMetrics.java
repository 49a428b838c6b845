package org.mert4j.pretrain;

/**
 * What one update measured (a line of metrics.jsonl).
 * @param accuracy masked-prediction accuracy per codebook
 * @param audioHoursPerHour audio seconds trained per wall-clock second, over all ranks
 */
public record StepMetrics(long step, double loss, double acoustic, double cqt, double penalty, double[] accuracy,
                          double gradNorm, double lr, double stepSeconds, double audioHoursPerHour, long skippedSteps,
                          boolean skipped) {}
