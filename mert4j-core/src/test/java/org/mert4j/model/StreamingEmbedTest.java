package org.mert4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mert4j.audio.AudioDecodeException;
import org.mert4j.audio.AudioDecoder;
import org.mert4j.tensor.Devices;
import org.mert4j.tensor.FloatArray;

/** Streamed files give what the whole-file path gives: same windows, normalisation, batches and result. */
class StreamingEmbedTest {
    static final Path TINY = Path.of("..", "examples", "tiny-mert");
    static final int RATE = 44100; // test files are 44.1 kHz stereo, so the streamed path also resamples

    static MertModel model;
    @TempDir
    static Path tmp;

    @BeforeAll
    static void load() {
        model = MertModel.load(TINY);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /** A 16-bit stereo WAV of {@code seconds} of tones and noise (left and right differ). */
    static Path wav(String name, double seconds) throws IOException {
        int n = (int) Math.round(seconds * RATE);
        Random r = new Random(name.hashCode());
        ByteBuffer b = ByteBuffer.allocate(44 + 4 * n).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + 4 * n).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 2).putInt(RATE).putInt(RATE * 4)
                .putShort((short) 4).putShort((short) 16);
        b.put("data".getBytes()).putInt(4 * n);
        for (int i = 0; i < n; i++) {
            double t = (double) i / RATE;
            double f = 220 * (1 + (i / RATE) % 3);
            b.putShort((short) (8000 * Math.sin(2 * Math.PI * f * t) + 1500 * r.nextGaussian()));
            b.putShort((short) (6000 * Math.sin(2 * Math.PI * 1.5 * f * t) + 1500 * r.nextGaussian()));
        }
        Path p = tmp.resolve(name + ".wav");
        Files.write(p, b.array());
        return p;
    }

    static FloatArray whole(Embedder e, Path file, EmbedOptions options) {
        return embedder(e, options).embed(model.loadAudio(file));
    }

    static FileEmbedder embedder(Embedder e, EmbedOptions options) {
        return new FileEmbedder(model.config(), WindowEncoder.of(e), options);
    }

    /**
     * 2 s windows: 6.5 s is three windows and a dropped 0.5 s remnant, 7.5 s keeps its 1.5 s remnant, 6 s has
     * none, 0.7 s is a single short window; batches of 2 split the three full windows 2 + 1.
     */
    @ParameterizedTest(name = "{0} s, batch {1}, {2}")
    @CsvSource({"6.5,1,MEAN", "6.5,2,MEAN", "7.5,1,MEAN", "7.5,2,MEAN", "7.5,4,MEAN", "6.0,2,MEAN", "0.7,1,MEAN",
        "7.5,2,NONE", "6.5,1,NONE"})
    void streamedEqualsWhole(double seconds, int batch, EmbedOptions.Pool pool) throws IOException {
        Path file = wav("clip-" + seconds, seconds);
        EmbedOptions options = new EmbedOptions(2.0, pool, null, batch);
        FloatArray expected = model.embed(model.loadAudio(file), model.sampleRate(), options);
        FloatArray streamed = model.embed(file, options);
        assertArrayEquals(expected.shape(), streamed.shape());
        double diff = Fixtures.maxAbsDiff(expected.data(), streamed.data());
        System.out.printf("%.1f s batch %d %s: max diff %.2e%n", seconds, batch, pool, diff);
        assertTrue(diff <= 1e-5, "streamed differs from whole by " + diff);
    }

    /** Windows normalised one by one (do_normalize), and the samples counted as embedded. */
    @Test
    void normalisedWindowsAndProgress() throws IOException {
        Path file = wav("norm", 7.5);
        Embedder normalising = new Embedder(model.encoder(), Devices.parse("cpu"), true);
        EmbedOptions options = new EmbedOptions(2.0, EmbedOptions.Pool.MEAN, new int[] {0, 2}, 2);
        FloatArray expected = whole(normalising, file, options);
        List<Long> progress = new ArrayList<>();
        FloatArray streamed;
        try (AudioWindows w = model.openWindows(file, options)) {
            streamed = embedder(normalising, options).embed(w, progress::add, FileEmbedder.WindowWatch.NONE).values();
            assertEquals(180_000, w.totalSamples()); // 7.5 s at 24 kHz
        }
        assertTrue(Fixtures.maxAbsDiff(expected.data(), streamed.data()) <= 1e-5);
        // Unnormalised features differ: the option is really in effect.
        assertTrue(Fixtures.maxAbsDiff(model.embed(file, options).data(), streamed.data()) > 1e-3);
        // batches [2 s, 2 s], [2 s], [1.5 s]
        assertEquals(List.of(96_000L, 144_000L, 180_000L), progress);
    }

    /** The cutter gives WindowPlan.split's windows for any length and any way the samples arrive. */
    @Test
    void cutterMatchesWindowPlan() {
        Random rng = new Random(3);
        for (double window : new double[] {0.5, 1.0, 2.0, 2.37}) {
            for (int n : new int[] {1, 100, 11_999, 12_000, 23_999, 24_000, 47_999, 48_000, 48_001, 71_999, 72_000,
                    96_001, 100_000, 123_456}) {
                List<WindowPlan.Window> plan = WindowPlan.split(n, 24000, window);
                WindowCutter cutter = new WindowCutter(24000, window);
                List<float[]> got = new ArrayList<>();
                float[] x = new float[n];
                for (int i = 0; i < n; i++) {
                    x[i] = i;
                }
                int i = 0;
                while (i < n) {
                    int len = Math.min(n - i, 1 + rng.nextInt(rng.nextBoolean() ? 10 : 40_000));
                    got.addAll(cutter.push(java.util.Arrays.copyOfRange(x, i, i + len)));
                    i += len;
                }
                float[] last = cutter.finish();
                if (last != null) {
                    got.add(last);
                }
                assertEquals(plan.size(), got.size(), n + " samples, " + window + " s windows");
                for (int k = 0; k < plan.size(); k++) {
                    WindowPlan.Window w = plan.get(k);
                    assertEquals(w.length(), got.get(k).length);
                    assertEquals(w.start(), (long) got.get(k)[0]);
                    assertEquals(w.start() + w.length() - 1, (long) got.get(k)[got.get(k).length - 1]);
                }
                assertEquals(n, cutter.totalSamples());
            }
        }
    }

    /** A bad file fails with the decoder's message, naming the file, as the whole-file path did. */
    @Test
    void badFilesGiveTheDecodersError() throws IOException {
        Path text = Files.writeString(tmp.resolve("notes.flac"), "not audio at all\n".repeat(50));
        Path empty = Files.write(tmp.resolve("empty.wav"), new byte[0]);
        for (Path bad : List.of(text, empty, tmp.resolve("missing.mp3"))) {
            String expected = assertThrows(AudioDecodeException.class, () -> AudioDecoder.decode(bad)).getMessage();
            AudioDecodeException e = assertThrows(AudioDecodeException.class,
                    () -> model.embed(bad, EmbedOptions.MARBLE));
            assertEquals(expected, e.getMessage());
            assertEquals(bad, e.file());
        }
    }

    @Test
    void tooShortIsTheSameClearError() throws IOException {
        Path file = wav("short", 0.005); // 221 samples -> 121 at 24 kHz, below the 400-sample receptive field
        String expected = assertThrows(IllegalArgumentException.class,
                () -> model.embed(model.loadAudio(file), model.sampleRate(), EmbedOptions.MARBLE)).getMessage();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model.embed(file, EmbedOptions.MARBLE));
        assertEquals(expected, e.getMessage());
        assertTrue(e.getMessage().contains("too short"), e.getMessage());
    }

    /** Closing part-way stops the decoding thread without waiting for the rest of the file. */
    @Test
    void closingEarlyStopsTheDecoder() throws IOException {
        Path file = wav("long", 20);
        AudioWindows w = model.openWindows(file, new EmbedOptions(0.5, EmbedOptions.Pool.MEAN, null, 1));
        assertNotNull(w.next());
        w.close();
        assertEquals(-1, w.totalSamples());
        try (AudioWindows all = model.openWindows(file, new EmbedOptions(5, EmbedOptions.Pool.MEAN, null, 1))) {
            int count = 0;
            while (all.next() != null) {
                count++;
            }
            assertEquals(4, count);
            assertNull(all.next());
            assertEquals(480_000, all.totalSamples());
        }
    }
}
