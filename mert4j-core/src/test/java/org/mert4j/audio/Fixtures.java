package org.mert4j.audio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the committed fixtures made by tools/reference/make_audio_fixtures.py. */
final class Fixtures {

    private Fixtures() {
    }

    static Path path(String name) {
        URL url = Fixtures.class.getResource("/audio/" + name);
        if (url == null) {
            throw new IllegalStateException("missing test fixture audio/" + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Little-endian float32 raw file. */
    static float[] f32(String name) {
        ByteBuffer b = bytes(name);
        float[] out = new float[b.remaining() / 4];
        b.asFloatBuffer().get(out);
        return out;
    }

    /** Planar little-endian int16 raw file, scaled to float by 1/32768 as FFmpeg does. */
    static float[][] s16Planar(String name, int channels) {
        ByteBuffer b = bytes(name);
        int n = b.remaining() / 2 / channels;
        float[][] out = new float[channels][n];
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < n; i++) {
                out[c][i] = b.getShort() / 32768f;
            }
        }
        return out;
    }

    private static ByteBuffer bytes(String name) {
        try {
            return ByteBuffer.wrap(Files.readAllBytes(path(name))).order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static double maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("length differs: expected " + a.length + " but was " + b.length);
        }
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
