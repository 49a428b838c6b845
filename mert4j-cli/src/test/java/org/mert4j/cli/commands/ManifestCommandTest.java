package org.mert4j.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mert4j.cli.jobs.FailureLog;
import org.mert4j.teacher.Manifest;
import org.mert4j.testing.Wav;

class ManifestCommandTest {
    @TempDir
    Path tmp;

    private Path music() throws IOException {
        Path music = tmp.resolve("music");
        Wav.write(music.resolve("a/one.wav"), 1.0, 24000, 1);   // 24000 samples at 24 kHz
        Wav.write(music.resolve("a/two.wav"), 2.0, 44100, 2);   // 88200 at 44.1 kHz -> 48000 at 24 kHz
        Wav.write(music.resolve("b/three.wav"), 0.5, 16000, 3); // 8000 -> 12000
        Wav.write(music.resolve("short.wav"), 0.1, 24000, 4);   // 2400
        Files.writeString(music.resolve("b/broken.wav"), "this is not audio");
        return music;
    }

    @Test
    void manifestListsDecodableFilesAtTheModelRateAndReportsTheBadOne() throws IOException {
        Path music = music();
        Path out = tmp.resolve("data/all.tsv");
        Cli.Result r = Cli.run("manifest", music.toString(), "--out", out.toString());
        assertEquals(1, r.exitCode(), r::toString);
        assertTrue(r.err().contains("FAILED") && r.err().contains("broken.wav"), r::toString);
        Manifest m = Manifest.read(out);
        assertEquals(24000, m.sampleRate());
        assertEquals(music.toAbsolutePath().normalize(), m.root());
        assertEquals(List.of(new Manifest.Entry("a/one.wav", 24000), new Manifest.Entry("a/two.wav", 48000),
                new Manifest.Entry("b/three.wav", 12000), new Manifest.Entry("short.wav", 2400)), m.entries());
        List<String> failures = Files.readAllLines(tmp.resolve("data/" + FailureLog.FILE_NAME));
        assertEquals(1, failures.size());
        assertTrue(failures.get(0).startsWith(music.resolve("b/broken.wav") + "\t"), failures.get(0));
        assertTrue(Files.isRegularFile(m.file(1)), "rows resolve against the root");
    }

    @Test
    void splitAndMinimumLength() throws IOException {
        Path music = music();
        Files.delete(music.resolve("b/broken.wav"));
        Path out = tmp.resolve("data");
        Cli.Result r = Cli.run("manifest", music.toString(), "--out", out.toString(), "--sample-rate", "16000",
                "--min-seconds", "0.2", "--valid-percent", "34", "--seed", "1");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.err().contains("left out 1 file shorter"), r::toString);
        Manifest train = Manifest.read(out.resolve("train.tsv"));
        Manifest valid = Manifest.read(out.resolve("valid.tsv"));
        assertEquals(16000, train.sampleRate());
        assertEquals(2, train.size());
        assertEquals(1, valid.size()); // round(3 * 0.34)
        Set<String> all = new HashSet<>();
        train.entries().forEach(e -> all.add(e.path()));
        valid.entries().forEach(e -> all.add(e.path()));
        assertEquals(Set.of("a/one.wav", "a/two.wav", "b/three.wav"), all);
        assertFalse(Files.exists(out.resolve(FailureLog.FILE_NAME)));
        assertEquals(16000, train.entries().stream().filter(e -> e.path().equals("a/one.wav")).findFirst()
                .map(Manifest.Entry::numSamples).orElse(16000L));
    }

    /** What the README shows: a manifest file name and --valid-percent, valid.tsv written beside it. */
    @Test
    void validPercentWithAManifestFileWritesValidBesideIt() throws IOException {
        Path music = music();
        Files.delete(music.resolve("b/broken.wav"));
        Path train = tmp.resolve("data/train.tsv");
        Cli.Result r = Cli.run("manifest", music.toString(), "--out", train.toString(), "--valid-percent", "25");
        assertEquals(0, r.exitCode(), r::toString);
        Manifest t = Manifest.read(train);
        Manifest v = Manifest.read(tmp.resolve("data/valid.tsv"));
        assertEquals(3, t.size());
        assertEquals(1, v.size());
    }

    @Test
    void usageErrorsExitTwo() throws IOException {
        Path music = music();
        Cli.Result r = Cli.run("manifest", music.toString(), "--out", tmp.resolve("valid.tsv").toString(),
                "--valid-percent", "5");
        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.err().contains("valid.tsv beside --out"), r::toString);
        r = Cli.run("manifest", tmp.resolve("nope").toString(), "--out", tmp.resolve("x.tsv").toString());
        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.err().contains("not a folder"), r::toString);
    }
}
