package org.mert4j.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mert4j.testing.Wav;

class AudioStreamTest {

    static final Path EXAMPLES = Path.of("..", "examples", "audio");

    static float[] readAll(AudioStream in) {
        float[] all = new float[0];
        int pieces = 0;
        for (float[] piece; (piece = in.read()) != null; ) {
            assertTrue(piece.length > 0, "empty piece");
            all = StreamingResamplerTest.concat(all, piece);
            pieces++;
        }
        assertNull(in.read(), "stays at the end");
        assertTrue(pieces > 1, "one piece only: nothing was streamed");
        assertEquals(all.length, in.samplesRead());
        return all;
    }

    /** The pieces, concatenated, are the whole decode's mono mix bit for bit, for every codec. */
    @ParameterizedTest
    @ValueSource(strings = {"known_s16.wav", "known_s24.wav", "known_s32.wav", "known_f32.wav", "known.flac",
        "known.mp3", "known.ogg", "known.m4a", "known.opus"})
    void piecesEqualTheWholeDecode(String name) {
        assertSameAsDecode(Fixtures.path(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"arpeggio-44k-stereo.mp3", "chords-24k.flac"})
    void exampleAudio(String name) {
        assertSameAsDecode(EXAMPLES.resolve(name));
    }

    private static void assertSameAsDecode(Path file) {
        Waveform w = AudioDecoder.decode(file);
        try (AudioStream in = AudioStream.open(file)) {
            assertEquals(w.sampleRate(), in.sampleRate());
            assertEquals(w.numChannels(), in.numChannels());
            float[] streamed = readAll(in);
            assertTrue(Arrays.equals(w.mono(), streamed), file + ": streamed samples differ from decode().mono()");
        }
    }

    /** Bad files fail at open with the decoder's message. */
    @ParameterizedTest
    @ValueSource(strings = {"empty.mp3", "text.mp3", "video_only.mkv", "no_samples.wav"})
    void badFilesFailLikeTheDecoder(String name) {
        Path p = Fixtures.path(name);
        String expected = assertThrows(AudioDecodeException.class, () -> AudioDecoder.decode(p)).getMessage();
        AudioDecodeException e = assertThrows(AudioDecodeException.class, () -> AudioStream.open(p));
        assertEquals(expected, e.getMessage());
        assertEquals(p, e.file());
    }

    @Test
    void missingFile() {
        Path p = Path.of("no-such-dir", "missing.flac");
        AudioDecodeException e = assertThrows(AudioDecodeException.class, () -> AudioStream.open(p));
        assertTrue(e.getMessage().contains("missing.flac") && e.getMessage().contains("not found"), e.getMessage());
    }

    /** FFmpeg sizes a WAV by the file, so a WAV cut short is found through its header's data size. */
    @Test
    void aTruncatedWavIsReportedAndAWholeOneIsNot(@TempDir Path tmp) throws IOException {
        String name = "three-seconds.wav";
        Path file = Wav.write(tmp.resolve("whole.wav"), 3.0, 44100, 5);
        for (Path complete : List.of(file, Fixtures.path("known_s16.wav"), Fixtures.path("known_s24.wav"),
                Fixtures.path("known_s32.wav"), Fixtures.path("known_f32.wav"))) {
            try (AudioStream whole = AudioStream.open(complete)) {
                while (whole.read() != null) {
                    // to the end
                }
                assertNull(whole.lengthWarning(), "a complete file: " + complete);
            }
        }
        byte[] bytes = Files.readAllBytes(file);
        Path cut = Files.write(tmp.resolve(name), Arrays.copyOf(bytes, bytes.length * 6 / 10));
        try (AudioStream in = AudioStream.open(cut)) {
            while (in.read() != null) {
                // to the end
            }
            String warning = in.lengthWarning();
            assertTrue(warning != null && warning.contains("truncated"), String.valueOf(warning));
        }
        // a streaming writer's open size (0xFFFFFFFF) declares nothing
        byte[] open = bytes.clone();
        int data = indexOf(open, "data".getBytes(StandardCharsets.US_ASCII));
        Arrays.fill(open, data + 4, data + 8, (byte) 0xff);
        Path unsized = Files.write(tmp.resolve("open-" + name), Arrays.copyOf(open, open.length * 6 / 10));
        try (AudioStream in = AudioStream.open(unsized)) {
            while (in.read() != null) {
                // to the end
            }
            assertNull(in.lengthWarning());
        }
    }

    private static int indexOf(byte[] b, byte[] what) {
        for (int i = 0; i + what.length <= b.length; i++) {
            if (Arrays.equals(Arrays.copyOfRange(b, i, i + what.length), what)) {
                return i;
            }
        }
        throw new AssertionError("no data chunk");
    }
}
