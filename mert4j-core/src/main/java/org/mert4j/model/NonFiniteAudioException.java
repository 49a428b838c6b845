package org.mert4j.model;

/**
 * A recording whose samples or features are NaN or infinite: its features would be meaningless, so it fails
 * instead of giving an output.
 */
public final class NonFiniteAudioException extends RuntimeException {
    public NonFiniteAudioException(String message) {
        super(message);
    }
}
