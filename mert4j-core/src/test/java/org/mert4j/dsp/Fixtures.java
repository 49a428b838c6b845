package org.mert4j.dsp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

import org.mert4j.io.Npy;
import org.mert4j.tensor.FloatArray;

/** Reads the committed fixtures made by tools/reference/make_dsp_fixtures.py. */
final class Fixtures {
    private Fixtures() {}

    static FloatArray npy(String name) {
        URL url = Fixtures.class.getResource("/dsp/" + name);
        if (url == null) {
            throw new IllegalStateException("missing test fixture dsp/" + name);
        }
        try {
            return Npy.readFloats(Path.of(url.toURI()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** max |a - b| / max |expected|, failing on a length mismatch. */
    static double relativeError(float[] expected, float[] actual) {
        if (expected.length != actual.length) {
            throw new AssertionError("length differs: expected " + expected.length + " but was " + actual.length);
        }
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < expected.length; i++) {
            diff = Math.max(diff, Math.abs(expected[i] - actual[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        return diff / scale;
    }

    static double maxAbsError(float[] expected, float[] actual) {
        if (expected.length != actual.length) {
            throw new AssertionError("length differs: expected " + expected.length + " but was " + actual.length);
        }
        double diff = 0;
        for (int i = 0; i < expected.length; i++) {
            diff = Math.max(diff, Math.abs(expected[i] - actual[i]));
        }
        return diff;
    }
}
