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

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mert4j.teacher.rvq.RvqVae;
import org.mert4j.testing.Wav;

class TeacherCommandTest {

    @Test
    void trainRvqThenEncodeWritesFramesByCodebooks(@TempDir Path tmp) throws IOException {
        Path wav = Wav.write(tmp.resolve("audio/a.wav"), 1.0, 24000, 1);
        Wav.write(tmp.resolve("audio/b.wav"), 0.7, 16000, 2);
        Path model = tmp.resolve("rvq");
        Cli.Result train = Cli.run("teacher", "train-rvq", "--audio", tmp.resolve("audio").toString(), "--out",
                model.toString(), "--steps", "4", "--batch", "2", "--codebooks", "3", "--codebook-size", "16",
                "--channels", "4", "--latent-dim", "8", "--segment", "0.4", "--save-every", "2", "--seed", "3");
        assertEquals(0, train.exitCode(), train.toString());
        assertTrue(train.err().contains("step 4/4"), train.toString());
        assertTrue(train.err().contains("perplexity"), train.toString());
        assertTrue(Files.readString(model.resolve("config.json")).contains("mert4j_rvq_vae"));

        Path npy = tmp.resolve("codes.npy");
        Cli.Result enc = Cli.run("teacher", "encode", "--teacher-model", model.toString(), wav.toString(), "--out",
                npy.toString());
        assertEquals(0, enc.exitCode(), enc.toString());
        long[] shape = npyShape(npy);
        assertArrayEquals(new long[] {75, 3}, shape, "1 s at 75 Hz, 3 codebooks");
        assertEquals(npyDataOffset(npy) + 75 * 3 * 8, Files.size(npy));
    }

    private static Cli.Result trainTiny(Path audio, Path model, String... more) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("teacher", "train-rvq", "--audio",
                audio.toString(), "--out", model.toString(), "--batch", "2", "--codebooks", "3", "--codebook-size",
                "16", "--channels", "4", "--latent-dim", "8", "--segment", "0.4"));
        args.addAll(java.util.List.of(more));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void trainRvqWithTheSameSeedStartsFromTheSameModel(@TempDir Path tmp) throws IOException {
        Wav.write(tmp.resolve("audio/a.wav"), 1.0, 24000, 1);
        byte[][] weights = new byte[3][];
        for (int run = 0; run < 3; run++) {
            Path model = tmp.resolve("rvq" + run);
            // a learning rate too small to move a float32 weight: the saved weights are the initial ones, and the
            // codebooks what the seeded first batches made of them
            Cli.Result r = trainTiny(tmp.resolve("audio"), model, "--steps", "2", "--lr", "1e-30", "--seed",
                    run < 2 ? "7" : "8");
            assertEquals(0, r.exitCode(), r.toString());
            weights[run] = Files.readAllBytes(model.resolve("model.safetensors"));
        }
        assertArrayEquals(weights[0], weights[1], "two runs with --seed 7");
        assertFalse(java.util.Arrays.equals(weights[0], weights[2]), "--seed 7 and --seed 8 gave the same model");
    }

    @Test
    void aDivergingTrainRvqFailsAndNeverSavesNonFiniteWeights(@TempDir Path tmp) throws IOException {
        Wav.write(tmp.resolve("audio/a.wav"), 1.0, 24000, 1);
        for (String lr : java.util.List.of("1e30", "1e38")) {
            Path model = tmp.resolve("rvq-" + lr);
            Cli.Result r = trainTiny(tmp.resolve("audio"), model, "--steps", "12", "--save-every", "1", "--seed", "3",
                    "--lr", lr);
            assertEquals(1, r.exitCode(), r.toString());
            assertTrue(r.err().contains("error: training diverged at step ") && r.err().contains("try a lower --lr"),
                    r.toString());
            if (Files.exists(model)) { // an earlier save is kept, and it is finite
                assertTrue(r.err().contains(model + " keeps the model saved at step "), r.toString());
                try (RvqVae m = RvqVae.load(model, "cpu")) {
                    assertEquals(java.util.List.of(), m.nonFinite());
                }
            } else {
                assertTrue(r.err().contains("Nothing was saved to " + model), r.toString());
            }
        }
    }

    @Test
    void encodeWithEncodecFolder(@TempDir Path tmp) throws IOException {
        Path wav = Wav.write(tmp.resolve("a.wav"), 0.5, 44100, 4);
        Path enc = Path.of("..", "mert4j-core", "src", "test", "resources", "teacher", "encodec", "causal");
        Path npy = tmp.resolve("codes.npy");
        Cli.Result r = Cli.run("teacher", "encode", "--teacher-model", enc.toString(), wav.toString(), "--out", npy.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertArrayEquals(new long[] {38, 8}, npyShape(npy), "ceil(12000 / 320) = 38 frames, 8 codebooks at 6 kbps");
    }

    @Test
    void usageErrors(@TempDir Path tmp) {
        Cli.Result none = Cli.run("teacher", "train-rvq", "--out", tmp.resolve("m").toString());
        assertEquals(2, none.exitCode(), none.toString());
        assertTrue(none.err().contains("no training audio"), none.toString());
        Cli.Result noModel = Cli.run("teacher", "encode", "--teacher-model", tmp.toString(), "x.wav", "--out", "o.npy");
        assertEquals(2, noModel.exitCode(), noModel.toString());
        Path wav;
        try {
            wav = org.mert4j.testing.Wav.write(tmp.resolve("a.wav"), 0.5, 24000, 1);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Cli.Result missing = Cli.run("teacher", "encode", "--teacher-model", tmp.resolve("encodec_24khz").toString(),
                wav.toString(), "--out", tmp.resolve("o.npy").toString());
        assertEquals(2, missing.exitCode(), missing.toString());
        assertTrue(missing.err().contains("no such folder") && missing.err().contains("facebook/encodec_24khz"),
                missing.toString());
        Cli.Result help = Cli.run("teacher", "encode", "--help");
        assertEquals(0, help.exitCode());
        assertTrue(help.out().contains("Examples"), help.toString());
    }

    private static long[] npyShape(Path npy) throws IOException {
        String header = new String(Files.readAllBytes(npy), 10, 100, StandardCharsets.US_ASCII);
        assertTrue(header.contains("'<i8'"), header);
        String dims = header.substring(header.indexOf("(") + 1, header.indexOf(")"));
        return java.util.Arrays.stream(dims.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .mapToLong(Long::parseLong).toArray();
    }

    private static long npyDataOffset(Path npy) throws IOException {
        byte[] b = Files.readAllBytes(npy);
        return 10 + (ByteBuffer.wrap(b, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xffff);
    }

    @Test
    void featuresEncodecWritesTheSameCodesAsTeacherEncode(@TempDir Path tmp) throws IOException {
        Path wav = Wav.write(tmp.resolve("a.wav"), 0.5, 44100, 3);
        Path enc = Path.of("..", "mert4j-core", "src", "test", "resources", "teacher", "encodec", "causal");
        Path a = tmp.resolve("a.npy");
        Path b = tmp.resolve("b.npy");
        assertEquals(0, Cli.run("teacher", "encode", "--teacher-model", enc.toString(), wav.toString(), "--out",
                a.toString()).exitCode());
        Cli.Result r = Cli.run("features", "encodec", wav.toString(), "--teacher-model", enc.toString(), "--out",
                b.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        assertEquals(2, Cli.run("features", "encodec", wav.toString(), "--out", b.toString()).exitCode(),
                "encodec without --teacher-model is a usage error");
    }
}
