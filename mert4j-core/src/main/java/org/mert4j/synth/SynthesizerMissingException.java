package org.mert4j.synth;

/** fluidsynth or a General MIDI SoundFont is not installed; the message says how to install them. */
public final class SynthesizerMissingException extends RuntimeException {
    public SynthesizerMissingException(String message) {
        super(message);
    }
}
