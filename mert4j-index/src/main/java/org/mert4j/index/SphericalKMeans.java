package org.mert4j.index;

import java.util.Random;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.T_TensorTensor_T;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.mert4j.tensor.Tensors;

/**
 * k-means on the unit sphere (Dhillon and Modha 2001): each vector goes to the centroid of highest cosine
 * similarity and each centroid is the normalised sum of its vectors. Similarities are matrix products in
 * libtorch, in blocks of rows, so that the scores of a million vectors are never held at once.
 */
final class SphericalKMeans {
    /** Rows per matrix product: 16,384 rows against 2,000 centroids is 128 MB of scores. */
    static final int BLOCK = 16384;
    static final int ITERATIONS = 10;
    /** Training vectors per centroid (FAISS warns below 39 and samples above 256). */
    static final int SAMPLE_PER_CENTROID = 64;

    private SphericalKMeans() {
    }

    /**
     * Centroids {@code [k, d]} (unit rows) of the unit rows of {@code x}, trained on at most 64 rows per
     * centroid drawn with {@code seed}; the same input and seed give the same centroids.
     */
    static Tensor train(Tensor x, int k, long seed) {
        long n = x.size(0);
        int d = (int) x.size(1);
        Random rng = new Random(seed);
        long[] rows = sample(n, (int) Math.min(n, (long) k * SAMPLE_PER_CENTROID), rng);
        {
            Tensor train = x.index_select(0, Tensors.fromLongs(rows, rows.length));
            float[] centroids = new float[k * d];
            long[] first = sample(rows.length, k, rng);
            for (int c = 0; c < k; c++) {
                copyRow(train, first[c], centroids, c, d);
            }
            for (int it = 0; it < ITERATIONS; it++) {
                try (PointerScope scope = new PointerScope()) {
                    Tensor c = Tensors.fromFloats(centroids, k, d);
                    long[] assigned = assign(train, c);
                    Tensor sums = torch.empty(k, d).zero_().index_add_(0, Tensors.fromLongs(assigned, assigned.length),
                            train);
                    float[] next = Tensors.toFloats(sums);
                    for (int j = 0; j < k; j++) {
                        if (!normalise(next, j, d)) {
                            copyRow(train, rng.nextInt(rows.length), next, j, d); // an empty list starts again
                        }
                    }
                    centroids = next;
                }
            }
            train.close();
            return Tensors.fromFloats(centroids, k, d);
        }
    }

    /** The centroid of highest similarity for each row of {@code x}. */
    static long[] assign(Tensor x, Tensor centroids) {
        long n = x.size(0);
        long[] out = new long[(int) n];
        Tensor ct = centroids.t();
        for (long at = 0; at < n; at += BLOCK) {
            try (PointerScope scope = new PointerScope()) {
                long b = Math.min(BLOCK, n - at);
                T_TensorTensor_T best = x.narrow(0, at, b).mm(ct).max(1);
                System.arraycopy(Tensors.toLongs(best.get1()), 0, out, (int) at, (int) b);
            }
        }
        return out;
    }

    /** {@code m} distinct numbers below {@code n} (a partial Fisher-Yates shuffle), in drawing order. */
    static long[] sample(long n, int m, Random rng) {
        if (m > n) {
            throw new IllegalArgumentException("cannot draw " + m + " of " + n);
        }
        if (m == n) {
            long[] all = new long[m];
            for (int i = 0; i < m; i++) {
                all[i] = i;
            }
            return all;
        }
        java.util.Map<Long, Long> swapped = new java.util.HashMap<>();
        long[] out = new long[m];
        for (int i = 0; i < m; i++) {
            long j = i + (long) (rng.nextDouble() * (n - i));
            long vi = swapped.getOrDefault((long) i, (long) i);
            long vj = swapped.getOrDefault(j, j);
            out[i] = vj;
            swapped.put(j, vi);
        }
        return out;
    }

    private static void copyRow(Tensor t, long row, float[] into, int at, int d) {
        try (PointerScope scope = new PointerScope()) {
            System.arraycopy(Tensors.toFloats(t.select(0, row)), 0, into, at * d, d);
        }
    }

    /** Scales row {@code j} to unit length; false when it is all zeros. */
    private static boolean normalise(float[] v, int j, int d) {
        double s = 0;
        for (int i = j * d; i < (j + 1) * d; i++) {
            s += (double) v[i] * v[i];
        }
        if (s == 0) {
            return false;
        }
        float inv = (float) (1 / Math.sqrt(s));
        for (int i = j * d; i < (j + 1) * d; i++) {
            v[i] *= inv;
        }
        return true;
    }
}
