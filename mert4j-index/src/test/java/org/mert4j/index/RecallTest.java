package org.mert4j.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Approximate search against exact search on 10,000 random vectors. */
class RecallTest {
    private static final int COUNT = 10_000;
    private static final int DIM = 128;
    private static final int QUERIES = 200;
    private static final int K = 10;

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(value = IndexParams.Kind.class, names = {"IVF", "HNSW"})
    void recallAtTenAgainstExactSearchIsAtLeast95Percent(IndexParams.Kind kind) throws IOException {
        Random rnd = new Random(42);
        float[][] vectors = new float[COUNT][];
        for (int i = 0; i < COUNT; i++) {
            vectors[i] = gaussian(rnd, DIM);
        }
        Path dir = tmp.resolve("idx");
        long t0 = System.nanoTime();
        try (VectorIndexWriter w = VectorIndexWriter.create(dir, DIM, 0, null, "random",
                VectorIndexTest.params(kind))) {
            for (int i = 0; i < COUNT; i++) {
                w.add("t" + i, vectors[i]);
            }
        }
        double buildSeconds = (System.nanoTime() - t0) / 1e9;

        double hits = 0;
        double maxScoreError = 0;
        long queryNanos = 0;
        try (VectorIndex index = VectorIndex.open(dir)) {
            assertEquals(COUNT, index.size());
            for (int q = 0; q < QUERIES; q++) {
                float[] query = gaussian(rnd, DIM);
                long s = System.nanoTime();
                List<Neighbour> approx = index.search(query, K);
                queryNanos += System.nanoTime() - s;
                assertEquals(K, approx.size());
                int[] exact = ExactSearch.topK(vectors, query, K);
                Set<String> truth = new HashSet<>();
                for (int i : exact) {
                    truth.add("t" + i);
                }
                for (Neighbour n : approx) {
                    if (truth.contains(n.track())) {
                        hits++;
                    }
                    int id = Integer.parseInt(n.track().substring(1));
                    maxScoreError = Math.max(maxScoreError, Math.abs(n.cosine() - ExactSearch.cosine(vectors[id], query)));
                }
            }
        }
        double recall = hits / (QUERIES * K);
        System.out.printf(Locale.ROOT, "%s recall@%d over %d random %d-d vectors, %d queries: %.4f;"
                        + " build %.2f s, %.3f ms/query, max |cosine - exact| %.2e%n",
                kind, K, COUNT, DIM, QUERIES, recall, buildSeconds, queryNanos / 1e6 / QUERIES, maxScoreError);
        assertTrue(recall >= 0.95, "recall@10 " + recall + " below 0.95");
        // the reported cosine is recomputed from Lucene's float score: a few float32 ulps
        assertTrue(maxScoreError < 1e-5, "cosine differs from exact by " + maxScoreError);
    }

    static float[] gaussian(Random rnd, int dim) {
        float[] v = new float[dim];
        for (int i = 0; i < dim; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return v;
    }
}
