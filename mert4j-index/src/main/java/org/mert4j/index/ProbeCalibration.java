package org.mert4j.index;

import java.util.Random;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.T_TensorTensor_T;
import org.bytedeco.pytorch.Tensor;
import org.mert4j.tensor.Tensors;

/**
 * Chooses how many lists an IVF query scans. A query finds a true neighbour exactly when it scans that
 * neighbour's list, so the recall@10 of every number of probes follows from one exact search: for tracks
 * drawn from the catalogue, the rank (by centroid similarity to the track) of the list holding each of its
 * exact 10 nearest other tracks.
 */
final class ProbeCalibration {
    private ProbeCalibration() {
    }

    /** The fewest probes whose recall@10 on the catalogue's own tracks reaches {@code target}. */
    static IvfParams choose(Tensor x, long[] list, Tensor centroids, double target, long seed) {
        double[] recall = recallByProbes(x, list, centroids, seed);
        for (int p = 1; p <= recall.length; p++) {
            if (recall[p - 1] >= target) {
                return new IvfParams(recall.length, p, recall[p - 1]);
            }
        }
        return new IvfParams(recall.length, recall.length, recall[recall.length - 1]);
    }

    /** The recall@10 on the catalogue's own tracks of a query scanning {@code probes} lists. */
    static double recall(Tensor x, long[] list, Tensor centroids, int probes, long seed) {
        return recallByProbes(x, list, centroids, seed)[probes - 1];
    }

    /** Element p - 1: the recall@10 with p probes, for p from 1 to the number of lists. */
    static double[] recallByProbes(Tensor x, long[] list, Tensor centroids, long seed) {
        int lists = (int) centroids.size(0);
        long n = x.size(0);
        double[] recall = new double[lists];
        if (n <= 1) {
            java.util.Arrays.fill(recall, 1.0); // nothing to miss
            return recall;
        }
        int m = (int) Math.min(n, IvfIndexWriter.CALIBRATION_QUERIES);
        long[] rows = SphericalKMeans.sample(n, m, new Random(seed));
        long[] hits = new long[lists];
        long total = 0;
        try (PointerScope scope = new PointerScope()) {
            Tensor queries = x.index_select(0, Tensors.fromLongs(rows, m));
            long[][] truth = ExactTopK.search(x, queries, rows, IvfIndexWriter.CALIBRATION_K);
            long[] order = Tensors.toLongs(queries.mm(centroids.t()).topk(lists).get1()); // [m, lists]
            int[] rank = new int[lists];
            for (int q = 0; q < m; q++) {
                for (int r = 0; r < lists; r++) {
                    rank[(int) order[q * lists + r]] = r;
                }
                for (long neighbour : truth[q]) {
                    hits[rank[(int) list[(int) neighbour]]]++;
                    total++;
                }
            }
        }
        long found = 0;
        for (int p = 0; p < lists; p++) {
            found += hits[p];
            recall[p] = total == 0 ? 1.0 : found / (double) total;
        }
        return recall;
    }

    /** Exact nearest rows by inner product, in blocks of rows. */
    static final class ExactTopK {
        private ExactTopK() {
        }

        /**
         * For each query, the rows of {@code x} with the {@code k} highest inner products, best first, leaving
         * out the query's own row ({@code self}, or -1 for none).
         */
        static long[][] search(Tensor x, Tensor queries, long[] self, int k) {
            long n = x.size(0);
            int m = (int) queries.size(0);
            int keep = (int) Math.min(n, k + 1);
            RunningTopK best = new RunningTopK(m, keep);
            for (long at = 0; at < n; at += SphericalKMeans.BLOCK) {
                try (PointerScope scope = new PointerScope()) {
                    long b = Math.min(SphericalKMeans.BLOCK, n - at);
                    int top = (int) Math.min(b, keep);
                    T_TensorTensor_T t = queries.mm(x.narrow(0, at, b).t()).topk(top);
                    float[] scores = Tensors.toFloats(t.get0());
                    long[] idx = Tensors.toLongs(t.get1());
                    for (int q = 0; q < m; q++) {
                        for (int j = 0; j < top; j++) {
                            best.offer(q, scores[q * top + j], at + idx[q * top + j]);
                        }
                    }
                }
            }
            long[][] out = new long[m][];
            for (int q = 0; q < m; q++) {
                long own = self == null ? -1 : self[q];
                int query = q;
                out[q] = java.util.stream.IntStream.range(0, keep).mapToLong(j -> best.row(query, j))
                        .filter(r -> r != own && r >= 0).limit(k).toArray();
            }
            return out;
        }
    }
}
