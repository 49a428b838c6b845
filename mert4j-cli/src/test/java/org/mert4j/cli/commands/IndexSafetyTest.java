package org.mert4j.cli.commands;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mert4j.index.VectorIndex;
import org.mert4j.io.Npy;

/** {@code mert index} finds hidden state N whatever --layers the embeddings kept, and fails clearly. */
class IndexSafetyTest {
    static final String MODEL = IndexCommandTest.MODEL;
    static final String AUDIO = IndexCommandTest.AUDIO;

    @TempDir
    static Path tmp;
    static Path some;
    static Path all;

    @BeforeAll
    static void embedTwoLayers() {
        some = tmp.resolve("some");
        Cli.Result r = Cli.run("embed", "--model", MODEL, "--layers", "1,2", "--out", some.toString(), AUDIO);
        assertEquals(0, r.exitCode(), r.toString());
        all = tmp.resolve("all");
        r = Cli.run("embed", "--model", MODEL, "--out", all.toString(), AUDIO);
        assertEquals(0, r.exitCode(), r.toString());
    }

    /** Embeddings with rows [1, 2]: hidden state 2 is row 1, and -1 is the same last hidden state. */
    @Test
    void layerNMeansHiddenStateNNotRowN() throws Exception {
        float[] want = Npy.readFloats(some.resolve("chords-24k.npy")).row(1);
        for (String layer : new String[] {"2", "-1"}) {
            Path idx = tmp.resolve("l" + layer + ".idx");
            Cli.Result b = Cli.run("index", "build", "--embeddings", some.toString(), "--layer", layer, "--out",
                    idx.toString());
            assertEquals(0, b.exitCode(), b.toString());
            assertTrue(b.out().startsWith("indexed 2 tracks (layer 2,"), b.out());
            try (VectorIndex i = VectorIndex.open(idx)) {
                assertEquals(2, i.metadata().layer());
                assertArrayEquals(want, i.vector("chords-24k"), 1e-6f); // IVF keeps unit vectors and their lengths
            }
        }
        Cli.Result missing = Cli.run("index", "build", "--embeddings", some.toString(), "--layer", "0", "--out",
                tmp.resolve("l0.idx").toString());
        assertEquals(2, missing.exitCode(), missing.toString());
        assertTrue(missing.err().contains("holds hidden states 1,2"), missing.toString());
        assertFalse(Files.exists(tmp.resolve("l0.idx").resolve("mert-index.json")));
    }

    @Test
    void queryClampsKAndADamagedIndexIsNotExitOne() throws Exception {
        Path idx = tmp.resolve("q.idx");
        assertEquals(0, Cli.run("index", "build", "--embeddings", all.toString(), "--layer", "2", "--out",
                idx.toString()).exitCode());
        Cli.Result all = Cli.run("index", "query", idx.toString(), "--path", "chords-24k", "-k", "2000000000");
        assertEquals(0, all.exitCode(), all.toString());
        assertEquals(1, all.out().strip().split("\n").length, all.out());

        Path garbage = tmp.resolve("garbage.idx");
        Files.createDirectories(garbage);
        Files.writeString(garbage.resolve("mert-index.json"), "{\"format\": \"mert4j-index\", oops");
        Cli.Result g = Cli.run("index", "query", garbage.toString(), "--path", "x");
        assertEquals(2, g.exitCode(), g.toString());
        assertTrue(g.err().contains("mert-index.json"), g.toString());

        Path broken = tmp.resolve("broken.idx");
        Files.createDirectories(broken);
        Files.copy(idx.resolve("mert-index.json"), broken.resolve("mert-index.json"));
        Files.writeString(broken.resolve("segments_1"), "not a lucene index");
        Cli.Result c = Cli.run("index", "query", broken.toString(), "--path", "x");
        assertEquals(2, c.exitCode(), c.toString());
        assertTrue(c.err().contains(broken.toString()), c.toString());
    }

    @Test
    void buildOutOnAnExistingFileIsOneClearMessage() throws Exception {
        Path file = tmp.resolve("taken.idx");
        Files.writeString(file, "a file");
        Cli.Result b = Cli.run("index", "build", "--embeddings", all.toString(), "--layer", "2", "--out",
                file.toString());
        assertEquals(2, b.exitCode(), b.toString());
        assertEquals(1, b.err().strip().split("\n").length, b.toString());
        assertTrue(b.err().contains("existing file"), b.toString());
    }
}
