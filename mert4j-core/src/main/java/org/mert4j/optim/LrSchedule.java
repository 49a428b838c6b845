package org.mert4j.optim;

/** Linear warm-up from 0 to the peak rate, then linear decay to 0 at {@code totalSteps} (fairseq's polynomial decay, power 1). */
public record LrSchedule(double peak, int warmupSteps, int totalSteps) {
    /** Learning rate for update number {@code step} (1-based). */
    public double at(long step) {
        if (warmupSteps > 0 && step <= warmupSteps) {
            return peak * step / warmupSteps;
        }
        if (step >= totalSteps) {
            return 0.0;
        }
        double remaining = (double) (totalSteps - step) / Math.max(1, totalSteps - warmupSteps);
        return peak * remaining;
    }
}
