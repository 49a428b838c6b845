package org.mert4j.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
}
