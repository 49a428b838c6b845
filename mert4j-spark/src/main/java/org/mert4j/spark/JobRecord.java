package org.mert4j.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.mert4j.model.EmbedOptions;
import org.mert4j.model.EmbeddingInfo;
import org.mert4j.model.MertConfig;
import org.mert4j.model.ModelFingerprint;

/**
 * The record of what the catalogue job's output holds, {@code _mert-embed.json} in the output folder, in the
 * format of {@code mert embed}'s {@code mert-embed.json} (the model, its {@link ModelFingerprint}, layers,
 * pooling, window): a run that would add rows of another model or other settings to an existing output is
 * refused before any work. Spark leaves files whose name starts with {@code _} out when it reads the Parquet.
 * Written when the model is a folder the driver can read; a model shipped only to the executors has none.
 */
final class JobRecord {
    static final String FILE_NAME = "_mert-embed.json";

    private JobRecord() {
    }

    /** What this run's options would record, or null when the driver cannot read the model folder. */
    static EmbeddingInfo of(EmbedJobOptions o) {
        java.nio.file.Path dir = java.nio.file.Path.of(o.model());
        if (!Files.isRegularFile(dir.resolve("config.json"))) {
            return null;
        }
        MertConfig config = MertConfig.fromJson(dir.resolve("config.json"));
        int[] layers = EmbedOptions.MARBLE.withLayers(o.layers()).resolveLayers(config.numHiddenStates());
        return new EmbeddingInfo(o.model(), ModelFingerprint.of(dir), config.numHiddenStates(), layers, "mean",
                EmbeddingInfo.describeWindow(EmbedOptions.MARBLE.windowSeconds()), config.sampleRate());
    }

    /**
     * Writes the record into a new output, or checks it against the one an earlier run wrote.
     *
     * @throws IllegalArgumentException naming the differences when the output holds another model or settings
     */
    static void check(EmbedJobOptions o, Configuration hadoop) throws IOException {
        EmbeddingInfo wanted = of(o);
        if (wanted == null) {
            return;
        }
        Path file = new Path(o.out(), FILE_NAME);
        FileSystem fs = file.getFileSystem(hadoop);
        if (fs.exists(file)) {
            EmbeddingInfo recorded;
            try (InputStream in = fs.open(file)) {
                recorded = EmbeddingInfo.parse(in.readAllBytes(), file.toString());
            }
            if (!recorded.differences(wanted).isEmpty()) {
                throw new IllegalArgumentException(o.out() + " holds embeddings of other settings: "
                        + String.join("; ", recorded.differences(wanted)) + " (give another --out)");
            }
            return;
        }
        try (OutputStream out = fs.create(file, false)) {
            out.write(wanted.toJson());
        }
    }
}
