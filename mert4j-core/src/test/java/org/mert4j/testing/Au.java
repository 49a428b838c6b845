package org.mert4j.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes Sun/NeXT {@code .au} files (GTZAN's original format): 16-bit linear PCM, big-endian, mono. */
public final class Au {
    private Au() {}

    /** A tone whose pitch depends on {@code seed}, with a little noise. */
    public static Path write(Path file, double seconds, int sampleRate, long seed) throws IOException {
        int n = (int) Math.round(seconds * sampleRate);
        java.util.Random rnd = new java.util.Random(seed);
        double f = 110 * Math.pow(2, (seed % 24) / 12.0);
        ByteBuffer b = ByteBuffer.allocate(24 + 2 * n).order(ByteOrder.BIG_ENDIAN);
        // magic ".snd", header size, data size, encoding 3 = 16-bit linear PCM, sample rate, channels
        b.putInt(0x2e736e64).putInt(24).putInt(2 * n).putInt(3).putInt(sampleRate).putInt(1);
        for (int i = 0; i < n; i++) {
            double v = 0.4 * Math.sin(2 * Math.PI * f * i / sampleRate) + 0.05 * rnd.nextGaussian();
            b.putShort((short) Math.max(-32768, Math.min(32767, Math.round(v * 32767))));
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, b.array());
        return file;
    }
}
