package org.mert4j.model;

import java.io.IOException;
import java.nio.file.Path;

import org.mert4j.io.Npy;
import org.mert4j.tensor.FloatArray;

/** Reference outputs made by tools/reference/make_model_fixtures.py with Hugging Face transformers. */
final class Fixtures {
    static final Path ROOT = Path.of("src", "test", "resources", "model");

    private Fixtures() {}

    static FloatArray npy(Path file) {
        try {
            return Npy.readFloats(file);
        } catch (IOException e) {
            throw new AssertionError("cannot read fixture " + file + ": " + e.getMessage(), e);
        }
    }

    static double maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
        }
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs((double) a[i] - b[i]));
        }
        return m;
    }
}
