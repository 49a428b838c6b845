package org.mert4j.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The inverted-file index: its lists, its probes, and what it refuses to open. */
class IvfIndexTest {
    @TempDir
    Path tmp;

    /** {@code clusters} tight groups of {@code per} vectors around random directions. */
    static float[][] clustered(int clusters, int per, int dim, long seed) {
        return around(centres(clusters, dim, seed), per, seed + 1);
    }

    static float[][] centres(int clusters, int dim, long seed) {
        Random r = new Random(seed);
        float[][] out = new float[clusters][];
        for (int c = 0; c < clusters; c++) {
            out[c] = RecallTest.gaussian(r, dim);
        }
        return out;
    }

    /** {@code per} vectors around each centre. */
    static float[][] around(float[][] centres, int per, long seed) {
        Random r = new Random(seed);
        int dim = centres[0].length;
        float[][] out = new float[centres.length * per][];
        for (int c = 0; c < centres.length; c++) {
            for (int i = 0; i < per; i++) {
                float[] v = new float[dim];
                for (int j = 0; j < dim; j++) {
                    v[j] = centres[c][j] + 0.3f * (float) r.nextGaussian();
                }
                out[c * per + i] = v;
            }
        }
        return out;
    }

    private Path build(float[][] v, IvfParams params) throws IOException {
        Path dir = tmp.resolve("idx-" + params.lists() + "-" + params.probes());
        try (VectorIndexWriter w = VectorIndexWriter.create(dir, v[0].length, 0, null, "test", params)) {
            for (int i = 0; i < v.length; i++) {
                w.add("t" + i, v[i]);
            }
        }
        return dir;
    }

    @Test
    void scanningEveryListIsExactSearch() throws IOException {
        float[][] v = clustered(20, 30, 32, 1);
        Path dir = build(v, new IvfParams(12, 12, 0.5));
        Random r = new Random(2);
        try (VectorIndex idx = VectorIndex.open(dir)) {
            assertEquals(12, idx.metadata().ivf().lists());
            assertEquals(1.0, idx.metadata().ivf().recall(), "every list scanned: every neighbour found");
            for (int q = 0; q < 20; q++) {
                float[] query = RecallTest.gaussian(r, 32);
                List<Neighbour> got = idx.search(query, 10);
                int[] exact = ExactSearch.topK(v, query, 10);
                assertEquals(Arrays.stream(exact).mapToObj(i -> "t" + i).toList(),
                        got.stream().map(Neighbour::track).toList());
                for (int j = 0; j < 10; j++) {
                    assertEquals(ExactSearch.cosine(v[exact[j]], query), got.get(j).cosine(), 1e-5);
                }
            }
        }
    }

    @Test
    void theBuildChoosesTheFewestProbesForTheRecallAndQueriesReachIt() throws IOException {
        float[][] centres = centres(50, 48, 3);
        float[][] v = around(centres, 40, 4);
        Path dir = build(v, new IvfParams(0, 0, 0.95));
        try (VectorIndex idx = VectorIndex.open(dir)) {
            IvfParams p = idx.metadata().ivf();
            assertEquals(IvfParams.listsFor(2000), p.lists());
            assertTrue(p.recall() >= 0.95 && p.probes() < p.lists(), p.toString());
            // held-out queries from the same clusters: recall@10 close to what the build measured
            float[][] queries = around(centres, 2, 5);
            double hits = 0;
            for (float[] q : queries) {
                List<String> truth = Arrays.stream(ExactSearch.topK(v, q, 10)).mapToObj(i -> "t" + i).toList();
                hits += idx.search(q, 10).stream().filter(n -> truth.contains(n.track())).count();
            }
            double recall = hits / (10.0 * queries.length);
            assertTrue(recall >= 0.9, "held-out recall@10 " + recall + " with " + p);
        }
        // fewer probes than chosen miss neighbours the chosen ones find: the choice is the fewest
        Path one = build(v, new IvfParams(IvfParams.listsFor(2000), 1, 0.95));
        try (VectorIndex idx = VectorIndex.open(one)) {
            assertTrue(idx.metadata().ivf().recall() < 0.95, idx.metadata().ivf().toString());
        }
    }

    @Test
    void aQueryScansMoreListsWhenItsProbesHoldFewerThanK() throws IOException {
        float[][] v = clustered(10, 3, 8, 4);
        Path dir = build(v, new IvfParams(10, 1, 0.5));
        try (VectorIndex idx = VectorIndex.open(dir)) {
            assertEquals(25, idx.search(v[0], 25).size());
            assertEquals(30, idx.search(v[0], 100).size(), "k above the index's size gives every track");
            assertEquals(10, idx.similarTo("t0", 10).size());
            assertTrue(idx.similarTo("t0", 10).stream().noneMatch(n -> n.track().equals("t0")));
        }
    }

    @Test
    void damagedFilesAreRefusedNamingTheFile() throws IOException {
        float[][] v = clustered(5, 10, 8, 5);
        Path dir = build(v, IvfParams.DEFAULT);
        Path vectors = dir.resolve(IvfIndexWriter.VECTORS);
        byte[] whole = Files.readAllBytes(vectors);
        Files.write(vectors, Arrays.copyOf(whole, whole.length - 4));
        IOException cut = assertThrows(IOException.class, () -> VectorIndex.open(dir));
        assertTrue(cut.getMessage().contains(IvfIndexWriter.VECTORS), cut.getMessage());
        Files.write(vectors, whole);

        Path keys = dir.resolve(IvfIndexWriter.KEYS);
        List<String> lines = Files.readAllLines(keys);
        Files.write(keys, lines.subList(0, lines.size() - 1));
        IOException fewer = assertThrows(IOException.class, () -> VectorIndex.open(dir));
        assertTrue(fewer.getMessage().contains("49 keys, the index has 50"), fewer.getMessage());
        Files.write(keys, lines);

        Path meta = dir.resolve(IndexMetadata.FILE_NAME);
        String json = Files.readString(meta);
        Files.writeString(meta, json.replace("\"kind\" : \"ivf\"", "\"kind\" : \"tree\""));
        IOException kind = assertThrows(IOException.class, () -> VectorIndex.open(dir));
        assertTrue(kind.getMessage().contains("unknown index kind \"tree\""), kind.getMessage());
        Files.writeString(meta, json);
        try (VectorIndex idx = VectorIndex.open(dir)) {
            assertEquals(50, idx.size());
        }
    }

    @Test
    void allNeighboursEqualsOneQueryPerTrack() throws IOException {
        float[][] v = clustered(12, 25, 16, 6);
        for (IvfParams p : List.of(new IvfParams(8, 8, 0.5), new IvfParams(8, 2, 0.5))) {
            Path dir = build(v, p);
            try (VectorIndex idx = VectorIndex.open(dir)) {
                java.util.Map<String, List<Neighbour>> all = new java.util.LinkedHashMap<>();
                long[] progress = {0};
                idx.allNeighbours(5, (track, n) -> assertEquals(null, all.put(track, n), track), d -> progress[0] = d);
                assertEquals(v.length, all.size());
                assertEquals(v.length, progress[0]);
                int same = 0;
                for (int i = 0; i < v.length; i++) {
                    String key = "t" + i;
                    List<Neighbour> one = idx.similarTo(key, 5);
                    List<Neighbour> fromAll = all.get(key);
                    assertEquals(5, fromAll.size());
                    assertTrue(fromAll.stream().noneMatch(n -> n.track().equals(key)), "itself left out");
                    if (p.probes() == p.lists()) {
                        // both exact: the same tracks (the scores of one track may differ in the last bits)
                        assertEquals(one.stream().map(Neighbour::track).toList(),
                                fromAll.stream().map(Neighbour::track).toList(), key);
                    }
                    // the block scans every list its tracks probe, so it never finds less
                    same += fromAll.get(4).cosine() >= one.get(4).cosine() - 1e-6 ? 1 : 0;
                }
                assertEquals(v.length, same, p.toString());
            }
        }
    }

    @Test
    void anEmptyIndexAnswersNothing() throws IOException {
        Path dir = tmp.resolve("empty");
        VectorIndexWriter.create(dir, 4, 0, null, "none", IvfParams.DEFAULT).close();
        try (VectorIndex idx = VectorIndex.open(dir)) {
            assertEquals(0, idx.size());
            assertEquals(List.of(), idx.search(new float[] {1, 0, 0, 0}, 5));
        }
    }
}
