package org.mert4j.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes small 16-bit PCM mono WAV files for tests (shared with the other modules' tests). */
public final class Wav {
    private Wav() {
    }

    /** A chirp-like tone with a little noise, so that windows differ from each other. */
    public static Path write(Path file, double seconds, int sampleRate, long seed) throws IOException {
        int n = (int) Math.round(seconds * sampleRate);
        java.util.Random rnd = new java.util.Random(seed);
        ByteBuffer b = ByteBuffer.allocate(44 + 2 * n).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + 2 * n).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(sampleRate)
                .putInt(2 * sampleRate).putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes()).putInt(2 * n);
        for (int i = 0; i < n; i++) {
            double t = (double) i / sampleRate;
            double v = 0.4 * Math.sin(2 * Math.PI * (220 + 200 * t) * t) + 0.05 * rnd.nextGaussian();
            b.putShort((short) Math.max(-32768, Math.min(32767, Math.round(v * 32767))));
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, b.array());
        return file;
    }

    /** A 32-bit float mono WAV (WAVE_FORMAT_IEEE_FLOAT) of exactly these samples, NaN and infinity included. */
    public static Path writeFloat(Path file, float[] samples, int sampleRate) throws IOException {
        int n = samples.length;
        ByteBuffer b = ByteBuffer.allocate(58 + 4 * n).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(50 + 4 * n).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(18).putShort((short) 3).putShort((short) 1).putInt(sampleRate)
                .putInt(4 * sampleRate).putShort((short) 4).putShort((short) 32).putShort((short) 0);
        b.put("fact".getBytes()).putInt(4).putInt(n);
        b.put("data".getBytes()).putInt(4 * n);
        for (float v : samples) {
            b.putFloat(v);
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, b.array());
        return file;
    }
}
