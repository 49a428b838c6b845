package org.mert4j.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PreprocessTest {

    private static final float[][] KNOWN = Fixtures.s16Planar("known_44100_stereo.s16", 2);

    @Test
    void stereo44100ToMono24000MatchesTorchaudioChain() {
        float[] expected = Fixtures.f32("pipe_44100_24000.f32");
        float[] y = Preprocess.prepare(new Waveform(KNOWN, 44100), 24000, false);
        double err = Fixtures.maxAbsDiff(expected, y);
        System.out.printf("stereo 44.1 kHz -> mono 24 kHz vs torchaudio: max abs error %.3g%n", err);
        assertTrue(err < 1e-5, "max abs error " + err);
    }

    @Test
    void normalisationMatchesNumpyFormula() {
        float[] expected = Fixtures.f32("pipe_44100_24000_norm.f32");
        float[] y = Preprocess.prepare(new Waveform(KNOWN, 44100), 24000, true);
        double err = Fixtures.maxAbsDiff(expected, y);
        System.out.printf("normalised chain vs numpy: max abs error %.3g%n", err);
        assertTrue(err < 1e-5, "max abs error " + err);
    }

    @Test
    void decodedFileThroughTheWholeChain() {
        float[] expected = Fixtures.f32("pipe_44100_24000.f32");
        float[] y = Preprocess.prepare(AudioDecoder.decode(Fixtures.path("known.flac")), 24000, false);
        assertTrue(Fixtures.maxAbsDiff(expected, y) < 1e-5);
    }

    @Test
    void normalizedOutputHasZeroMeanUnitVariance() {
        float[] y = Preprocess.normalize(new float[] {1f, 2f, 3f, 4f});
        // population variance of 1..4 is 1.25
        double s = Math.sqrt(1.25 + 1e-7);
        assertArrayEquals(new float[] {(float) (-1.5 / s), (float) (-0.5 / s), (float) (0.5 / s), (float) (1.5 / s)},
                y, 1e-7f);
        assertEquals(0, Preprocess.normalize(new float[0]).length);
        // A constant signal maps to zeros instead of dividing by zero.
        assertArrayEquals(new float[3], Preprocess.normalize(new float[] {0.3f, 0.3f, 0.3f}), 1e-6f);
    }

    @Test
    void sameRateMonoIsCopiedNotShared() {
        float[] x = {0.1f, 0.2f};
        float[] y = Preprocess.prepare(Waveform.ofMono(x, 24000), 24000, false);
        assertArrayEquals(x, y);
        assertNotSame(x, y);
    }

    @Test
    void waveformShapeAndMono() {
        Waveform w = new Waveform(new float[][] {{1f, 2f}, {3f, 6f}}, 8000);
        assertEquals(2, w.numChannels());
        assertEquals(2, w.numSamples());
        assertEquals(2.0 / 8000, w.durationSeconds(), 1e-12);
        assertArrayEquals(new float[] {2f, 4f}, w.mono());
    }
}
