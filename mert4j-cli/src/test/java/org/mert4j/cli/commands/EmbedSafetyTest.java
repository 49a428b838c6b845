package org.mert4j.cli.commands;

import org.mert4j.cli.jobs.FailureLog;
import org.mert4j.testing.Wav;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mert4j.io.Npy;

/**
 * {@code mert embed} never gives a silent wrong result and one bad input never stops or corrupts a run:
 * non-finite audio, outputs made with other settings, truncated files, missing and special inputs, a
 * second writer, and failures.tsv kept intact.
 */
class EmbedSafetyTest {
    static final String TINY = EmbedCommandTest.TINY;
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** failures.tsv lines as [path, reason], fields unescaped as a TSV reader with backslash escapes reads them. */
    static List<String[]> failures(Path file) throws IOException {
        List<String[]> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] cols = line.split("\t", -1);
            assertEquals(2, cols.length, () -> "not two columns: " + line);
            out.add(new String[] {unescape(cols[0]), unescape(cols[1])});
        }
        return out;
    }

    private static String unescape(String s) {
        return s.replace("\\t", "\t").replace("\\n", "\n").replace("\\r", "\r").replace("\\\\", "\\");
    }

    private static boolean lists(List<String[]> failures, Path file, String reason) {
        return failures.stream().anyMatch(f -> f[0].equals(file.toString()) && f[1].contains(reason));
    }

    // ---- item 2: NaN or infinity in the audio fails the file ----

    @Test
    void audioWithNanOrInfinityIsAFailureNotAnOutput() throws IOException {
        Path music = tmp.resolve("music");
        Wav.write(music.resolve("good.wav"), 1.5, 24000, 1);
        float[] nan = new float[36000];
        nan[20000] = Float.NaN;
        Wav.writeFloat(music.resolve("nan.wav"), nan, 24000);
        float[] inf = new float[36000];
        inf[100] = Float.POSITIVE_INFINITY;
        Wav.writeFloat(music.resolve("inf.wav"), inf, 24000);
        Path out = tmp.resolve("feats");

        Cli.Result r = Cli.run("embed", "--model", TINY, "--out", out.toString(), music.toString());
        assertEquals(1, r.exitCode(), r::toString);
        assertTrue(r.err().contains("1 ok, 2 failed"), r::toString);
        assertTrue(Files.exists(out.resolve("good.npy")));
        assertFalse(Files.exists(out.resolve("nan.npy")), "no output for NaN audio");
        assertFalse(Files.exists(out.resolve("inf.npy")), "no output for infinite audio");
        List<String[]> f = failures(out.resolve(FailureLog.FILE_NAME));
        assertTrue(lists(f, music.resolve("nan.wav"), "non-finite"), r::toString);
        assertTrue(lists(f, music.resolve("inf.wav"), "non-finite"), r::toString);

        // a rerun tries them again instead of skipping them
        Cli.Result again = Cli.run("embed", "--model", TINY, "--out", out.toString(), music.toString());
        assertEquals(1, again.exitCode(), again::toString);
        assertTrue(again.err().contains("0 ok, 2 failed, 1 skipped"), again::toString);

        // the whole-file path and JSON Lines: no NaN is ever written
        Path jsonl = tmp.resolve("all.jsonl");
        Cli.Result whole = Cli.run("embed", "--model", TINY, "--window", "none", "--out", jsonl.toString(),
                music.toString());
        assertEquals(1, whole.exitCode(), whole::toString);
        for (String line : Files.readAllLines(jsonl)) {
            JsonNode n = JSON.readTree(line); // NaN would not even parse as JSON
            assertEquals(n.get("path").asText().endsWith("good.wav"), n.has("embedding"), line);
        }
    }

    // ---- item 4: outputs made with other settings are not taken as done ----

    @Test
    void rerunsWithOtherSettingsAreRefusedNamingTheDifference() throws IOException {
        Path music = tmp.resolve("music");
        Wav.write(music.resolve("a.wav"), 1.5, 24000, 2);
        Wav.write(music.resolve("b.wav"), 1.2, 24000, 3);
        Path out = tmp.resolve("feats");
        assertEquals(0, Cli.run("embed", "--model", TINY, "--layers", "1", "--out", out.toString(),
                music.toString()).exitCode());
        byte[] before = Files.readAllBytes(out.resolve("a.npy"));

        Cli.Result layers = Cli.run("embed", "--model", TINY, "--out", out.toString(), music.toString());
        assertEquals(2, layers.exitCode(), layers::toString);
        assertTrue(layers.err().contains("layers 1 recorded, 0,1,2 wanted"), layers::toString);

        Cli.Result model = Cli.run("embed", "--model", EmbedCommandTest.FIXTURE.toString(), "--layers", "1", "--out",
                out.toString(), music.toString());
        assertEquals(2, model.exitCode(), model::toString);
        assertTrue(model.err().contains("model"), model::toString);

        Cli.Result pool = Cli.run("embed", "--model", TINY, "--layers", "1", "--window", "1", "--out", out.toString(),
                music.toString());
        assertEquals(2, pool.exitCode(), pool::toString);
        assertTrue(pool.err().contains("window 5 recorded, 1 wanted"), pool::toString);
        assertEquals(List.of(before.length), List.of(Files.readAllBytes(out.resolve("a.npy")).length));
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(out.resolve("a.npy"))), "outputs untouched");

        // the same settings: nothing to do
        Cli.Result same = Cli.run("embed", "--model", TINY, "--layers", "1", "--out", out.toString(), music.toString());
        assertEquals(0, same.exitCode(), same::toString);
        assertTrue(same.err().contains("nothing to do"), same::toString);

        // one output file: refused, then recomputed with --overwrite
        Path one = tmp.resolve("a.npy");
        assertEquals(0, Cli.run("embed", "--model", TINY, "--layers", "1", "--out", one.toString(),
                music.resolve("a.wav").toString()).exitCode());
        Cli.Result refused = Cli.run("embed", "--model", TINY, "--out", one.toString(), music.resolve("a.wav").toString());
        assertEquals(2, refused.exitCode(), refused::toString);
        assertTrue(refused.err().contains("--overwrite"), refused::toString);
        Cli.Result redone = Cli.run("embed", "--model", TINY, "--overwrite", "--out", one.toString(),
                music.resolve("a.wav").toString());
        assertEquals(0, redone.exitCode(), redone::toString);
        assertEquals(3, Npy.readFloats(one).shape()[0]);
        Cli.Result after = Cli.run("embed", "--model", TINY, "--out", one.toString(), music.resolve("a.wav").toString());
        assertEquals(0, after.exitCode(), after::toString);
        assertTrue(after.err().contains("nothing to do"), after::toString);
    }

    // ---- item 5: truncated FLAC, MP3 and WAV ----

    @Test
    void truncatedFilesAreEmbeddedWithAWarningSayingHowMuchWasDecoded() throws IOException {
        Path music = tmp.resolve("music");
        Files.createDirectories(music);
        for (String name : List.of("chords-24k.flac", "arpeggio-44k-stereo.mp3")) {
            byte[] whole = Files.readAllBytes(Path.of("..", "examples", "audio", name));
            Files.write(music.resolve("cut-" + name), java.util.Arrays.copyOf(whole, whole.length * 6 / 10));
            Files.write(music.resolve(name), whole);
        }
        // FFmpeg sizes a WAV by the file: only its header's data size tells that it was cut short
        byte[] wav = Files.readAllBytes(Wav.write(music.resolve("tone.wav"), 3.0, 24000, 3));
        Files.write(music.resolve("cut-tone.wav"), java.util.Arrays.copyOf(wav, wav.length * 6 / 10));
        Cli.Result r = Cli.run("embed", "--model", TINY, "--out", tmp.resolve("feats").toString(), music.toString());
        assertEquals(0, r.exitCode(), r::toString);
        for (String name : List.of("cut-chords-24k.flac", "cut-arpeggio-44k-stereo.mp3", "cut-tone.wav")) {
            assertTrue(r.err().lines().anyMatch(l -> l.contains("warning") && l.contains(name)
                    && l.contains("decoded") && l.contains("truncated")), () -> name + "\n" + r);
        }
        assertEquals(3, r.err().lines().filter(l -> l.startsWith("mert embed: warning")).count(),
                "complete files: no warning\n" + r);
    }

    // ---- item 7: a missing or special input is a failure of that input, the run goes on ----

    @Test
    void missingDanglingAndSpecialInputsAreListedAndTheRestGoOn() throws Exception {
        Path music = tmp.resolve("music");
        Path good = Wav.write(music.resolve("good.wav"), 1.2, 24000, 4);
        Path listed = Wav.write(tmp.resolve("listed.wav"), 1.2, 24000, 5);
        Files.createSymbolicLink(music.resolve("dangling.flac"), tmp.resolve("gone.flac"));
        boolean fifo = mkfifo(music.resolve("pipe.wav"));
        Path list = tmp.resolve("tracks.txt");
        Files.writeString(list, "listed.wav\nmissing-in-list.mp3\n");
        Path out = tmp.resolve("feats");

        Cli.Result r = Cli.run("embed", "--model", TINY, "--out", out.toString(), music.toString(), "@" + list,
                tmp.resolve("missing-arg.wav").toString());
        assertEquals(1, r.exitCode(), r::toString);
        assertTrue(Files.exists(out.resolve("good.npy")) && Files.exists(out.resolve("listed.npy")), r::toString);
        List<String[]> f = failures(out.resolve(FailureLog.FILE_NAME));
        assertTrue(lists(f, tmp.resolve("missing-arg.wav"), "not found"), r::toString);
        assertTrue(lists(f, tmp.resolve("missing-in-list.mp3"), "line 2"), r::toString);
        assertTrue(lists(f, music.resolve("dangling.flac"), "dangling"), r::toString);
        if (fifo) {
            assertTrue(lists(f, music.resolve("pipe.wav"), "FIFO"), r::toString);
        }
        assertEquals(fifo ? 4 : 3, f.size(), r::toString);
        assertTrue(r.err().contains("2 ok, " + f.size() + " failed"), r::toString);
        assertTrue(Files.exists(good));
        assertTrue(Files.exists(listed));
    }

    @Test
    void manifestSkipsAndReportsAFileNameWithALineBreak() throws IOException {
        Path music = tmp.resolve("music");
        Wav.write(music.resolve("a.wav"), 1.0, 24000, 6);
        Path odd = Wav.write(music.resolve("two\nlines.wav"), 1.0, 24000, 7);
        Wav.write(music.resolve("z.wav"), 1.0, 24000, 8);
        Path data = tmp.resolve("data");
        Cli.Result r = Cli.run("manifest", music.toString(), "--out", data.resolve("all.tsv").toString());
        assertEquals(1, r.exitCode(), r::toString);
        List<String> rows = Files.readAllLines(data.resolve("all.tsv"));
        assertEquals(List.of("a.wav\t24000", "z.wav\t24000"), rows.subList(1, rows.size()));
        List<String[]> f = failures(data.resolve(FailureLog.FILE_NAME));
        assertEquals(1, f.size());
        assertEquals(odd.toString(), f.get(0)[0], "the path comes back intact");
        assertTrue(f.get(0)[1].contains("line break"), f.get(0)[1]);
    }

    // ---- item 8: one writer per output folder; failures.tsv kept and intact ----

    @Test
    void aSecondWriterIsRefusedAndAStaleLockTakenOver() throws Exception {
        Path music = tmp.resolve("music");
        Wav.write(music.resolve("a.wav"), 1.2, 24000, 9);
        Path out = tmp.resolve("feats");
        Files.createDirectories(out);
        Path lock = out.resolve(".mert.lock");
        String host = InetAddress.getLocalHost().getHostName();
        Files.writeString(lock, "{\"pid\": " + ProcessHandle.current().pid() + ", \"host\": \"" + host
                + "\", \"command\": \"mert embed\"}");
        Cli.Result busy = Cli.run("embed", "--model", TINY, "--out", out.toString(), music.toString());
        assertEquals(2, busy.exitCode(), busy::toString);
        assertTrue(busy.err().contains("another mert embed") && busy.err().contains("pid "
                + ProcessHandle.current().pid()), busy::toString);
        assertFalse(Files.exists(out.resolve("a.npy")));

        // a process that has exited: its lock is taken over
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        Files.writeString(lock, "{\"pid\": " + p.pid() + ", \"host\": \"" + host + "\", \"command\": \"mert embed\"}");
        Cli.Result taken = Cli.run("embed", "--model", TINY, "--out", out.toString(), music.toString());
        assertEquals(0, taken.exitCode(), taken::toString);
        assertTrue(taken.err().contains("taking over the lock"), taken::toString);
        assertTrue(Files.exists(out.resolve("a.npy")));
        assertFalse(Files.exists(lock), "the lock goes with the run");

        // the same for labels and pretraining runs
        Path labels = tmp.resolve("labels");
        Files.createDirectories(labels);
        Files.writeString(labels.resolve(".mert.lock"), "{\"pid\": " + ProcessHandle.current().pid()
                + ", \"host\": \"" + host + "\", \"command\": \"mert labels\"}");
        Cli.Result manifest = Cli.run("manifest", music.toString(), "--out", tmp.resolve("train.tsv").toString());
        assertEquals(0, manifest.exitCode(), manifest::toString);
        Cli.Result l = Cli.run("labels", "--teacher", "mfcc-kmeans", "--fit", "--k", "4", "--manifest",
                tmp.resolve("train.tsv").toString(), "--out", labels.toString());
        assertEquals(2, l.exitCode(), l::toString);
        assertTrue(l.err().contains("another mert labels"), l::toString);
    }

    @Test
    void aLaterRunKeepsTheFailuresItDidNotRetryAndPathsStayIntact() throws IOException {
        Path first = tmp.resolve("first");
        Path bad = first.resolve("tab\there.mp3");
        Files.createDirectories(first);
        Files.writeString(bad, "not an mp3");
        Wav.write(first.resolve("ok.wav"), 1.2, 24000, 10);
        Path second = Wav.write(tmp.resolve("second/other.wav"), 1.2, 24000, 11);
        Path out = tmp.resolve("feats");

        Cli.Result a = Cli.run("embed", "--model", TINY, "--out", out.toString(), first.toString());
        assertEquals(1, a.exitCode(), a::toString);
        List<String[]> f = failures(out.resolve(FailureLog.FILE_NAME));
        assertEquals(1, f.size());
        assertEquals(bad.toString(), f.get(0)[0], "a tab in the path is escaped, not lost");

        Cli.Result b = Cli.run("embed", "--model", TINY, "--out", out.toString(), second.toString());
        assertEquals(0, b.exitCode(), b::toString);
        f = failures(out.resolve(FailureLog.FILE_NAME));
        assertEquals(1, f.size(), "the first run's failure is still listed");
        assertEquals(bad.toString(), f.get(0)[0]);

        // retrying the bad file itself supersedes its line (and lists it again, as it fails again)
        Files.delete(bad);
        Wav.write(bad, 1.2, 24000, 12);
        Cli.Result c = Cli.run("embed", "--model", TINY, "--out", out.toString(), first.toString());
        assertEquals(0, c.exitCode(), c::toString);
        assertFalse(Files.exists(out.resolve(FailureLog.FILE_NAME)), "nothing fails any more");
    }

    private static boolean mkfifo(Path p) {
        try {
            Process proc = new ProcessBuilder("mkfifo", p.toString()).start();
            return proc.waitFor() == 0 && Files.exists(p);
        } catch (IOException | InterruptedException e) {
            return false; // no mkfifo here: the FIFO case is left out
        }
    }
}
