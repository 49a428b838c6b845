package org.mert4j.teacher;

import java.nio.file.Path;

import org.mert4j.audio.AudioDecoder;
import org.mert4j.audio.Resampler;
import org.mert4j.audio.Waveform;

/** The audio of a manifest row as teachers see it: decoded, mixed to mono, resampled to the manifest's rate. */
public final class TeacherAudio {
    private TeacherAudio() {}

    public static float[] load(Path file, int sampleRate) {
        Waveform w = AudioDecoder.decode(file);
        return Resampler.resample(w.mono(), w.sampleRate(), sampleRate);
    }

    /** Mono audio at {@code from} as {@code to} (the same array when the rates agree). */
    static float[] at(float[] mono, int from, int to) {
        return from == to ? mono : Resampler.resample(mono, from, to);
    }
}
