package org.mert4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mert4j.tensor.FloatArray;

/**
 * Hidden states of every layer against Hugging Face transformers, for random-weight checkpoints in
 * both layouts (post-LN with a `group` conv front; pre-LN with a `layer` front), read both from
 * model.safetensors (new-style weight-norm names) and pytorch_model.bin (weight_g / weight_v).
 * Tolerance 1e-4 max abs: fp32 with the same kernels but a different attention kernel (fused SDPA
 * vs eager) and summation orders; observed errors are around 1e-6.
 */
class EncoderFixtureTest {
    static final double TOLERANCE = 1e-4;

    @ParameterizedTest
    @ValueSource(strings = {"postln-group", "postln-group/bin", "preln-layer", "preln-layer/bin"})
    void hiddenStatesMatchTransformers(String dir) {
        Path folder = Fixtures.ROOT.resolve(dir);
        Path base = dir.endsWith("/bin") ? folder.getParent() : folder;
        FloatArray input = Fixtures.npy(base.resolve("input.npy"));
        FloatArray expected = Fixtures.npy(base.resolve("hidden_states.npy"));
        try (MertModel model = MertModel.load(folder)) {
            FloatArray got = model.hiddenStates(input.data(), 24000);
            assertArrayEquals(expected.shape(), got.shape(), "shape [L+1, T, H]");
            double err = Fixtures.maxAbsDiff(expected.data(), got.data());
            System.out.printf("%s: hidden states %s, max abs error %.3g%n", dir, got, err);
            assertTrue(err < TOLERANCE, dir + ": max abs error " + err);
            // a check that fails when the layers are wrong, not only when all are: every layer separately
            int per = (int) (expected.shape()[1] * expected.shape()[2]);
            for (int l = 0; l < expected.shape()[0]; l++) {
                double e = 0;
                for (int i = l * per; i < (l + 1) * per; i++) {
                    e = Math.max(e, Math.abs(expected.data()[i] - got.data()[i]));
                }
                assertTrue(e < TOLERANCE, dir + " layer " + l + ": max abs error " + e);
            }
        }
    }
}
