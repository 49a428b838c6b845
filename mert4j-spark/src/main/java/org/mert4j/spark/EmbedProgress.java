package org.mert4j.spark;

import java.io.Serializable;
import java.util.Locale;

import org.apache.spark.SparkContext;
import org.apache.spark.util.DoubleAccumulator;
import org.apache.spark.util.LongAccumulator;

/**
 * The job's progress as named accumulators, which the Spark UI shows on the stage page while tasks run
 * (files embedded, files failed, audio seconds, models loaded) and the driver reads when the job ends.
 * Updates from a task that failed or whose executor was lost never reach the driver, so a retried file is
 * counted once; a stage recomputed after its output was lost (not the case for the job's write) would count
 * again.
 */
public final class EmbedProgress implements Serializable {
    private static final long serialVersionUID = 1L;

    private final LongAccumulator embedded;
    private final LongAccumulator failed;
    private final DoubleAccumulator audioSeconds;
    private final LongAccumulator modelsLoaded;

    private EmbedProgress(SparkContext sc) {
        embedded = sc.longAccumulator("mert4j files embedded");
        failed = sc.longAccumulator("mert4j files failed");
        audioSeconds = sc.doubleAccumulator("mert4j audio seconds");
        modelsLoaded = sc.longAccumulator("mert4j models loaded");
    }

    /** New accumulators, registered with the driver's context. */
    public static EmbedProgress register(SparkContext sc) {
        return new EmbedProgress(sc);
    }

    void fileEmbedded(double seconds) {
        embedded.add(1);
        audioSeconds.add(seconds);
    }

    void fileFailed() {
        failed.add(1);
    }

    void modelLoaded() {
        modelsLoaded.add(1);
    }

    public long embedded() {
        return embedded.value();
    }

    public long failed() {
        return failed.value();
    }

    public double audioSeconds() {
        return audioSeconds.value();
    }

    /** Model loads in the executors: one per executor JVM (and model and device), however many tasks ran there. */
    public long modelsLoaded() {
        return modelsLoaded.value();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d files embedded (%.1f s of audio), %d failed, %d model loads in the"
                + " executors", embedded(), audioSeconds(), failed(), modelsLoaded());
    }
}
