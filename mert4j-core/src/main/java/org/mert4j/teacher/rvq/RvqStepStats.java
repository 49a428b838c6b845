package org.mert4j.teacher.rvq;

import java.util.Arrays;

/**
 * Figures of one training step: total loss, its parts, and per codebook the perplexity of the codes
 * used in the batch (exp of their entropy: 1 when one code takes everything, C when all are used evenly).
 */
public record RvqStepStats(int step, double loss, double waveL1, double stft, double commitment, double[] perplexity) {

    /** The reconstruction part of the loss: waveform L1 plus the STFT term. */
    public double reconstruction() {
        return waveL1 + stft;
    }

    public String perplexityText() {
        StringBuilder b = new StringBuilder();
        for (double p : perplexity) {
            b.append(b.length() == 0 ? "" : " ").append(Math.round(p));
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return String.format("step %d loss %.4f (wave L1 %.4f, stft %.4f, commit %.4f) perplexity %s", step, loss,
                waveL1, stft, commitment, Arrays.toString(Arrays.stream(perplexity).map(p -> Math.round(p * 10) / 10.0).toArray()));
    }
}
