package org.mert4j.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StreamingResamplerTest {

    /** Pushes {@code x} in random pieces (1 sample up to {@code maxPiece}, empty ones too) and concatenates the output. */
    static float[] streamed(float[] x, int from, int to, Random rng, int maxPiece) {
        StreamingResampler r = new StreamingResampler(from, to);
        float[] out = new float[0];
        int i = 0;
        while (i < x.length) {
            int n = Math.min(x.length - i, rng.nextInt(maxPiece + 1));
            out = concat(out, rng.nextBoolean() ? r.push(Arrays.copyOfRange(x, i, i + n)) : r.push(x, i, n));
            i += n;
        }
        out = concat(out, r.finish());
        assertEquals(x.length, r.inputLength());
        assertEquals(out.length, r.outputLength());
        return out;
    }

    static float[] concat(float[] a, float[] b) {
        float[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    static float[] signal(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (0.5 * Math.sin(i * 0.031) + 0.2 * r.nextGaussian());
        }
        return x;
    }

    /** Bit for bit the whole-signal result, whatever the piece sizes: 1-sample pieces, small, large and mixed. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"44100,24000", "48000,24000", "16000,24000", "24000,24000", "8000,24000", "192000,24000",
        "24000,16000", "44100,16000", "22050,44100"})
    void piecesGiveTheWholeResult(int from, int to) {
        Random rng = new Random(from * 31L + to);
        for (int n : new int[] {0, 1, 2, 7, 150, 1000, from / 3 + 17}) {
            float[] x = signal(n, n);
            float[] whole = Resampler.resample(x, from, to);
            for (int maxPiece : new int[] {1, 3, 64, 5000}) {
                float[] got = streamed(x, from, to, rng, maxPiece);
                assertArrayEquals(whole, got, n + " samples in pieces up to " + maxPiece);
            }
        }
    }

    @Test
    void outputComesAsSoonAsItsTapsAreKnown() {
        StreamingResampler r = new StreamingResampler(44100, 24000);
        float[] first = r.push(signal(44100, 1));
        // All but the last few outputs (whose taps reach past the input) come before the end.
        assertEquals(24000, first.length + r.finish().length);
        assertEquals(true, first.length > 24000 - 20, "only " + first.length + " outputs before the end");
    }

    @Test
    void misuseIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new StreamingResampler(0, 24000));
        StreamingResampler r = new StreamingResampler(48000, 24000);
        assertThrows(IndexOutOfBoundsException.class, () -> r.push(new float[4], 2, 3));
        r.finish();
        assertThrows(IllegalStateException.class, () -> r.push(new float[1]));
        assertThrows(IllegalStateException.class, r::finish);
    }
}
