package org.mert4j.index;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/** Brute-force cosine search: the ground truth for recall. */
final class ExactSearch {
    private ExactSearch() {
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    static int[] topK(float[][] vectors, float[] query, int k) {
        double[] sims = new double[vectors.length];
        for (int i = 0; i < vectors.length; i++) {
            sims[i] = cosine(vectors[i], query);
        }
        Integer[] order = IntStream.range(0, vectors.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -sims[i]));
        return Arrays.stream(order, 0, k).mapToInt(Integer::intValue).toArray();
    }
}
