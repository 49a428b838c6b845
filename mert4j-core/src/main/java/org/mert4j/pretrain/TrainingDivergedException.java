package org.mert4j.pretrain;

/** Training stopped because the loss or gradients stayed non-finite for too many updates in a row. */
public class TrainingDivergedException extends RuntimeException {
    public TrainingDivergedException(String message) {
        super(message);
    }
}
