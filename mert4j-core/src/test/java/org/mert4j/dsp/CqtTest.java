package org.mert4j.dsp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mert4j.tensor.FloatArray;
import org.mert4j.tensor.Tensors;

class CqtTest {
    private static Cqt cqt;
    private static float[] wave;

    @BeforeAll
    static void setUp() {
        cqt = new Cqt(CqtConfig.mert());
        wave = Fixtures.npy("wave24k.npy").data();
    }

    // float32 correlations over up to 50k taps, summed in a different order than the direct convolution
    private static final double TOLERANCE = 1e-4;

    @Test
    void matchesNnAudioCqt1992v2() {
        FloatArray expected = Fixtures.npy("cqt.npy");
        Tensor out = cqt.forward(Tensors.fromFloats(wave, 1, wave.length));
        assertArrayEquals(new long[] {1, 336, 36000 / 320 + 1}, Tensors.shape(out));
        double err = Fixtures.relativeError(expected.data(), Tensors.toFloats(out));
        System.out.printf("CQT vs CQT1992v2 reference: max error %.3g relative to the largest value%n", err);
        assertTrue(err < TOLERANCE, "relative error " + err);
    }

    @Test
    void inputShorterThanOneHopStillGivesFrames() {
        float[] shortWave = java.util.Arrays.copyOf(wave, 500);
        Tensor out = cqt.forward(Tensors.fromFloats(shortWave, 1, shortWave.length));
        assertArrayEquals(new long[] {1, 336, 2}, Tensors.shape(out));
        double err = Fixtures.relativeError(Fixtures.npy("cqt_short.npy").data(), Tensors.toFloats(out));
        assertTrue(err < TOLERANCE, "relative error " + err);
        Tensor tiny = cqt.forward(Tensors.fromFloats(new float[] {0.5f}, 1, 1));
        assertArrayEquals(new long[] {1, 336, 1}, Tensors.shape(tiny));
    }

    @Test
    void frequenciesAreGeometric() {
        double[] f = cqt.frequencies();
        float[] expected = Fixtures.npy("cqt_freqs.npy").data();
        for (int k = 0; k < f.length; k++) {
            assertEquals(32.7 * Math.pow(2, k / 48.0), f[k], 1e-9);
            assertEquals(expected[k], f[k], 1e-3);
        }
        assertEquals(65536, cqt.kernels().bufferLength());
        assertEquals((int) Math.ceil(cqt.config().q() * 24000 / 32.7), cqt.kernels().length(0));
    }

    @Test
    void batchRowsAreIndependent() {
        float[] two = new float[2 * 4000];
        System.arraycopy(wave, 0, two, 0, 4000);
        System.arraycopy(wave, 10000, two, 4000, 4000);
        float[] both = Tensors.toFloats(cqt.forward(Tensors.fromFloats(two, 2, 4000)));
        float[] second = Tensors.toFloats(cqt.forward(Tensors.fromFloats(
                java.util.Arrays.copyOfRange(wave, 10000, 14000), 1, 4000)));
        float[] row = java.util.Arrays.copyOfRange(both, both.length / 2, both.length);
        assertTrue(Fixtures.maxAbsError(second, row) < 1e-5);
    }

    @Test
    void silenceGivesZeros() {
        float[] out = Tensors.toFloats(cqt.forward(Tensors.fromFloats(new float[3200], 1, 3200)));
        for (float v : out) {
            assertEquals(0f, v);
        }
    }

    @Test
    void rejectsNanAndBadShapes() {
        float[] x = new float[1000];
        x[123] = Float.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> cqt.forward(Tensors.fromFloats(x, 1, 1000)));
        assertEquals("input contains NaN at sample 123", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> cqt.forward(Tensors.fromFloats(new float[10], 10)));
        assertThrows(IllegalArgumentException.class, () -> new CqtConfig(24000, 320, 32.7, 500, 48, 1, PadMode.CONSTANT));
    }
}
