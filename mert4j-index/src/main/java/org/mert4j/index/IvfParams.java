package org.mert4j.index;

/**
 * Settings of an inverted-file index (IVF, as in FAISS's {@code IndexIVFFlat}): the vectors are split into
 * {@code lists} by spherical k-means, and a query scans the {@code probes} lists whose centroids are most
 * similar to it, exactly. Recall is set by {@code probes}; when the build chooses them, it measures the
 * recall@10 of the catalogue's own tracks against an exact scan and takes the fewest probes that reach
 * {@code recall}.
 * @param lists  number of lists; 0 chooses about 2 sqrt(N) (the index's metadata holds the number used)
 * @param probes lists scanned per query; 0 lets the build choose them for {@code recall}
 * @param recall the recall@10 the build aims for when it chooses the probes (in a built index: the recall it
 *               measured with them)
 */
public record IvfParams(int lists, int probes, double recall) implements IndexParams {
    /** Lists and probes chosen by the build for a recall@10 of 0.98 on the catalogue's own tracks. */
    public static final IvfParams DEFAULT = new IvfParams(0, 0, 0.98);

    public IvfParams {
        if (lists < 0 || lists > 1 << 20) {
            throw new IllegalArgumentException("IVF lists must be in 0..1048576 (0 = chosen for the catalogue), got "
                    + lists);
        }
        if (probes < 0) {
            throw new IllegalArgumentException("IVF probes must be at least 0 (0 = chosen for the recall), got "
                    + probes);
        }
        if (!(recall > 0 && recall <= 1)) {
            throw new IllegalArgumentException("IVF target recall must be in (0, 1], got " + recall);
        }
    }

    /** The number of lists for {@code n} vectors when none is given: about 2 sqrt(n), at least 1. */
    public static int listsFor(long n) {
        return (int) Math.max(1, Math.min(n, Math.round(2 * Math.sqrt(n))));
    }

    @Override
    public Kind kind() {
        return Kind.IVF;
    }
}
