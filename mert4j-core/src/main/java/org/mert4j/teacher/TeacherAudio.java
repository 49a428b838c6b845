package org.mert4j.teacher;

import java.nio.file.Path;

import org.mert4j.audio.AudioDecoder;
import org.mert4j.audio.Resampler;
import org.mert4j.audio.Waveform;

/** The audio of a manifest row as teachers see it: decoded, mixed to mono, resampled to the manifest's rate. */
public final class TeacherAudio {
    private TeacherAudio() {}

    public static float[] load(Path file, int sampleRate) {
        return load(file, sampleRate, warning -> { });
    }

    /** Like {@link #load(Path, int)}, telling {@code warnings} if the file is shorter than its header declares. */
    public static float[] load(Path file, int sampleRate, java.util.function.Consumer<String> warnings) {
        Waveform w = AudioDecoder.decode(file, warnings);
        return Resampler.resample(w.mono(), w.sampleRate(), sampleRate);
    }

    /** Mono audio at {@code from} as {@code to} (the same array when the rates agree). */
    static float[] at(float[] mono, int from, int to) {
        return from == to ? mono : Resampler.resample(mono, from, to);
    }
}
