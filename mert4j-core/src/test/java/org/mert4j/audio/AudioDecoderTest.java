package org.mert4j.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AudioDecoderTest {

    private static final float[][] KNOWN = Fixtures.s16Planar("known_44100_stereo.s16", 2);

    @ParameterizedTest
    @ValueSource(strings = {"known_s16.wav", "known_s24.wav", "known_s32.wav", "known_f32.wav", "known.flac"})
    void losslessFormatsDecodeExactly(String name) {
        Waveform w = AudioDecoder.decode(Fixtures.path(name));
        assertEquals(44100, w.sampleRate());
        assertEquals(2, w.numChannels());
        assertEquals(KNOWN[0].length, w.numSamples());
        for (int c = 0; c < 2; c++) {
            // The signal lies on the int16 grid, so every lossless format reproduces it exactly.
            double err = Fixtures.maxAbsDiff(KNOWN[c], w.channel(c));
            assertTrue(err <= 1.0 / 32768 * 1e-3, name + " channel " + c + " max abs error " + err);
        }
    }

    /**
     * Lossy formats: the length must be the original within one codec frame (encoder delay and padding
     * trimmed; MP3 to within a few samples), and the signal must still correlate with the original at zero
     * lag, which also shows the encoder delay was removed. FFmpeg trims AAC's priming but not its final
     * frame's padding, hence the one-frame tolerance.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"known.mp3,44100", "known.ogg,44100", "known.m4a,44100", "known.opus,48000"})
    void lossyFormatsDecodeToOriginalLength(String name, int rate) {
        Waveform w = AudioDecoder.decode(Fixtures.path(name));
        assertEquals(rate, w.sampleRate(), name + " sample rate");
        assertEquals(2, w.numChannels(), name + " channels");
        long expected = Math.round(KNOWN[0].length * (double) rate / 44100);
        long diff = Math.abs(w.numSamples() - expected);
        System.out.printf("%s: %d samples at %d Hz (original %d, diff %d)%n", name, w.numSamples(), rate,
                expected, w.numSamples() - expected);
        if (name.endsWith(".mp3")) {
            assertTrue(diff <= 4, "mp3 delay/padding not trimmed: " + w.numSamples() + " vs " + expected);
        } else {
            assertTrue(diff <= 1024, name + " length " + w.numSamples() + " vs " + expected);
        }
        // Compare below 8 kHz (both resampled to 16 kHz): lossy codecs drop the chirp's top octave.
        for (int c = 0; c < 2; c++) {
            float[] ref = Resampler.resample(KNOWN[c], 44100, 16000);
            float[] got = Resampler.resample(w.channel(c), rate, 16000);
            double r = correlation(ref, got);
            System.out.printf("  channel %d correlation below 8 kHz %.4f%n", c, r);
            assertTrue(r > 0.95, name + " channel " + c + " correlation " + r);
        }
    }

    @Test
    void nonAsciiFileName(@TempDir Path tmp) throws IOException {
        Path p = Files.copy(Fixtures.path("known.flac"), tmp.resolve("Sigur Rós – ágætis byrjun.flac"));
        assertEquals(KNOWN[0].length, AudioDecoder.decode(p).numSamples());
    }

    @Test
    void missingFileNamesTheFile() {
        Path p = Path.of("no-such-dir", "missing.wav");
        AudioDecodeException e = assertThrows(AudioDecodeException.class, () -> AudioDecoder.decode(p));
        assertTrue(e.getMessage().contains("missing.wav") && e.getMessage().contains("not found"), e.getMessage());
    }

    @Test
    void emptyFile() {
        assertFails("empty.mp3", "empty");
    }

    @Test
    void textFileNamedMp3() {
        assertFails("text.mp3", "not a decodable audio file");
    }

    @Test
    void videoWithoutAudio() {
        assertFails("video_only.mkv", "no audio stream");
    }

    @Test
    void wavWithoutSamples() {
        assertFails("no_samples.wav", "contains no audio samples");
    }

    @Test
    void repeatedDecodingDoesNotLeak() {
        Path p = Fixtures.path("known.flac");
        Path bad = Fixtures.path("text.mp3");
        Runnable round = () -> {
            for (int i = 0; i < 200; i++) {
                AudioDecoder.decode(p);
                assertThrows(AudioDecodeException.class, () -> AudioDecoder.decode(bad));
            }
        };
        round.run(); // warm-up: let the Java heap and FFmpeg's one-time tables settle
        round.run();
        long before = org.bytedeco.javacpp.Pointer.physicalBytes();
        for (int i = 0; i < 3; i++) {
            round.run();
        }
        long grown = org.bytedeco.javacpp.Pointer.physicalBytes() - before;
        System.out.printf("resident memory change over 600 more decodes: %.1f MB%n", grown / 1e6);
        // A decode allocates ~0.5 MB of FFmpeg state and buffers; leaking it would add ~300 MB here.
        assertTrue(grown < 100L << 20, "resident memory grew by " + grown + " bytes");
    }

    private static void assertFails(String name, String problem) {
        Path p = Fixtures.path(name);
        AudioDecodeException e = assertThrows(AudioDecodeException.class, () -> AudioDecoder.decode(p));
        System.out.println(name + " -> " + e.getMessage());
        assertTrue(e.getMessage().contains(name), "message names the file: " + e.getMessage());
        assertTrue(e.getMessage().contains(problem), "message says '" + problem + "': " + e.getMessage());
        assertEquals(p, e.file());
    }

    /** Pearson correlation over the common length. */
    static double correlation(float[] a, float[] b) {
        int n = Math.min(a.length, b.length);
        double ma = 0, mb = 0;
        for (int i = 0; i < n; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= n;
        mb /= n;
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < n; i++) {
            double x = a[i] - ma, y = b[i] - mb;
            sab += x * y;
            saa += x * x;
            sbb += y * y;
        }
        return sab / Math.sqrt(saa * sbb);
    }
}
