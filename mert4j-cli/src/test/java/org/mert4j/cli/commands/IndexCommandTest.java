package org.mert4j.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mert4j.cli.options.ExitCode;
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

    /** 40 pooled embeddings [3, 8] in 8 groups, written as 'mert embed' would (without its record). */
    static Path groupedFeatures(Path dir) throws Exception {
        java.util.Random r = new java.util.Random(3);
        for (int g = 0; g < 8; g++) {
            float[] centre = new float[8];
            for (int j = 0; j < 8; j++) {
                centre[j] = (float) r.nextGaussian();
            }
            for (int i = 0; i < 5; i++) {
                float[] v = new float[24];
                for (int j = 0; j < 24; j++) {
                    v[j] = centre[j % 8] + 0.2f * (float) r.nextGaussian();
                }
                Npy.writeFloats(dir.resolve("g" + g + "/t" + i + ".npy"), v, 3, 8);
            }
        }
        return dir;
    }

    @Test
    void eitherKindBuildsAndAllNeighboursAreWrittenAsJsonLines() throws Exception {
        Path grouped = groupedFeatures(tmp.resolve("grouped"));
        Path hnsw = tmp.resolve("grouped-hnsw.idx");
        Cli.Result h = Cli.run("index", "build", "--embeddings", grouped.toString(), "--layer", "1", "--kind", "hnsw",
                "--out", hnsw.toString());
        assertEquals(0, h.exitCode(), h.toString());
        assertTrue(h.out().startsWith("indexed 40 tracks (layer 1, 8-d)"), h.out());
        assertTrue(java.nio.file.Files.readString(hnsw.resolve("mert-index.json")).contains("\"kind\" : \"hnsw\""));
        assertTrue(!java.nio.file.Files.exists(hnsw.resolve("write.lock")), "a finished index holds no lock");

        Path ivf = tmp.resolve("grouped-ivf.idx");
        Cli.Result b = Cli.run("index", "build", "--embeddings", grouped.toString(), "--layer", "1", "--out",
                ivf.toString());
        assertEquals(0, b.exitCode(), b.toString());
        assertTrue(b.out().contains("13 lists") && b.out().contains("probed per query (recall@10"), b.out());

        for (Path idx : java.util.List.of(hnsw, ivf)) {
            Path out = tmp.resolve(idx.getFileName() + ".jsonl");
            Cli.Result n = Cli.run("index", "neighbours", idx.toString(), "--all", "-k", "4", "--out", out.toString());
            assertEquals(0, n.exitCode(), n.toString());
            java.util.List<String> lines = java.nio.file.Files.readAllLines(out);
            assertEquals(40, lines.size());
            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
            for (String line : lines) {
                com.fasterxml.jackson.databind.JsonNode row = json.readTree(line);
                String track = row.get("track").asText();
                assertEquals(4, row.get("neighbours").size(), line);
                for (com.fasterxml.jackson.databind.JsonNode nb : row.get("neighbours")) {
                    assertTrue(!nb.get("track").asText().equals(track), "itself left out: " + line);
                }
                // tight groups of 5: the 4 nearest are the rest of the group
                String group = track.substring(0, track.indexOf('/'));
                for (com.fasterxml.jackson.databind.JsonNode nb : row.get("neighbours")) {
                    assertTrue(nb.get("track").asText().startsWith(group + "/"), idx + ": " + line);
                }
            }
        }

        Cli.Result mixed = Cli.run("index", "build", "--embeddings", grouped.toString(), "--layer", "1", "--kind",
                "hnsw", "--lists", "4", "--out", tmp.resolve("mixed.idx").toString());
        assertEquals(ExitCode.USAGE, mixed.exitCode(), mixed.toString());
        assertTrue(mixed.err().contains("--lists is a setting of --kind ivf"), mixed.err());
        Cli.Result kind = Cli.run("index", "build", "--embeddings", grouped.toString(), "--layer", "1", "--kind",
                "tree", "--out", tmp.resolve("tree.idx").toString());
        assertEquals(ExitCode.USAGE, kind.exitCode(), kind.toString());
        assertTrue(kind.err().contains("expected ivf or hnsw"), kind.err());
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
        assertTrue(b.out().startsWith("indexed 1 track ("), b.out());

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
