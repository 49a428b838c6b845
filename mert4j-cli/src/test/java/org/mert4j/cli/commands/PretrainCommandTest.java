package org.mert4j.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mert4j.cli.Main;
import org.mert4j.model.MertModel;
import org.mert4j.testing.Wav;

/** manifest -> labels -> pretrain -> kill -9 -> resume -> export -> embed, through the command line. */
class PretrainCommandTest {
    static final String MODEL = "../mert4j-core/src/test/resources/model/postln-group";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path data;

    @BeforeAll
    static void manifestAndLabels() throws Exception {
        for (int i = 0; i < 4; i++) {
            Wav.write(data.resolve("audio/clip" + i + ".wav"), 2.0 + 0.5 * i, 24000, i);
        }
        Cli.Result m = Cli.run("manifest", data.resolve("audio").toString(), "--out", data.resolve("train.tsv").toString());
        assertEquals(0, m.exitCode(), m.toString());
        Cli.Result l = Cli.run("labels", "--teacher", "hubert-kmeans", "--teacher-model", MODEL, "--layer", "2", "--fit",
                "--k", "8", "--manifest", data.resolve("train.tsv").toString(), "--out", data.resolve("labels").toString());
        assertEquals(0, l.exitCode(), l.toString());
    }

    static List<String> args(Path run, int maxSteps) {
        return new ArrayList<>(List.of("pretrain", "--preset", "tiny", "--manifest", data.resolve("train.tsv").toString(),
                "--labels", data.resolve("labels").toString(), "--out", run.toString(), "--max-steps",
                Integer.toString(maxSteps), "--save-every", "2", "--set", "data.crop_seconds=1.0",
                "--set", "data.min_seconds=1.0", "--set", "data.max_tokens=48000", "--set", "run.log_every=1"));
    }

    static List<Double> losses(Path run) throws Exception {
        List<Double> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            JsonNode n = JSON.readTree(line);
            if (n.has("loss")) {
                assertEquals(out.size() + 1, n.get("step").asInt(), "steps in order, none twice");
                out.add(n.get("loss").asDouble());
            }
        }
        return out;
    }

    @Test
    void killedRunResumesOnTheSameTrajectory(@TempDir Path tmp) throws Exception {
        Path straight = tmp.resolve("straight");
        Cli.Result a = Cli.run(args(straight, 10).toArray(new String[0]));
        assertEquals(0, a.exitCode(), a.toString());

        Path killed = tmp.resolve("killed");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(args(killed, 10));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("killed.log").toFile()).start();
        Path marker = killed.resolve("checkpoints/step-00000004");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.exists(marker) && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(Files.exists(marker), "the run should reach its second checkpoint: " + Files.readString(tmp.resolve("killed.log")));
        p.destroyForcibly(); // SIGKILL: no shutdown hooks, possibly in the middle of a step or a checkpoint
        p.waitFor();

        Cli.Result refused = Cli.run(args(killed, 10).toArray(new String[0]));
        assertEquals(2, refused.exitCode(), "a run folder with checkpoints needs --resume: " + refused);
        Cli.Result resumed = Cli.run("pretrain", "--out", killed.toString(), "--resume");
        assertEquals(0, resumed.exitCode(), resumed.toString());
        assertTrue(resumed.err().contains("resuming from step"), resumed.err());

        List<Double> la = losses(straight);
        List<Double> lb = losses(killed);
        assertEquals(10, la.size());
        assertEquals(la.size(), lb.size());
        for (int i = 0; i < la.size(); i++) {
            assertEquals(la.get(i), lb.get(i), 1e-6 * Math.abs(la.get(i)), "loss of step " + (i + 1));
        }

        Path exported = tmp.resolve("exported");
        Cli.Result ex = Cli.run("export", killed.toString(), "--out", exported.toString());
        assertEquals(0, ex.exitCode(), ex.toString());
        try (MertModel m = MertModel.load(exported)) {
            assertEquals(3, m.embed(data.resolve("audio/clip0.wav")).shape()[0]);
        }
        Cli.Result plot = Cli.run("plot", killed.toString());
        assertEquals(0, plot.exitCode(), plot.toString());
        assertTrue(Files.size(killed.resolve("curves.png")) > 1000);
    }

    /**
     * The cpu preset end to end on labels at 75 Hz: its 25 Hz encoder takes every third label, the run logs the
     * validation CQT error, and the export says plainly that the folder is for mert4j, not Python.
     */
    @Test
    void cpuPresetTrainsExportsForMert4jOnlyAndEmbeds(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("cpu");
        Cli.Result r = Cli.run("pretrain", "--preset", "cpu", "--manifest", data.resolve("train.tsv").toString(),
                "--labels", data.resolve("labels").toString(), "--valid-manifest", data.resolve("train.tsv").toString(),
                "--valid-labels", data.resolve("labels").toString(), "--out", run.toString(), "--max-steps", "2",
                "--set", "encoder.hidden_size=32", "--set", "encoder.num_hidden_layers=1",
                "--set", "encoder.intermediate_size=64", "--set", "data.crop_seconds=1.0", "--set", "data.min_seconds=1.0",
                "--set", "data.max_tokens=48000", "--set", "run.log_every=1", "--set", "run.valid_every=2",
                "--set", "run.valid_batches=1");
        assertEquals(0, r.exitCode(), r.toString());
        JsonNode valid = null;
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            JsonNode n = JSON.readTree(line);
            if (n.has("valid_loss")) {
                valid = n;
            }
        }
        assertTrue(valid != null && valid.get("valid_cqt_error").asDouble() > 0, "validation CQT error logged");
        Path exported = tmp.resolve("exported");
        Cli.Result ex = Cli.run("export", run.toString(), "--out", exported.toString());
        assertEquals(0, ex.exitCode(), ex.toString());
        assertTrue(ex.err().contains("not in Python"), ex.err());
        assertEquals("mert4j_spectrogram", JSON.readTree(exported.resolve("config.json").toFile()).get("model_type").asText());
        try (MertModel m = MertModel.load(exported)) {
            assertEquals(2, m.embed(data.resolve("audio/clip0.wav")).shape()[0], "hidden states 0 and 1");
        }
    }
}
