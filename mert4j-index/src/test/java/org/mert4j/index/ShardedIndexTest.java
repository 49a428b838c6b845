package org.mert4j.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Shards searched as one index give what one index over the same tracks gives. */
class ShardedIndexTest {
    @TempDir
    Path tmp;

    private static void write(Path dir, float[][] v, int from, int to, IvfParams p) throws IOException {
        try (VectorIndexWriter w = VectorIndexWriter.create(dir, v[0].length, 4, "m", "test", p)) {
            for (int i = from; i < to; i++) {
                w.add("t" + i, v[i]);
            }
        }
    }

    @Test
    void threeExactShardsAnswerAsOneExactIndex() throws IOException {
        float[][] v = IvfIndexTest.clustered(15, 20, 24, 9);
        IvfParams exact = new IvfParams(6, 6, 0.5);
        write(tmp.resolve("one"), v, 0, v.length, exact);
        Path sharded = tmp.resolve("sharded");
        write(sharded.resolve("a"), v, 0, 100, exact);
        write(sharded.resolve("b"), v, 100, 180, exact);
        write(sharded.resolve("c"), v, 180, 300, exact);
        ShardedIndex.write(sharded, List.of("a", "b", "c"), "m", 4, "test");
        Random r = new Random(10);
        try (VectorIndex one = VectorIndex.open(tmp.resolve("one")); VectorIndex shards = VectorIndex.open(sharded)) {
            assertEquals(300, shards.size());
            assertEquals(4, shards.metadata().layer());
            for (int q = 0; q < 30; q++) {
                float[] query = RecallTest.gaussian(r, 24);
                assertEquals(one.search(query, 10).stream().map(Neighbour::track).toList(),
                        shards.search(query, 10).stream().map(Neighbour::track).toList());
            }
            for (String key : List.of("t0", "t150", "t299")) {
                assertArrayEquals(one.vector(key), shards.vector(key), key);
                List<Neighbour> a = one.similarTo(key, 7);
                List<Neighbour> b = shards.similarTo(key, 7);
                assertEquals(a.stream().map(Neighbour::track).toList(), b.stream().map(Neighbour::track).toList(), key);
                for (int j = 0; j < a.size(); j++) {
                    // the same dot product over another slab of rows: equal to the last bits of float32
                    assertEquals(a.get(j).cosine(), b.get(j).cosine(), 1e-6, key);
                }
            }
            assertEquals("t150", shards.resolve("music/t150.flac"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> shards.resolve("t300")).getMessage()
                    .contains("not in the index"));
            int[] seen = {0};
            shards.forEachVector((k, x) -> seen[0]++);
            assertEquals(300, seen[0]);
        }
    }

    @Test
    void shardsThatDoNotAgreeAreRefused() throws IOException {
        float[][] v = IvfIndexTest.clustered(4, 10, 8, 11);
        Path sharded = tmp.resolve("sharded");
        write(sharded.resolve("a"), v, 0, 20, IvfParams.DEFAULT);
        write(sharded.resolve("b"), v, 20, 40, IvfParams.DEFAULT);
        ShardedIndex.write(sharded, List.of("a", "b"), "m", 4, "test");
        Path meta = sharded.resolve(IndexMetadata.FILE_NAME);
        String json = Files.readString(meta);
        Files.writeString(meta, json.replace("\"count\" : 40", "\"count\" : 41"));
        IOException count = assertThrows(IOException.class, () -> VectorIndex.open(sharded));
        assertTrue(count.getMessage().contains("the shards hold 40 tracks"), count.getMessage());
        Files.writeString(meta, json.replace("\"layer\" : 4", "\"layer\" : 5"));
        IOException layer = assertThrows(IOException.class, () -> VectorIndex.open(sharded));
        assertTrue(layer.getMessage().contains("holds layer 4"), layer.getMessage());
        Files.writeString(meta, json.replace("\"b\"", "\"../b\""));
        IOException outside = assertThrows(IOException.class, () -> VectorIndex.open(sharded));
        assertTrue(outside.getMessage().contains("not \"../b\""), outside.getMessage());
    }
}
