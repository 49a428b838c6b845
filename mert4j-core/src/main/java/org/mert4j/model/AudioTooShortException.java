package org.mert4j.model;

/** A recording shorter than one frame of the model: there is nothing to embed. */
public final class AudioTooShortException extends IllegalArgumentException {
    public AudioTooShortException(String message) {
        super(message);
    }
}
