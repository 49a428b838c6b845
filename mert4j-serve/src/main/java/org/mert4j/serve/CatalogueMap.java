package org.mert4j.serve;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.mert4j.index.VectorIndex;

/**
 * A 2-D map of the catalogue for the page: the indexed embeddings (unit length, as cosine similarity sees
 * them) projected on their first two principal components. Computed once at start-up by subspace iteration
 * (30 passes over the vectors; no d x d covariance), then served as it is: the
 * track keys as JSON and the points as little-endian float32 pairs, compact enough for 100,000 tracks.
 */
public final class CatalogueMap {
    private static final int ITERATIONS = 30;
    /** Vectors held in memory for the passes at most: 320 MB of floats, 100,000 tracks of 768-d fit. */
    private static final long MAX_HELD = 80L << 20;

    private final List<String> tracks;
    private final float[] points; // x0, y0, x1, y1, ...

    private CatalogueMap(List<String> tracks, float[] points) {
        this.tracks = tracks;
        this.points = points;
    }

    public static CatalogueMap of(VectorIndex index) throws IOException {
        int d = index.metadata().dimension();
        Vectors vectors = Vectors.of(index, d);
        int n = vectors.count();
        if (n == 0) {
            return new CatalogueMap(List.of(), new float[0]);
        }
        double[] mean = new double[d];
        vectors.forEach((i, v) -> {
            for (int j = 0; j < d; j++) {
                mean[j] += v[j];
            }
        });
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        double[][] q = orthonormal(randomBasis(d));
        for (int it = 0; it < ITERATIONS; it++) {
            double[][] z = new double[2][d];
            double[][] basis = q;
            vectors.forEach((i, v) -> {
                double[] ab = project(v, mean, basis);
                double a = ab[0];
                double b = ab[1];
                for (int j = 0; j < d; j++) {
                    double c = v[j] - mean[j];
                    z[0][j] += c * a;
                    z[1][j] += c * b;
                }
            });
            q = orthonormal(z);
        }
        float[] points = new float[2 * n];
        double[][] basis = q;
        vectors.forEach((i, v) -> {
            double[] ab = project(v, mean, basis);
            points[2 * i] = (float) ab[0];
            points[2 * i + 1] = (float) ab[1];
        });
        return new CatalogueMap(List.copyOf(vectors.keys()), points);
    }

    /**
     * The index's vectors at unit length, held in one array when they fit in {@link #MAX_HELD} floats (each
     * pass then costs no index reads), else read from the index on every pass.
     */
    private static final class Vectors {
        interface Visitor {
            void accept(int i, float[] unit);
        }

        private final VectorIndex index;
        private final List<String> keys;
        private final float[] held; // null: read on every pass
        private final int d;

        private Vectors(VectorIndex index, List<String> keys, float[] held, int d) {
            this.index = index;
            this.keys = keys;
            this.held = held;
            this.d = d;
        }

        static Vectors of(VectorIndex index, int d) throws IOException {
            boolean hold = (long) index.size() * d <= MAX_HELD;
            List<String> keys = new ArrayList<>(index.size());
            float[] held = hold ? new float[index.size() * d] : null;
            index.forEachVector((key, v) -> {
                if (hold && keys.size() < index.size()) {
                    unit(v);
                    System.arraycopy(v, 0, held, keys.size() * d, d);
                }
                keys.add(key);
            });
            return new Vectors(index, keys, hold && keys.size() == index.size() ? held : null, d);
        }

        int count() {
            return keys.size();
        }

        List<String> keys() {
            return keys;
        }

        void forEach(Visitor visitor) throws IOException {
            if (held != null) {
                float[] v = new float[d];
                for (int i = 0; i < keys.size(); i++) {
                    System.arraycopy(held, i * d, v, 0, d);
                    visitor.accept(i, v);
                }
                return;
            }
            int[] i = {0};
            index.forEachVector((key, v) -> {
                unit(v);
                visitor.accept(i[0]++, v);
            });
        }
    }

    public List<String> tracks() {
        return tracks;
    }

    /** x and y of track i at 2i and 2i+1. */
    public float[] points() {
        return points.clone();
    }

    /** The points as little-endian float32 pairs, the order of {@link #tracks()}. */
    public byte[] pointBytes() {
        ByteBuffer b = ByteBuffer.allocate(points.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(points);
        return b.array();
    }

    private static void unit(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        if (s > 0) {
            float inv = (float) (1 / Math.sqrt(s));
            for (int j = 0; j < v.length; j++) {
                v[j] *= inv;
            }
        }
    }

    private static double[][] randomBasis(int d) {
        SplittableRandom r = new SplittableRandom(42); // a fixed start: the same map on every start-up
        double[][] q = new double[2][d];
        for (double[] row : q) {
            for (int j = 0; j < d; j++) {
                row[j] = r.nextDouble() - 0.5;
            }
        }
        return q;
    }

    /** Gram-Schmidt on two vectors; a vanishing one (rank below 2) is replaced by a fixed unit vector. */
    /** Coordinates of {@code v - mean} along the two rows of {@code basis}. */
    private static double[] project(float[] v, double[] mean, double[][] basis) {
        double a = 0;
        double b = 0;
        for (int j = 0; j < mean.length; j++) {
            double c = v[j] - mean[j];
            a += c * basis[0][j];
            b += c * basis[1][j];
        }
        return new double[] {a, b};
    }

    private static double[][] orthonormal(double[][] z) {
        int d = z[0].length;
        double[] a = z[0].clone();
        if (!normalise(a)) {
            a = new double[d];
            a[0] = 1;
        }
        double[] b = z[1].clone();
        double dot = 0;
        for (int j = 0; j < d; j++) {
            dot += a[j] * b[j];
        }
        for (int j = 0; j < d; j++) {
            b[j] -= dot * a[j];
        }
        if (!normalise(b)) {
            // the vectors span one direction at most: any direction orthogonal to a will do
            int k = 0;
            for (int j = 1; j < d; j++) {
                k = Math.abs(a[j]) < Math.abs(a[k]) ? j : k;
            }
            b = new double[d];
            b[k] = 1;
            for (int j = 0; j < d; j++) {
                b[j] -= a[k] * a[j];
            }
            if (!normalise(b)) {
                b = new double[d]; // one dimension: no second axis
            }
        }
        return new double[][] {a, b};
    }

    private static boolean normalise(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        if (!(s > 1e-24)) {
            return false;
        }
        double inv = 1 / Math.sqrt(s);
        for (int j = 0; j < v.length; j++) {
            v[j] *= inv;
        }
        return true;
    }
}
