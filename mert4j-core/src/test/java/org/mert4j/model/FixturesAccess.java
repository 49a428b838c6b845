package org.mert4j.model;

/** Test helpers of the model package for other test packages. */
public final class FixturesAccess {
    private FixturesAccess() {}

    public static double maxAbsDiff(float[] a, float[] b) {
        return Fixtures.maxAbsDiff(a, b);
    }
}
