package org.mert4j.teacher;

/**
 * Settings of {@link KMeans#fit}, named and defaulted like scikit-learn's {@code MiniBatchKMeans}.
 *
 * @param k                  number of centres
 * @param batchSize          points per mini-batch step (scikit-learn's default 1024)
 * @param maxIter            passes over the data: the fit runs at most {@code maxIter * N / batchSize} steps
 * @param nInit              k-means++ initialisations tried, each on its own random sample; the one with the
 *                           lowest inertia on a common validation sample is kept (scikit-learn: 3)
 * @param initSize           points sampled for each initialisation; 0 = {@code 3 * batchSize}, at least
 *                           {@code 3 * k}, at most N
 * @param reassignmentRatio  centres whose count falls below this fraction of the largest count are moved to
 *                           random points of the batch (0 turns reassignment off; scikit-learn: 0.01)
 * @param maxNoImprovement   stop after this many steps without a new minimum of the smoothed batch inertia;
 *                           0 = never stop early (scikit-learn: 10)
 * @param seed               the fit is a pure function of the data and this seed
 */
public record KMeansOptions(int k, int batchSize, int maxIter, int nInit, int initSize, double reassignmentRatio,
                            int maxNoImprovement, long seed) {

    public KMeansOptions {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        if (batchSize < 1 || maxIter < 1 || nInit < 1) {
            throw new IllegalArgumentException("batch size, max iterations and initialisations must be at least 1,"
                    + " got " + batchSize + ", " + maxIter + ", " + nInit);
        }
        if (initSize < 0 || maxNoImprovement < 0 || !(reassignmentRatio >= 0)) {
            throw new IllegalArgumentException("init size, max no-improvement steps and reassignment ratio must not"
                    + " be negative");
        }
    }

    /** scikit-learn's defaults for {@code MiniBatchKMeans(n_clusters=k, random_state=seed)} with n_init 3. */
    public static KMeansOptions defaults(int k, long seed) {
        return new KMeansOptions(k, 1024, 100, 3, 0, 0.01, 10, seed);
    }

    public KMeansOptions withBatchSize(int b) {
        return new KMeansOptions(k, b, maxIter, nInit, initSize, reassignmentRatio, maxNoImprovement, seed);
    }

    public KMeansOptions withSeed(long s) {
        return new KMeansOptions(k, batchSize, maxIter, nInit, initSize, reassignmentRatio, maxNoImprovement, s);
    }

    /** The init sample size scikit-learn would use for {@code n} points. */
    int initSizeFor(long n) {
        long size = initSize > 0 ? initSize : 3L * batchSize;
        if (size < k) {
            size = 3L * k;
        }
        return (int) Math.min(size, n);
    }
}
