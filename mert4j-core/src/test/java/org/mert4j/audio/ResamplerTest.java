package org.mert4j.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResamplerTest {

    @ParameterizedTest(name = "{0} Hz -> {1} Hz")
    @CsvSource({"8000,24000", "16000,24000", "24000,16000", "44100,24000", "44100,16000", "48000,24000",
            "192000,24000"})
    void matchesTorchaudio(int from, int to) {
        float[] x = Fixtures.f32("rs_" + from + ".f32");
        float[] expected = Fixtures.f32("rs_" + from + "_" + to + ".f32");
        float[] y = Resampler.resample(x, from, to);
        assertEquals(expected.length, y.length, "output length ceil(to * n / from)");
        double err = Fixtures.maxAbsDiff(expected, y);
        System.out.printf("resample %d -> %d: %d -> %d samples, max abs error vs torchaudio %.3g%n",
                from, to, x.length, y.length, err);
        assertTrue(err < 1e-5, "max abs error " + err);
    }

    @ParameterizedTest(name = "one sample {0} Hz -> {1} Hz")
    @CsvSource({"8000,24000", "16000,24000", "24000,16000", "44100,24000", "44100,16000", "48000,24000",
            "192000,24000"})
    void singleSampleMatchesTorchaudio(int from, int to) {
        float[] expected = Fixtures.f32("rs1_" + from + "_" + to + ".f32");
        float[] y = Resampler.resample(new float[] {0.5f}, from, to);
        assertEquals(expected.length, y.length);
        assertTrue(Fixtures.maxAbsDiff(expected, y) < 1e-6);
    }

    @Test
    void emptyInputGivesEmptyOutput() {
        assertEquals(0, Resampler.resample(new float[0], 44100, 24000).length);
        assertEquals(0, Resampler.resample(new float[0], 8000, 24000).length);
    }

    @Test
    void sameRateReturnsInputUnchanged() {
        float[] x = {1f, -2f, 3f};
        assertSame(x, Resampler.resample(x, 24000, 24000));
        float[][] xs = {x, x};
        assertSame(xs, Resampler.resample(xs, 24000, 24000));
    }

    @Test
    void multiChannelResamplesEachChannel() {
        float[] x = Fixtures.f32("rs_48000.f32");
        float[][] y = Resampler.resample(new float[][] {x, x}, 48000, 24000);
        assertArrayEquals(Resampler.resample(x, 48000, 24000), y[1]);
    }

    @Test
    void rejectsNonPositiveRates() {
        assertThrows(IllegalArgumentException.class, () -> Resampler.resample(new float[1], 0, 24000));
        assertThrows(IllegalArgumentException.class, () -> Resampler.resample(new float[1], 0, 0));
    }

    @Test
    void tenMinutesAt44100IsFast() {
        int n = 44100 * 600;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) Math.sin(i * 0.01);
        }
        long t0 = System.nanoTime();
        float[] y = Resampler.resample(x, 44100, 24000);
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("10 min at 44.1 kHz -> 24 kHz: %.2f s%n", seconds);
        assertEquals(24000 * 600, y.length);
        assertTrue(seconds < 20, "took " + seconds + " s");
    }
}
