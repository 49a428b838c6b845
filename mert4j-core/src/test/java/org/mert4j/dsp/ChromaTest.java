package org.mert4j.dsp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.mert4j.tensor.FloatArray;
import org.mert4j.tensor.Tensors;

class ChromaTest {
    private final Chroma chroma = new Chroma(ChromaConfig.of(24000));

    @Test
    void matchesLibrosaChromaStft() {
        float[] wave = Fixtures.npy("wave24k.npy").data();
        FloatArray expected = Fixtures.npy("chroma.npy");
        Tensor out = chroma.forward(Tensors.fromFloats(wave, 1, wave.length));
        assertArrayEquals(new long[] {1, 12, wave.length / 512 + 1}, Tensors.shape(out));
        // values lie in [0, 1]; float32 FFT against librosa's float32 pocketfft
        double err = Fixtures.maxAbsError(expected.data(), Tensors.toFloats(out));
        System.out.printf("chroma vs librosa: max abs error %.3g%n", err);
        assertTrue(err < 1e-4, "max abs error " + err);
    }

    @Test
    void silenceGivesZerosNotNaN() {
        float[] out = Tensors.toFloats(chroma.forward(Tensors.fromFloats(new float[3000], 1, 3000)));
        assertEquals(12 * (3000 / 512 + 1), out.length);
        for (float v : out) {
            assertEquals(0f, v);
        }
    }

    @Test
    void shortInputIsZeroPadded() {
        Tensor out = chroma.forward(Tensors.fromFloats(new float[] {0.1f, -0.2f, 0.3f}, 1, 3));
        assertArrayEquals(new long[] {1, 12, 1}, Tensors.shape(out));
        float max = 0;
        for (float v : Tensors.toFloats(out)) {
            max = Math.max(max, v);
        }
        assertEquals(1f, max, 1e-6);
    }
}
