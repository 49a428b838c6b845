package org.mert4j.cli.commands;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mert4j.cli.jobs.FailureLog;
import org.mert4j.cli.output.OutputFormat;
import org.mert4j.io.Npy;
import org.mert4j.model.EmbedOptions;
import org.mert4j.model.MertConfig;
import org.mert4j.model.MertModel;
import org.mert4j.tensor.FloatArray;
import org.mert4j.testing.Wav;

class EmbedCommandTest {
    /** A real (tiny) Hugging Face model folder committed with the core's tests. */
    static final Path FIXTURE = Path.of("../mert4j-core/src/test/resources/model/postln-group");
    static final String TINY = "preset:tiny";
    static final int H = MertConfig.preset("tiny").transformer().hiddenSize();
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    static MertModel tiny;

    @BeforeAll
    static void model() {
        tiny = MertModel.random(MertConfig.preset("tiny"), 0, "cpu"); // what --model preset:tiny builds
    }

    private static void assertExit(int expected, Cli.Result r) {
        assertEquals(expected, r.exitCode(), r::toString);
    }

    @Test
    void oneFileWritesTheMarbleEmbeddingOfTheModel() throws IOException {
        Path wav = Wav.write(tmp.resolve("song.wav"), 7.3, 44100, 1);
        Path out = tmp.resolve("song.npy");
        Cli.Result r = Cli.run("embed", "--model", FIXTURE.toString(), "--out", out.toString(), wav.toString());
        assertExit(0, r);
        FloatArray got = Npy.readFloats(out);
        try (MertModel m = MertModel.load(FIXTURE, "cpu")) {
            FloatArray want = m.embed(wav, EmbedOptions.MARBLE);
            assertArrayEquals(new long[] {3, 32}, got.shape());
            assertArrayEquals(want.data(), got.data(), 1e-5f);
        }
        assertTrue(r.err().contains("1 ok, 0 failed, 0 skipped"), r::toString);
        assertFalse(Files.exists(tmp.resolve(FailureLog.FILE_NAME)), "no failures, no list");
    }

    @Test
    void int8GivesTheInt8ModelsEmbedding() throws IOException {
        Path wav = Wav.write(tmp.resolve("song.wav"), 7.3, 44100, 1);
        Path out = tmp.resolve("song.npy");
        Cli.Result r = Cli.run("embed", "--model", FIXTURE.toString(), "--int8", "--out", out.toString(), wav.toString());
        assertExit(0, r);
        FloatArray got = Npy.readFloats(out);
        try (MertModel fp32 = MertModel.load(FIXTURE, "cpu"); MertModel q = MertModel.load(FIXTURE, "cpu")) {
            q.quantizeDynamicInt8();
            assertArrayEquals(q.embed(wav, EmbedOptions.MARBLE).data(), got.data(), 1e-5f);
            float[] f = fp32.embed(wav, EmbedOptions.MARBLE).data();
            assertFalse(java.util.Arrays.equals(f, got.data()), "--int8 gave the fp32 embedding");
        }
        Cli.Result gpu = Cli.run("embed", "--model", FIXTURE.toString(), "--int8", "--device", "cuda",
                "--out", tmp.resolve("x.npy").toString(), wav.toString());
        assertTrue(gpu.exitCode() != 0, gpu::toString);
    }

    @Test
    void presetModelGivesItsShapeAndWarnsAboutRandomWeights() throws IOException {
        Path wav = Wav.write(tmp.resolve("a.wav"), 6, 24000, 2);
        Path out = tmp.resolve("a.npy");
        Cli.Result r = Cli.run("embed", "--model", TINY, "--threads", "1", "--out", out.toString(), wav.toString());
        assertExit(0, r);
        assertTrue(r.err().contains("random weights"), r::toString);
        FloatArray got = Npy.readFloats(out);
        assertArrayEquals(new long[] {3, H}, got.shape());
        assertArrayEquals(tiny.embed(wav, EmbedOptions.MARBLE).data(), got.data(), 1e-5f);
    }

    @Test
    void directoryInputsAreMirroredAndRerunsSkipDoneFiles() throws IOException {
        Path music = tmp.resolve("music");
        Wav.write(music.resolve("x/y/one.wav"), 2, 24000, 3);
        Wav.write(music.resolve("two.wav"), 1.5, 16000, 4);
        Files.writeString(music.resolve("notes.txt"), "not audio, and not picked up from a directory");
        Path loose = Wav.write(tmp.resolve("elsewhere/three.wav"), 1.2, 24000, 5);
        Path out = tmp.resolve("feats");

        Cli.Result r = Cli.run("embed", "--model", TINY, "--out", out.toString(), music.toString(), loose.toString());
        assertExit(0, r);
        for (String p : List.of("x/y/one.npy", "two.npy", "three.npy")) {
            assertArrayEquals(new long[] {3, H}, Npy.readFloats(out.resolve(p)).shape(), p);
        }
        assertFalse(Files.exists(out.resolve("notes.npy")));

        // a leftover temporary file of a killed run must not count as done
        Files.delete(out.resolve("two.npy"));
        Files.writeString(out.resolve(".two.npy.12345.tmp"), "half");
        FileTime before = Files.getLastModifiedTime(out.resolve("x/y/one.npy"));
        Cli.Result again = Cli.run("embed", "--model", TINY, "--out", out.toString(), music.toString(),
                loose.toString());
        assertExit(0, again);
        assertTrue(again.err().contains("1 ok, 0 failed, 2 skipped"), again::toString);
        assertEquals(before, Files.getLastModifiedTime(out.resolve("x/y/one.npy")));
        assertTrue(Files.exists(out.resolve("two.npy")));

        Cli.Result nothing = Cli.run("embed", "--model", TINY, "--out", out.toString(), music.toString(),
                loose.toString());
        assertExit(0, nothing);
        assertTrue(nothing.err().contains("nothing to do"), nothing::toString);
    }

    @Test
    void badFilesAreReportedListedAndTheRestGoOn() throws IOException {
        Path music = tmp.resolve("music");
        Wav.write(music.resolve("good.wav"), 1.5, 24000, 6);
        Files.writeString(music.resolve("text.mp3"), "this is not an mp3 file at all");
        Files.createFile(music.resolve("empty.wav"));
        Wav.write(music.resolve("tiny.wav"), 0.005, 24000, 7); // shorter than one frame
        Path out = tmp.resolve("feats");

        Cli.Result r = Cli.run("embed", "--model", TINY, "--out", out.toString(), music.toString());
        assertExit(1, r);
        for (String bad : List.of("text.mp3", "empty.wav", "tiny.wav")) {
            assertTrue(r.err().lines().anyMatch(l -> l.contains("FAILED") && l.contains(bad)), r::toString);
        }
        assertTrue(Files.exists(out.resolve("good.npy")));
        assertFalse(Files.exists(out.resolve("text.npy")));
        List<String> failures = Files.readAllLines(out.resolve(FailureLog.FILE_NAME));
        assertEquals(3, failures.size(), failures::toString);
        for (String line : failures) {
            String[] cols = line.split("\t");
            assertEquals(2, cols.length, line);
            assertFalse(cols[1].isBlank(), line);
        }
        assertTrue(failures.stream().anyMatch(l -> l.startsWith(music.resolve("text.mp3") + "\t")), failures::toString);
        assertTrue(failures.stream().anyMatch(l -> l.contains("tiny.wav\t") && l.contains("too short")),
                failures::toString);
        assertFalse(r.err().contains("at org."), "no stack trace without --verbose");
    }

    @Test
    void verboseAddsTheStackTraceOfABadFile() throws IOException {
        Path music = tmp.resolve("music");
        Files.createDirectories(music);
        Files.writeString(music.resolve("text.mp3"), "this is not an mp3 file at all");

        Cli.Result r = Cli.run("embed", "--model", TINY, "--out", tmp.resolve("feats").toString(), "-v",
                music.toString());
        assertExit(1, r);
        assertTrue(r.err().lines().anyMatch(l -> l.contains("FAILED") && l.contains("text.mp3")), r::toString);
        assertTrue(r.err().contains("at org."), r::toString);
    }

    @Test
    void jsonlHoldsOneObjectPerInputAndResumes() throws IOException {
        Path music = tmp.resolve("music");
        Wav.write(music.resolve("a.wav"), 2, 24000, 8);
        Wav.write(music.resolve("b.wav"), 5.5, 22050, 9);
        Files.writeString(music.resolve("c.mp3"), "garbage");
        Path out = tmp.resolve("all.jsonl");

        Cli.Result r = Cli.run("embed", "--model", TINY, "--layers", "1-2", "--format", "jsonl", "--out",
                out.toString(), music.toString());
        assertExit(1, r);
        List<String> lines = Files.readAllLines(out);
        assertEquals(3, lines.size());
        int ok = 0;
        for (String line : lines) {
            JsonNode n = JSON.readTree(line);
            assertTrue(n.get("path").asText().startsWith(music.toString()), line);
            if (n.has("error")) {
                assertTrue(n.get("path").asText().endsWith("c.mp3"));
                continue;
            }
            ok++;
            assertEquals("[2," + H + "]", n.get("shape").toString());
            assertEquals("[1,2]", n.get("layers").toString());
            assertEquals(2, n.get("embedding").size());
            assertEquals(H, n.get("embedding").get(0).size());
            assertTrue(n.get("duration_s").asDouble() > 1.9);
        }
        assertEquals(2, ok);
        JsonNode a = JSON.readTree(lines.stream().filter(l -> l.contains("a.wav")).findFirst().orElseThrow());
        float[] want = tiny.embed(music.resolve("a.wav"), EmbedOptions.MARBLE.withLayers(new int[] {1, 2})).data();
        assertEquals(want[H + 5], (float) a.get("embedding").get(1).get(5).asDouble(), 1e-5f);

        // a half-written last line, as a killed run leaves it, is dropped and its input redone
        Files.writeString(out, lines.get(0).substring(0, 40), java.nio.file.StandardOpenOption.APPEND);
        Cli.Result again = Cli.run("embed", "--model", TINY, "--layers", "1-2", "--out", out.toString(),
                music.toString());
        assertExit(1, again);
        assertTrue(again.err().contains("0 ok, 1 failed, 2 skipped"), again::toString);
        List<String> after = Files.readAllLines(out);
        assertEquals(3, after.size(), after::toString);
        for (String line : after) {
            JSON.readTree(line); // every line parses
        }
    }

    /**
     * Files are streamed (the next one decoding ahead) yet give what loading them whole gives; a corrupt
     * file between two good ones fails alone.
     */
    @Test
    void streamedFilesEqualTheWholeFilePath() throws IOException {
        Path music = tmp.resolve("music");
        Wav.write(music.resolve("a-long.wav"), 12.3, 44100, 11); // 5 s, 5 s and a kept 2.3 s remnant
        Files.writeString(music.resolve("b-bad.flac"), "not flac");
        Wav.write(music.resolve("c-short.wav"), 5.4, 48000, 12); // one 5 s window, the 0.4 s remnant dropped
        Path out = tmp.resolve("all.jsonl");
        Cli.Result r = Cli.run("embed", "--model", TINY, "--batch", "2", "--out", out.toString(), music.toString());
        assertExit(1, r);
        assertTrue(r.err().contains("2 ok, 1 failed"), r::toString);
        assertTrue(r.err().lines().anyMatch(l -> l.contains("FAILED") && l.contains("b-bad.flac")
                && l.contains("not a decodable audio file")), r::toString);
        EmbedOptions options = EmbedOptions.MARBLE.withBatchSize(2);
        for (String line : Files.readAllLines(out)) {
            JsonNode n = JSON.readTree(line);
            if (n.has("error")) {
                assertTrue(n.get("path").asText().endsWith("b-bad.flac"), line);
                continue;
            }
            float[] samples = tiny.loadAudio(Path.of(n.get("path").asText()));
            float[] want = tiny.embed(samples, tiny.sampleRate(), options).data();
            assertEquals(samples.length / (double) tiny.sampleRate(), n.get("duration_s").asDouble(), 1e-9, line);
            for (int l = 0; l < 3; l++) {
                for (int k = 0; k < H; k++) {
                    assertEquals(want[l * H + k], (float) n.get("embedding").get(l).get(k).asDouble(), 1e-5f);
                }
            }
        }
    }

    @Test
    void framesOfTheWholeClipWithoutPooling() throws IOException {
        Path wav = Wav.write(tmp.resolve("clip.wav"), 3.1, 24000, 10);
        Path out = tmp.resolve("frames.npy");
        Cli.Result r = Cli.run("embed", "--model", TINY, "--pool", "none", "--window", "none", "--out",
                out.toString(), wav.toString());
        assertExit(0, r);
        FloatArray got = Npy.readFloats(out);
        long frames = tiny.config().framesFor(Math.round(3.1 * 24000));
        assertArrayEquals(new long[] {3, frames, H}, got.shape());
        float[] samples = tiny.loadAudio(wav);
        assertArrayEquals(tiny.hiddenStates(samples, 24000).data(), got.data(), 1e-5f);
    }

    @Test
    void layerSubsetKeepsThoseRows() throws IOException {
        Path wav = Wav.write(tmp.resolve("s.wav"), 2.5, 24000, 11);
        Path all = tmp.resolve("all.npy");
        Path some = tmp.resolve("some.npy");
        assertExit(0, Cli.run("embed", "--model", TINY, "--out", all.toString(), wav.toString()));
        assertExit(0, Cli.run("embed", "--model", TINY, "--layers", "2,0", "--out", some.toString(), wav.toString()));
        FloatArray full = Npy.readFloats(all);
        FloatArray sub = Npy.readFloats(some);
        assertArrayEquals(new long[] {2, H}, sub.shape());
        assertArrayEquals(full.row(2), sub.row(0), 1e-6f);
        assertArrayEquals(full.row(0), sub.row(1), 1e-6f);
    }

    @Test
    void safetensorsCarriesTheEmbeddingAndHowItWasMade() throws IOException {
        Path music = tmp.resolve("music");
        Wav.write(music.resolve("d/e.wav"), 2, 24000, 12);
        Path out = tmp.resolve("st");
        Cli.Result r = Cli.run("embed", "--model", TINY, "--format", "safetensors", "--window", "1.5", "--out",
                out.toString(), music.toString());
        assertExit(0, r);
        byte[] bytes = Files.readAllBytes(out.resolve("d/e.safetensors"));
        long headerLen = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLen % 8);
        JsonNode header = JSON.readTree(new String(bytes, 8, (int) headerLen, StandardCharsets.UTF_8));
        assertEquals("F32", header.at("/embedding/dtype").asText());
        assertEquals("[3," + H + "]", header.at("/embedding/shape").toString());
        assertEquals(8 + headerLen + 3L * H * 4, bytes.length);
        JsonNode meta = header.get("__metadata__");
        assertEquals("preset:tiny", meta.get("model").asText());
        assertEquals("0,1,2", meta.get("layers").asText());
        assertEquals("1.5", meta.get("window_s").asText());
        assertEquals("mean", meta.get("pool").asText());
        assertEquals("24000", meta.get("sample_rate").asText());
        assertEquals(2.0, Double.parseDouble(meta.get("duration_s").asText()), 1e-9);
        float first = ByteBuffer.wrap(bytes, 8 + (int) headerLen, 4).order(ByteOrder.LITTLE_ENDIAN).getFloat();
        float want = tiny.embed(music.resolve("d/e.wav"), EmbedOptions.MARBLE.withWindow(1.5)).data()[0];
        assertEquals(want, first, 1e-5f);
    }

    @Test
    void layerOutOfRangeIsAUsageError() throws IOException {
        Path wav = Wav.write(tmp.resolve("s.wav"), 1, 24000, 13);
        Path out = tmp.resolve("s.npy");
        Cli.Result r = Cli.run("embed", "--model", TINY, "--layers", "99", "--out", out.toString(), wav.toString());
        assertExit(2, r);
        assertTrue(r.err().contains("--layers 99") && r.err().contains("0-2"), r::toString);
        assertEquals(1, r.err().lines().filter(l -> l.contains("error")).count(), r::toString);
        assertFalse(Files.exists(out));
    }

    @Test
    void commandLineMistakesExitWithTwo() throws IOException {
        Path a = Wav.write(tmp.resolve("a.wav"), 1, 24000, 14);
        Path b = Wav.write(tmp.resolve("b.wav"), 1, 24000, 15);
        String out = tmp.resolve("x.npy").toString();
        List<String[]> cases = List.of(
                new String[] {"embed", "--model", TINY, "--out", out, a.toString(), b.toString()},
                new String[] {"embed", "--model", tmp.resolve("no-model").toString(), "--out", out, a.toString()},
                new String[] {"embed", "--model", "preset:nope", "--out", out, a.toString()},
                new String[] {"embed", "--model", TINY, "--layers", "3-", "--out", out, a.toString()},
                new String[] {"embed", "--model", TINY, "--window", "-1", "--out", out, a.toString()},
                new String[] {"embed", "--model", TINY, "--format", "jsonl", "--out", out, a.toString()},
                new String[] {"embed", "--model", TINY, "--pool", "max", "--out", out, a.toString()},
                new String[] {"embed", "--model", TINY, "--bogus", "--out", out, a.toString()},
                new String[] {"embed", "--model", TINY, a.toString()},
                new String[] {});
        for (String[] args : cases) {
            Cli.Result r = Cli.run(args);
            assertEquals(2, r.exitCode(), () -> Arrays.toString(args) + "\n" + r);
            assertFalse(r.err().isBlank(), Arrays.toString(args));
            assertFalse(r.err().contains("\tat "), () -> "stack trace for " + Arrays.toString(args) + "\n" + r);
        }
    }

    @Test
    void outputExtensionsAreReplaced() {
        assertEquals(Path.of("a/b/song.npy"), EmbedCommand.withExtension(Path.of("a/b/song.mp3"), OutputFormat.NPY));
        assertEquals(Path.of("x.y.safetensors"), EmbedCommand.withExtension(Path.of("x.y.flac"),
                OutputFormat.SAFETENSORS));
        assertEquals(Path.of(".hidden.npy"), EmbedCommand.withExtension(Path.of(".hidden"), OutputFormat.NPY));
    }
}
