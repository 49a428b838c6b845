package org.mert4j.cli.commands;

import org.mert4j.testing.Wav;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mert pretrain} says what it will do and what it leaves out: the schedule follows --max-steps,
 * rows without labels are reported (too many stop the run), inputs are checked before ranks start, the
 * log follows run.log_every, and a damaged newest checkpoint is skipped on resume.
 */
class PretrainSafetyTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path data;

    /** Four clips labelled, then two of them damaged and labelled again: two #FAILED rows of four. */
    @BeforeAll
    static void manifestAndLabels() throws Exception {
        for (int i = 0; i < 4; i++) {
            Wav.write(data.resolve("audio/clip" + i + ".wav"), 1.5 + 0.25 * i, 24000, i);
        }
        Cli.Result m = Cli.run("manifest", data.resolve("audio").toString(), "--out", data.resolve("train.tsv").toString());
        assertEquals(0, m.exitCode(), m.toString());
        Cli.Result l = Cli.run("labels", "--teacher", "mfcc-kmeans", "--fit", "--k", "4", "--sample-frames", "300",
                "--manifest", data.resolve("train.tsv").toString(), "--out", data.resolve("labels").toString());
        assertEquals(0, l.exitCode(), l.toString());
        Files.copy(data.resolve("labels/kmeans-mfcc.safetensors"), data.resolve("kmeans-mfcc.safetensors"));
        Files.writeString(data.resolve("audio/clip1.wav"), "damaged");
        Files.writeString(data.resolve("audio/clip3.wav"), "damaged");
        Cli.Result bad = Cli.run("labels", "--teacher", "mfcc-kmeans", "--teacher-model",
                data.resolve("kmeans-mfcc.safetensors").toString(), "--manifest", data.resolve("train.tsv").toString(),
                "--out", data.resolve("labels-half").toString());
        assertEquals(1, bad.exitCode(), bad.toString());
    }

    static List<String> args(Path run, String labels, String... extra) {
        List<String> a = new ArrayList<>(List.of("pretrain", "--preset", "tiny", "--manifest",
                data.resolve("train.tsv").toString(), "--labels", data.resolve(labels).toString(), "--out",
                run.toString(), "--set", "data.crop_seconds=1.0", "--set", "data.min_seconds=1.0", "--set",
                "data.max_tokens=48000"));
        a.addAll(List.of(extra));
        return a;
    }

    static Cli.Result run(List<String> args) {
        return Cli.run(args.toArray(new String[0]));
    }

    static List<JsonNode> metrics(Path run) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            out.add(JSON.readTree(line));
        }
        return out;
    }

    // ---- item 12 ----

    @Test
    void maxStepsEndsTheScheduleWhichIsPrintedAndTheLogFollowsLogEvery(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        Cli.Result r = run(args(run, "labels", "--max-steps", "8", "--set", "run.log_every=4"));
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.err().contains("schedule: updates 1-8") && r.err().contains("linear decay to 0 at update 8"),
                r::toString);
        JsonNode config = JSON.readTree(run.resolve("config.json").toFile());
        assertEquals(8, config.at("/optim/total_steps").asInt());
        List<JsonNode> m = metrics(run);
        assertEquals(List.of(4, 8), m.stream().map(n -> n.get("step").asInt()).toList());
        assertEquals(0.0, m.get(1).get("lr").asDouble(), "the learning rate has decayed at the last update");
        // stderr is not a terminal here: a line every run.log_every updates, not every 10th
        assertTrue(r.err().lines().anyMatch(l -> l.startsWith("step 4/8")), r::toString);
        assertTrue(r.err().lines().anyMatch(l -> l.startsWith("step 8/8")), r::toString);
        assertFalse(r.err().lines().anyMatch(l -> l.startsWith("step 3/8")), r::toString);

        // given explicitly, the schedule stays as given and the summary says the run stops before it ends
        Path explicit = tmp.resolve("explicit");
        Cli.Result e = run(args(explicit, "labels", "--max-steps", "2", "--set", "optim.total_steps=100"));
        assertEquals(0, e.exitCode(), e::toString);
        assertEquals(100, JSON.readTree(explicit.resolve("config.json").toFile()).at("/optim/total_steps").asInt());
        assertTrue(e.err().contains("stops at update 2, before the decay ends"), e::toString);
    }

    // ---- item 6 ----

    @Test
    void rowsWithoutLabelsAreReportedAndTooManyStopTheRun(@TempDir Path tmp) throws Exception {
        Cli.Result refused = run(args(tmp.resolve("a"), "labels-half", "--max-steps", "1"));
        assertEquals(2, refused.exitCode(), refused::toString);
        assertTrue(refused.err().contains("2 of 4 training rows have no labels")
                && refused.err().contains("--max-unlabelled"), refused::toString);
        assertFalse(Files.exists(tmp.resolve("a/metrics.jsonl")));

        Cli.Result allowed = run(args(tmp.resolve("b"), "labels-half", "--max-steps", "1", "--max-unlabelled", "50"));
        assertEquals(0, allowed.exitCode(), allowed::toString);
        assertTrue(allowed.err().contains("2 of 4 training rows have no labels") && allowed.err().contains("clip1.wav"),
                allowed::toString);
    }

    // ---- item 13 ----

    @Test
    void severalRanksWithAMissingManifestFailOnceWithExitTwo(@TempDir Path tmp) {
        Cli.Result r = Cli.run("pretrain", "--preset", "tiny", "--manifest", tmp.resolve("missing.tsv").toString(),
                "--labels", data.resolve("labels").toString(), "--out", tmp.resolve("run").toString(), "--nproc", "2");
        assertEquals(2, r.exitCode(), r::toString);
        assertEquals(1, r.err().lines().filter(l -> l.contains("missing.tsv")).count(), r::toString);
        assertFalse(r.err().contains("rank"), "no rank was started: " + r);
    }

    // ---- item 8 ----

    @Test
    void aSecondRunIntoTheSameFolderIsRefused(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        Files.createDirectories(run);
        Files.writeString(run.resolve(".mert.lock"), "{\"pid\": " + ProcessHandle.current().pid() + ", \"host\": \""
                + java.net.InetAddress.getLocalHost().getHostName() + "\", \"command\": \"mert pretrain\"}");
        Cli.Result r = run(args(run, "labels", "--max-steps", "1"));
        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.err().contains("being written by another mert pretrain"), r::toString);
        assertFalse(Files.exists(run.resolve("metrics.jsonl")));
    }

    // ---- item 9 ----

    @Test
    void resumeFallsBackToTheNewestCompleteCheckpointNamingIt(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        Cli.Result first = run(args(run, "labels", "--max-steps", "4", "--save-every", "2"));
        assertEquals(0, first.exitCode(), first::toString);
        Path damaged = run.resolve("checkpoints/step-00000004/optimizer.safetensors");
        byte[] bytes = Files.readAllBytes(damaged);
        Files.write(damaged, java.util.Arrays.copyOf(bytes, bytes.length - 100));

        Cli.Result resumed = Cli.run("pretrain", "--out", run.toString(), "--resume", "--max-steps", "5");
        assertEquals(0, resumed.exitCode(), resumed::toString);
        assertTrue(resumed.err().contains("step-00000004 is incomplete or damaged")
                && resumed.err().contains("optimizer.safetensors"), resumed::toString);
        assertTrue(resumed.err().contains("resuming from step 2 (") && resumed.err().contains("step-00000002"),
                resumed::toString);
        List<JsonNode> m = metrics(run);
        assertEquals(5, m.get(m.size() - 1).get("step").asInt(), "trained on from step 2 to 5");
    }
}
