package org.mert4j.teacher;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Small 16-bit mono WAV files and signals for teacher tests. */
final class TeacherTestAudio {
    private TeacherTestAudio() {}

    /** A chirp with noise; different seeds give different clips. */
    static float[] signal(int n, int rate, long seed) {
        Random rnd = new Random(seed);
        float[] x = new float[n];
        double f0 = 110 + 50 * seed;
        for (int i = 0; i < n; i++) {
            double t = (double) i / rate;
            x[i] = (float) (0.4 * Math.sin(2 * Math.PI * (f0 + 150 * t) * t) + 0.05 * rnd.nextGaussian());
        }
        return x;
    }

    /** Writes {@link #signal} as WAV; returns the samples as the decoder will give them back. */
    static float[] writeWav(Path file, int n, int rate, long seed) throws IOException {
        float[] x = signal(n, rate, seed);
        ByteBuffer b = ByteBuffer.allocate(44 + 2 * n).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + 2 * n).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(rate)
                .putInt(2 * rate).putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes()).putInt(2 * n);
        float[] decoded = new float[n];
        for (int i = 0; i < n; i++) {
            short s = (short) Math.max(-32768, Math.min(32767, Math.round(x[i] * 32767.0)));
            b.putShort(s);
            decoded[i] = s / 32768f;
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, b.array());
        return decoded;
    }
}
