package org.mert4j.index;

import java.util.Arrays;

/** The best {@code k} (score, row) pairs of each of several queries so far, kept sorted best first. */
final class RunningTopK {
    private final float[][] score;
    private final long[][] row;

    RunningTopK(int queries, int k) {
        score = new float[queries][k];
        row = new long[queries][k];
        for (int q = 0; q < queries; q++) {
            Arrays.fill(score[q], Float.NEGATIVE_INFINITY);
            Arrays.fill(row[q], -1);
        }
    }

    /** Offers query {@code q} a candidate; it stays if it beats the worst kept. */
    void offer(int q, float s, long r) {
        float[] sc = score[q];
        long[] rw = row[q];
        int i = sc.length - 1;
        if (!(s > sc[i])) {
            return;
        }
        while (i > 0 && s > sc[i - 1]) {
            sc[i] = sc[i - 1];
            rw[i] = rw[i - 1];
            i--;
        }
        sc[i] = s;
        rw[i] = r;
    }

    float score(int q, int rank) {
        return score[q][rank];
    }

    /** The row at {@code rank}, or -1 where fewer candidates came. */
    long row(int q, int rank) {
        return row[q][rank];
    }

    int k() {
        return score.length == 0 ? 0 : score[0].length;
    }
}
