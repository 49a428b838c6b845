package org.mert4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mert4j.io.Npy;

class IndexCommandTest {
    static final String MODEL = Path.of("..", "examples", "tiny-mert").toString();
    static final String AUDIO = Path.of("..", "examples", "audio").toString();

    @TempDir
    static Path tmp;
    static Path feats;

    @BeforeAll
    static void embedExamples() throws Exception {
        feats = tmp.resolve("feats");
        Cli.Result r = Cli.run("embed", "--model", MODEL, "--out", feats.toString(), AUDIO);
        assertEquals(0, r.exitCode(), r.toString());
    }

    @Test
    void buildsQueriesByAudioAndByKnownTrack() throws Exception {
        Path idx = tmp.resolve("examples.idx");
        Cli.Result b = Cli.run("index", "build", "--embeddings", feats.toString(), "--layer", "2", "--model", MODEL,
                "--out", idx.toString());
        assertEquals(0, b.exitCode(), b.toString());
        assertTrue(b.out().startsWith("indexed 2 tracks (layer 2, 64-d)"), b.out());

        // the same file embedded again by the query finds itself with cosine 1 (same code path, float32 noise)
        Cli.Result q = Cli.run("index", "query", idx.toString(), "--audio", AUDIO + "/chords-24k.flac", "-k", "2");
        assertEquals(0, q.exitCode(), q.toString());
        String[] lines = q.out().strip().split("\n");
        assertEquals(2, lines.length, q.out());
        assertTrue(lines[0].matches("\\s*1  1\\.0000  chords-24k"), lines[0]);
        assertTrue(lines[1].endsWith("arpeggio-44k-stereo"), lines[1]);

        Cli.Result p = Cli.run("index", "query", idx.toString(), "--path", "music/chords-24k.flac", "--json");
        assertEquals(0, p.exitCode(), p.toString());
        assertEquals(1, p.out().strip().split("\n").length, p.out()); // the track itself is left out
        assertTrue(p.out().contains("\"track\":\"arpeggio-44k-stereo\""), p.out());
    }

    @Test
    void badFilesAreSkippedAndReportedWithExitCodeOne() throws Exception {
        Path mixed = tmp.resolve("mixed");
        Npy.write(mixed.resolve("good.npy"), Npy.readFloats(feats.resolve("chords-24k.npy")));
        Npy.writeFloats(mixed.resolve("frames.npy"), new float[8], 2, 2, 2);
        Cli.Result b = Cli.run("index", "build", "--embeddings", mixed.toString(), "--layer", "1", "--out",
                tmp.resolve("mixed.idx").toString());
        assertEquals(ExitCode.SOME_FAILED, b.exitCode(), b.toString());
        assertTrue(b.err().contains("frames.npy"), b.err());
        assertTrue(b.out().startsWith("indexed 1 tracks"), b.out());

        // no model recorded: --audio needs --model
        Cli.Result q = Cli.run("index", "query", tmp.resolve("mixed.idx").toString(), "--audio", AUDIO + "/chords-24k.flac");
        assertEquals(ExitCode.USAGE, q.exitCode(), q.toString());
        assertTrue(q.err().contains("--model"), q.err());
    }

    @Test
    void usageErrorsNameWhatIsWrong() {
        Cli.Result parquet = Cli.run("index", "build", "--embeddings", "feats.parquet", "--layer", "6", "--out", "x");
        assertEquals(ExitCode.USAGE, parquet.exitCode());
        assertTrue(parquet.err().contains("org.mert4j.spark.BuildIndex"), parquet.err());

        Cli.Result both = Cli.run("index", "query", "x", "--audio", "a.wav", "--path", "b");
        assertEquals(ExitCode.USAGE, both.exitCode());

        Cli.Result notIndex = Cli.run("index", "query", tmp.toString(), "--path", "b");
        assertEquals(ExitCode.USAGE, notIndex.exitCode());
        assertTrue(notIndex.err().contains("not a mert index"), notIndex.err());

        Cli.Result help = Cli.run("index", "build", "--help");
        assertEquals(0, help.exitCode());
        assertTrue(help.out().contains("Examples:"), help.out());
    }
}
