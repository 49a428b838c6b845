package org.mert4j.teacher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestTest {
    @TempDir
    Path tmp;

    private static Manifest sample(int rows) {
        List<Manifest.Entry> e = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            e.add(new Manifest.Entry("dir " + i + "/song_" + i + ".flac", 24000L * (i + 1)));
        }
        return new Manifest(Path.of("/data/music"), 24000, e);
    }

    @Test
    void writeThenReadGivesTheSameRowsRootAndRate() throws IOException {
        Manifest m = sample(5);
        Path f = tmp.resolve("train.tsv");
        m.write(f);
        List<String> lines = Files.readAllLines(f);
        assertEquals("/data/music", lines.get(0));
        assertEquals("dir 0/song_0.flac\t24000", lines.get(1), "fairseq row: path TAB samples");
        Manifest back = Manifest.read(f);
        assertEquals(m.entries(), back.entries());
        assertEquals(m.root(), back.root());
        assertEquals(24000, back.sampleRate());
        assertEquals(Path.of("/data/music/dir 2/song_2.flac"), back.file(2));
        assertEquals(15.0, back.totalSeconds(), 1e-12);
    }

    @Test
    void fairseqManifestWithoutSidecarNeedsAnAssumedRate() throws IOException {
        Path f = tmp.resolve("valid.tsv");
        Files.writeString(f, "/x\na.wav\t16000\nb.wav\t32000\n");
        ManifestException e = assertThrows(ManifestException.class, () -> Manifest.read(f));
        assertTrue(e.getMessage().contains("valid.tsv.json") && e.getMessage().contains("sample_rate"), e.getMessage());
        Manifest m = Manifest.read(f, 16000);
        assertEquals(2, m.size());
        assertEquals(32000, m.get(1).numSamples());
    }

    @Test
    void badRowsNameFileAndLine() throws IOException {
        Path f = tmp.resolve("bad.tsv");
        Files.writeString(f, "/x\na.wav\t16000\nb.wav\tmany\n");
        ManifestException e = assertThrows(ManifestException.class, () -> Manifest.read(f, 16000));
        assertTrue(e.getMessage().contains("bad.tsv:3") && e.getMessage().contains("'many'"), e.getMessage());
        Files.writeString(f, "/x\nno-tab-here\n");
        e = assertThrows(ManifestException.class, () -> Manifest.read(f, 16000));
        assertTrue(e.getMessage().contains("bad.tsv:2"), e.getMessage());
    }

    @Test
    void splitIsDisjointCompleteOrderedAndSeeded() {
        Manifest m = sample(40);
        Manifest.Split s = m.split(10, 3);
        assertEquals(4, s.valid().size());
        assertEquals(36, s.train().size());
        Set<Manifest.Entry> all = new HashSet<>(s.train().entries());
        all.addAll(s.valid().entries());
        assertEquals(new HashSet<>(m.entries()), all);
        assertTrue(m.entries().indexOf(s.valid().get(0)) < m.entries().indexOf(s.valid().get(1)), "order kept");
        assertEquals(s.valid().entries(), m.split(10, 3).valid().entries());
        assertTrue(!s.valid().entries().equals(m.split(10, 4).valid().entries()), "another seed, another split");
    }

    @Test
    void lengthsAtTheModelRateFollowTheResampler() {
        assertEquals(24000, Manifest.samplesAt(44100, 44100, 24000));
        assertEquals(1, Manifest.samplesAt(1, 44100, 24000)); // ceil(24000 / 44100 * 1) after gcd reduction
        assertEquals(16000, Manifest.samplesAt(16000, 16000, 16000));
    }

    @Test
    void pathsAreReadLenientlyBelowARootRelativeToTheManifest() throws IOException {
        Path f = tmp.resolve("lists/train.tsv");
        Files.createDirectories(f.getParent());
        Files.writeString(f, "../music\nrock/a.flac\t24000\n\njazz/b.mp3\n  c.wav  \n");
        assertEquals(List.of(tmp.resolve("lists/../music/rock/a.flac"), tmp.resolve("lists/../music/jazz/b.mp3"),
                tmp.resolve("lists/../music/c.wav")), Manifest.readPaths(f), "no sidecar, counts optional");
        Files.writeString(f, "/data/music\na.wav\n");
        assertEquals(List.of(Path.of("/data/music/a.wav")), Manifest.readPaths(f), "an absolute root is kept");
    }

    @Test
    void pathsOfAMissingOrEmptyManifestAreRefused() throws IOException {
        ManifestException missing = assertThrows(ManifestException.class,
                () -> Manifest.readPaths(tmp.resolve("none.tsv")));
        assertTrue(missing.getMessage().contains("manifest not found"), missing.getMessage());
        Path empty = Files.writeString(tmp.resolve("empty.tsv"), "");
        ManifestException e = assertThrows(ManifestException.class, () -> Manifest.readPaths(empty));
        assertTrue(e.getMessage().contains("empty manifest"), e.getMessage());
    }
}
