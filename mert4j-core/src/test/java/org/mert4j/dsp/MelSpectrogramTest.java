package org.mert4j.dsp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.mert4j.tensor.FloatArray;
import org.mert4j.tensor.Tensors;

class MelSpectrogramTest {
    // float32 FFT and filter products; the reference is float32 torch too
    private static final double TOLERANCE = 1e-4;
    private static final float[] WAVE = Fixtures.npy("wave24k.npy").data();

    private static Tensor wave() {
        return Tensors.fromFloats(WAVE, 1, WAVE.length);
    }

    @Test
    void htkMatchesTorchaudio() {
        MelSpectrogram mel = new MelSpectrogram(MelSpectrogramConfig.of(24000, 2048, 512, 128));
        check(mel, "mel_htk.npy");
    }

    @Test
    void slaneyMatchesTorchaudio() {
        MelSpectrogram mel = new MelSpectrogram(new MelSpectrogramConfig(24000, 1024, 800, 240, 20.0, 8000.0, 80,
                2.0, MelScale.SLANEY, true, true, PadMode.REFLECT, 1e-6));
        check(mel, "mel_slaney.npy");
    }

    private static void check(MelSpectrogram mel, String fixture) {
        FloatArray expected = Fixtures.npy(fixture);
        Tensor out = mel.forward(wave());
        assertArrayEquals(new long[] {1, expected.shape()[0], expected.shape()[1]}, Tensors.shape(out));
        double err = Fixtures.relativeError(expected.data(), Tensors.toFloats(out));
        System.out.printf("%s: max error %.3g relative to the largest value%n", fixture, err);
        assertTrue(err < TOLERANCE, "relative error " + err);
    }

    @Test
    void logMelIsLogOfMelPlusEpsilonAndFiniteOnSilence() {
        MelSpectrogram mel = new MelSpectrogram(MelSpectrogramConfig.mert());
        float[] m = Tensors.toFloats(mel.forward(wave()));
        float[] log = Tensors.toFloats(mel.logForward(wave()));
        for (int i = 0; i < m.length; i += 97) {
            assertEquals(Math.log(m[i] + 1e-6), log[i], 1e-4 * Math.max(1, Math.abs(log[i])));
        }
        float[] silent = Tensors.toFloats(mel.logForward(Tensors.fromFloats(new float[4800], 1, 4800)));
        assertEquals(128 * (4800 / 320 + 1), silent.length);
        for (float v : silent) {
            assertEquals(Math.log(1e-6), v, 1e-5);
        }
    }

    @Test
    void melScalesRoundTrip() {
        for (MelScale s : MelScale.values()) {
            for (double hz : new double[] {0, 440, 999, 1000, 1001, 8000}) {
                assertEquals(hz, s.toHz(s.toMel(hz)), 1e-6);
            }
        }
        assertEquals(15.0, MelScale.SLANEY.toMel(1000), 1e-12);
        assertEquals(1000.0, MelScale.HTK.toMel(1000), 0.1);
    }

    @Test
    void reflectPaddingNeedsMoreThanHalfAFrame() {
        MelSpectrogram mel = new MelSpectrogram(MelSpectrogramConfig.mert());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> mel.forward(Tensors.fromFloats(new float[1000], 1, 1000)));
        assertTrue(e.getMessage().contains("1000"), e.getMessage());
        float[] x = new float[5000];
        x[4999] = Float.NaN;
        e = assertThrows(IllegalArgumentException.class, () -> mel.forward(Tensors.fromFloats(x, 1, 5000)));
        assertEquals("input contains NaN at sample 4999", e.getMessage());
    }
}
