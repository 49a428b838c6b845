package org.mert4j.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mert4j.io.Npy;

class VectorIndexTest {
    @TempDir
    Path tmp;

    static IndexParams params(IndexParams.Kind kind) {
        return kind == IndexParams.Kind.IVF ? IvfParams.DEFAULT : HnswParams.DEFAULT;
    }

    private Path build(IndexParams.Kind kind, float[][] vectors, String[] keys) throws IOException {
        Path dir = tmp.resolve("idx");
        try (VectorIndexWriter w = VectorIndexWriter.create(dir, vectors[0].length, 3, "models/tiny", "feats",
                params(kind))) {
            for (int i = 0; i < keys.length; i++) {
                w.add(keys[i], vectors[i]);
            }
        }
        return dir;
    }

    @ParameterizedTest
    @EnumSource(value = IndexParams.Kind.class, names = {"IVF", "HNSW"})
    void metadataRoundTripsAndVectorsAreStoredAsGiven(IndexParams.Kind kind) throws IOException {
        float[][] v = {{1, 0, 0}, {0.9f, 0.1f, 0}, {0, 1, 0}, {0, 0, 1}};
        Path dir = build(kind, v, new String[] {"a/one", "a/two", "b/three", "four"});
        try (VectorIndex idx = VectorIndex.open(dir)) {
            IndexMetadata m = idx.metadata();
            assertEquals("models/tiny", m.model());
            assertEquals(3, m.layer());
            assertEquals(3, m.dimension());
            assertEquals(4, m.count());
            assertEquals("feats", m.source());
            assertEquals(kind, m.kind());
            if (kind == IndexParams.Kind.HNSW) {
                assertEquals(HnswParams.DEFAULT, m.hnsw());
            } else {
                assertEquals(4, m.ivf().lists()); // about 2 sqrt(4)
                assertEquals(1.0, m.ivf().recall()); // the probes chosen reach every neighbour of these 4
            }
            assertArrayEquals(v[1], idx.vector("a/two"), 1e-6f);
        }
    }

    @ParameterizedTest
    @EnumSource(value = IndexParams.Kind.class, names = {"IVF", "HNSW"})
    void forEachVectorVisitsEveryTrackWithItsVector(IndexParams.Kind kind) throws IOException {
        float[][] v = {{1, 0, 0}, {0.9f, 0.1f, 0}, {0, 1, 0}, {0, 0, 1}};
        String[] keys = {"a/one", "a/two", "b/three", "four"};
        Path dir = build(kind, v, keys);
        try (VectorIndex idx = VectorIndex.open(dir)) {
            java.util.Map<String, float[]> seen = new java.util.HashMap<>();
            idx.forEachVector((key, vector) -> assertEquals(null, seen.put(key, vector), "visited twice: " + key));
            assertEquals(keys.length, seen.size());
            for (int i = 0; i < keys.length; i++) {
                assertArrayEquals(v[i], seen.get(keys[i]), 1e-6f, keys[i]); // IVF keeps unit vectors and lengths
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = IndexParams.Kind.class, names = {"IVF", "HNSW"})
    void searchRanksByCosineAndSimilarToLeavesTheTrackOut(IndexParams.Kind kind) throws IOException {
        float[][] v = {{1, 0, 0}, {0.9f, 0.1f, 0}, {0, 1, 0}, {-1, 0, 0}};
        Path dir = build(kind, v, new String[] {"a/one", "a/two", "b/three", "four"});
        try (VectorIndex idx = VectorIndex.open(dir)) {
            List<Neighbour> n = idx.search(new float[] {2, 0, 0}, 4);
            assertEquals(List.of("a/one", "a/two", "b/three", "four"), n.stream().map(Neighbour::track).toList());
            assertEquals(1.0, n.get(0).cosine(), 1e-6);
            assertEquals(0.9 / Math.hypot(0.9, 0.1), n.get(1).cosine(), 1e-6);
            assertEquals(-1.0, n.get(3).cosine(), 1e-6);

            List<Neighbour> like = idx.similarTo("music/a/one.flac", 2); // found by file name stem
            assertEquals(List.of("a/two", "b/three"), like.stream().map(Neighbour::track).toList());
        }
    }

    @ParameterizedTest
    @EnumSource(value = IndexParams.Kind.class, names = {"IVF", "HNSW"})
    void unknownAndAmbiguousTracksAreNamed(IndexParams.Kind kind) throws IOException {
        float[][] v = {{1, 0}, {0, 1}, {1, 1}};
        Path dir = build(kind, v, new String[] {"x/song", "y/song", "z/other"});
        try (VectorIndex idx = VectorIndex.open(dir)) {
            assertEquals("x/song", idx.resolve("x/song"));
            IllegalArgumentException amb = assertThrows(IllegalArgumentException.class, () -> idx.resolve("song.mp3"));
            assertTrue(amb.getMessage().contains("x/song") && amb.getMessage().contains("y/song"), amb.getMessage());
            IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> idx.resolve("nope"));
            assertTrue(none.getMessage().startsWith("nope"), none.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(value = IndexParams.Kind.class, names = {"IVF", "HNSW"})
    void badVectorsAreRejectedNamingTheTrack(IndexParams.Kind kind) throws IOException {
        try (VectorIndexWriter w = VectorIndexWriter.create(tmp.resolve("bad"), 2, 0, null, null, params(kind))) {
            w.add("ok", new float[] {1, 2});
            assertTrue(assertThrows(IllegalArgumentException.class, () -> w.add("zero", new float[] {0, 0}))
                    .getMessage().startsWith("zero"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> w.add("short", new float[] {1}))
                    .getMessage().startsWith("short"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> w.add("ok", new float[] {1, 1}))
                    .getMessage().contains("twice"));
        }
    }

    @Test
    void npyFolderGivesKeysAndRows() throws IOException {
        Path feats = tmp.resolve("feats");
        Files.createDirectories(feats.resolve("sub"));
        Npy.writeFloats(feats.resolve("sub/song.npy"), new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
        Npy.writeFloats(feats.resolve("frames.npy"), new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 2, 2);
        List<Path> files = NpyEmbeddings.list(feats);
        assertEquals(2, files.size());
        Path song = feats.resolve("sub/song.npy");
        assertEquals("sub/song", NpyEmbeddings.key(feats, song));
        assertArrayEquals(new float[] {5, 6}, NpyEmbeddings.row(song, 2));
        assertTrue(assertThrows(IOException.class, () -> NpyEmbeddings.row(song, 3)).getMessage().contains("no layer 3"));
        assertTrue(assertThrows(IOException.class, () -> NpyEmbeddings.row(feats.resolve("frames.npy"), 0))
                .getMessage().contains("[2, 2, 2]"));
    }
}
