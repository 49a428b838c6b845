package org.mert4j.dsp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.mert4j.tensor.FloatArray;
import org.mert4j.tensor.Tensors;

class KaldiMfccTest {
    // log-mel of float32 power spectra: near-empty mel bands amplify rounding, so the comparison with
    // torchaudio allows 1e-3 absolute
    private static final double TOLERANCE = 1e-3;
    private static final float[] WAVE = Fixtures.npy("wave16k.npy").data();
    private final KaldiMfcc mfcc = new KaldiMfcc(KaldiMfccConfig.hubert());

    @Test
    void matchesTorchaudioKaldiMfcc() {
        FloatArray expected = Fixtures.npy("mfcc.npy");
        Tensor out = mfcc.forward(Tensors.fromFloats(WAVE, 1, WAVE.length));
        assertArrayEquals(new long[] {1, 1 + (WAVE.length - 400) / 160, 13}, Tensors.shape(out));
        double err = Fixtures.maxAbsError(expected.data(), Tensors.toFloats(out));
        System.out.printf("kaldi MFCC vs torchaudio: max abs error %.3g%n", err);
        assertTrue(err < TOLERANCE, "max abs error " + err);
    }

    @Test
    void deltasMatchTorchaudioComputeDeltas() {
        FloatArray expected = Fixtures.npy("mfcc_deltas.npy");
        Tensor out = mfcc.forwardWithDeltas(Tensors.fromFloats(WAVE, 1, WAVE.length));
        assertArrayEquals(new long[] {1, expected.shape()[0], 39}, Tensors.shape(out));
        double err = Fixtures.maxAbsError(expected.data(), Tensors.toFloats(out));
        System.out.printf("MFCC + deltas + delta-deltas vs torchaudio: max abs error %.3g%n", err);
        assertTrue(err < TOLERANCE, "max abs error " + err);
    }

    @Test
    void deltasOfALineAreItsSlopeAwayFromTheEdges() {
        float[] ramp = new float[10];
        for (int i = 0; i < 10; i++) {
            ramp[i] = 3f * i;
        }
        float[] d = Tensors.toFloats(KaldiMfcc.deltas(Tensors.fromFloats(ramp, 1, 10, 1), 5));
        for (int i = 2; i < 8; i++) {
            assertEquals(3f, d[i], 1e-6);
        }
        assertEquals((1 * 3 + 2 * 6) / 10f, d[0], 1e-6); // replicated edge: x[-1] = x[-2] = x[0] = 0
    }

    @Test
    void shorterThanOneFrameIsRejectedWithItsLength() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> mfcc.forward(Tensors.fromFloats(new float[399], 1, 399)));
        assertTrue(e.getMessage().contains("got 399") && e.getMessage().contains("400"), e.getMessage());
        assertEquals(1, mfcc.forward(Tensors.fromFloats(new float[400], 1, 400)).size(1));
    }

    @Test
    void silenceIsFinite() {
        float[] out = Tensors.toFloats(mfcc.forwardWithDeltas(Tensors.fromFloats(new float[1600], 1, 1600)));
        assertEquals(8 * 39, out.length);
        for (float v : out) {
            assertTrue(Float.isFinite(v));
        }
    }

    @Test
    void rejectsNaN() {
        float[] x = new float[800];
        x[7] = Float.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> mfcc.forward(Tensors.fromFloats(x, 1, 800)));
        assertEquals("input contains NaN at sample 7", e.getMessage());
    }
}
