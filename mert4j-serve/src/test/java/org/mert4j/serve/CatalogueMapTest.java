package org.mert4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mert4j.index.IvfParams;
import org.mert4j.index.VectorIndex;
import org.mert4j.index.VectorIndexWriter;

class CatalogueMapTest {
    @TempDir
    Path tmp;

    /** Vectors spread along two planted directions (and little else): the map's axes are those directions. */
    @Test
    void theMapShowsTheTwoDirectionsOfMostVariance() throws Exception {
        int d = 32;
        int n = 400;
        Random r = new Random(3);
        double[][] basis = new double[3][d]; // c (a common offset), u (wide spread), v (narrower)
        for (int k = 0; k < 3; k++) {
            basis[k][k * 5] = 1;
        }
        Map<String, double[]> expected = new HashMap<>();
        try (VectorIndexWriter w = VectorIndexWriter.create(tmp.resolve("idx"), d, 1, null, null, IvfParams.DEFAULT)) {
            for (int i = 0; i < n; i++) {
                double a = r.nextGaussian();
                double b = 0.4 * r.nextGaussian();
                float[] x = new float[d];
                double norm = 0;
                for (int j = 0; j < d; j++) {
                    x[j] = (float) (3 * basis[0][j] + a * basis[1][j] + b * basis[2][j] + 0.01 * r.nextGaussian());
                    norm += x[j] * (double) x[j];
                }
                norm = Math.sqrt(norm);
                double pu = 0;
                double pv = 0;
                for (int j = 0; j < d; j++) {
                    pu += x[j] / norm * basis[1][j];
                    pv += x[j] / norm * basis[2][j];
                }
                expected.put("t" + i, new double[] {pu, pv}); // where the unit vector lies along u and v
                w.add("t" + i, x);
            }
        }
        try (VectorIndex index = VectorIndex.open(tmp.resolve("idx"))) {
            CatalogueMap map = CatalogueMap.of(index);
            assertEquals(n, map.tracks().size());
            assertEquals(n, new java.util.HashSet<>(map.tracks()).size());
            float[] p = map.points();
            double[] mx = new double[n];
            double[] my = new double[n];
            double[] ex = new double[n];
            double[] ey = new double[n];
            for (int i = 0; i < n; i++) {
                double[] e = expected.get(map.tracks().get(i));
                mx[i] = p[2 * i];
                my[i] = p[2 * i + 1];
                ex[i] = e[0];
                ey[i] = e[1];
            }
            assertTrue(Math.abs(correlation(mx, ex)) > 0.999, "x against u: " + correlation(mx, ex));
            assertTrue(Math.abs(correlation(my, ey)) > 0.99, "y against v: " + correlation(my, ey));

            // the bytes the page reads: the same points, little-endian float32
            ByteBuffer b = ByteBuffer.wrap(map.pointBytes()).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(2 * n * 4, b.remaining());
            for (float v : p) {
                assertEquals(v, b.getFloat());
            }
        }
    }

    @Test
    void oneTrackGivesOnePointAtTheCentre() throws Exception {
        try (VectorIndexWriter w = VectorIndexWriter.create(tmp.resolve("one"), 4, 0, null, null, IvfParams.DEFAULT)) {
            w.add("only", new float[] {1, 2, 3, 4});
        }
        try (VectorIndex index = VectorIndex.open(tmp.resolve("one"))) {
            CatalogueMap map = CatalogueMap.of(index);
            assertEquals(java.util.List.of("only"), map.tracks());
            assertEquals(0, map.points()[0], 1e-6);
            assertEquals(0, map.points()[1], 1e-6);
        }
    }

    private static double correlation(double[] a, double[] b) {
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < a.length; i++) {
            ma += a[i] / a.length;
            mb += b[i] / b.length;
        }
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.sqrt(saa * sbb);
    }
}
