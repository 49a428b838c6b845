package org.mert4j.teacher.encodec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.mert4j.io.Npy;
import org.mert4j.tensor.FloatArray;

/**
 * Codes against transformers' {@code EncodecModel.encode(x, bandwidth=6.0)} on small random-weight models
 * made by tools/reference/make_encodec_fixtures.py. The acceptance bar is 99.9% identical codes: a
 * float32 rounding difference can only flip a code where two codebook entries are (nearly) tied.
 */
class EncodecFixtureTest {
    static final Path ROOT = Path.of("src", "test", "resources", "teacher", "encodec");

    @Test
    void causalSafetensorsMatchesTransformers() {
        agreement(ROOT.resolve("causal"), ROOT.resolve("causal"), "causal, safetensors");
    }

    @Test
    void oldStyleWeightNormBinLoadsIdentically() {
        agreement(ROOT.resolve("causal/bin"), ROOT.resolve("causal"), "causal, pytorch_model.bin weight_g/weight_v");
        try (EncodecModel a = EncodecModel.load(ROOT.resolve("causal"));
                EncodecModel b = EncodecModel.load(ROOT.resolve("causal/bin"))) {
            float[] x = npy(ROOT.resolve("causal/input.npy")).data();
            int[][] ca = a.codes(x);
            int[][] cb = b.codes(x);
            for (int k = 0; k < ca.length; k++) {
                assertArrayEquals(ca[k], cb[k], "codebook " + k + ": bin and safetensors give different codes");
            }
        }
    }

    @Test
    void nonCausalTimeGroupNormMatchesTransformers() {
        agreement(ROOT.resolve("noncausal"), ROOT.resolve("noncausal"), "non-causal, time_group_norm");
    }

    @Test
    void clipShorterThanOneHopGivesOneFrame() {
        for (String name : new String[] {"causal", "noncausal"}) {
            try (EncodecModel m = EncodecModel.load(ROOT.resolve(name))) {
                int[][] got = m.codes(npy(ROOT.resolve(name + "/short_input.npy")).data());
                FloatArray want = npy(ROOT.resolve(name + "/short_codes.npy"));
                assertEquals(8, got.length);
                assertEquals(1, got[0].length, "100 samples -> ceil(100 / 320) = 1 frame");
                for (int k = 0; k < 8; k++) {
                    assertEquals((int) want.data()[k], got[k][0], name + " codebook " + k);
                }
            }
        }
    }

    @Test
    void frameCountIsCeilOfSamplesOverHop() {
        try (EncodecModel m = EncodecModel.load(ROOT.resolve("causal"))) {
            assertEquals(8, m.numCodebooks());
            assertEquals(1024, m.codebookSize());
            assertEquals(75.0, m.frameRate());
            for (int n : new int[] {1, 2, 319, 320, 321, 641, 24001}) {
                float[] x = new float[n];
                for (int i = 0; i < n; i++) {
                    x[i] = (float) Math.sin(0.05 * i);
                }
                int[][] c = m.codes(x);
                assertEquals(8, c.length);
                assertEquals((n + 319) / 320, c[0].length, "frames for " + n + " samples");
                for (int[] row : c) {
                    for (int v : row) {
                        assertTrue(v >= 0 && v < 1024);
                    }
                }
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.codes(new float[0]));
            assertTrue(e.getMessage().contains("empty"), e.getMessage());
        }
    }

    @Test
    void bandwidthSelectsQuantizers() {
        EncodecConfig c = EncodecConfig.encodec24khz();
        assertEquals(75, c.frameRate());
        assertEquals(32, c.numQuantizers());
        assertEquals(2, c.quantizersFor(1.5));
        assertEquals(8, c.quantizersFor(6.0));
        assertEquals(32, c.quantizersFor(24.0));
        assertThrows(IllegalArgumentException.class, () -> c.quantizersFor(5.0));
    }

    private static void agreement(Path modelDir, Path fixtureDir, String label) {
        FloatArray want = npy(fixtureDir.resolve("codes.npy"));
        float[] x = npy(fixtureDir.resolve("input.npy")).data();
        try (EncodecModel m = EncodecModel.load(modelDir)) {
            int[][] got = m.codes(x);
            int k = (int) want.shape()[0];
            int t = (int) want.shape()[1];
            assertEquals(k, got.length, "codebooks");
            assertEquals(t, got[0].length, "frames");
            assertEquals((x.length + 319) / 320, t);
            int same = 0;
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < t; j++) {
                    if (got[i][j] == (int) want.data()[i * t + j]) {
                        same++;
                    }
                }
            }
            double agree = (double) same / (k * t);
            System.out.printf("EnCodec code agreement (%s): %d / %d = %.4f%%%n", label, same, k * t, 100 * agree);
            assertTrue(agree >= 0.999, label + ": only " + same + " of " + k * t + " codes agree");
        }
    }

    static FloatArray npy(Path file) {
        try {
            return Npy.readFloats(file);
        } catch (IOException e) {
            throw new AssertionError("cannot read fixture " + file + ": " + e.getMessage(), e);
        }
    }
}
