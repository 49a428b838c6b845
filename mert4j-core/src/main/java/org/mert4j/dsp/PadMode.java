package org.mert4j.dsp;

/** How a centred transform pads the signal at both ends. */
public enum PadMode {
    /** Zeros (nnAudio {@code pad_mode="constant"}, librosa's STFT default). */
    CONSTANT,
    /** Mirror without repeating the edge sample (torch {@code reflect}, torchaudio's STFT default). */
    REFLECT;

    String torchName() {
        return this == CONSTANT ? "constant" : "reflect";
    }
}
