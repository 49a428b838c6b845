package org.mert4j.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.apache.spark.sql.SparkSession;
import org.mert4j.model.EmbedOptions;
import org.mert4j.model.MertConfig;
import org.mert4j.model.MertModel;
import org.mert4j.testing.Wav;

/**
 * Benchmark, not a test: Spark local[2] job against an in-process loop over the same generated files.
 * Arguments: MODEL_DIR|preset:NAME FILES SECONDS WORK_DIR.
 */
public final class Throughput {
    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[3]);
        Path model = work.resolve("model");
        if (args[0].startsWith("preset:")) {
            if (!Files.exists(model.resolve("config.json"))) {
                try (MertModel m = MertModel.random(MertConfig.preset(args[0].substring(7)), 0, "cpu")) {
                    m.save(model);
                }
            }
        } else {
            model = Path.of(args[0]);
        }
        int n = Integer.parseInt(args[1]);
        double seconds = Double.parseDouble(args[2]);
        Path audio = work.resolve("audio");
        for (int i = 0; i < n; i++) {
            Wav.write(audio.resolve("t" + i + ".wav"), seconds, 24000, i);
        }
        long t0 = System.nanoTime();
        try (MertModel m = MertModel.load(model)) {
            for (int i = 0; i < n; i++) {
                m.embed(audio.resolve("t" + i + ".wav"), EmbedOptions.MARBLE);
            }
        }
        double inProcess = (System.nanoTime() - t0) / 1e9;

        long s0 = System.nanoTime();
        SparkSession spark = SparkSession.builder().master("local[2]").config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1").getOrCreate();
        double startup = (System.nanoTime() - s0) / 1e9;
        long t1 = System.nanoTime();
        EmbedJob.Summary s = EmbedJob.run(spark, EmbedJobOptions.parse("--model", model.toString(), "--out",
                work.resolve("out-" + System.nanoTime() + ".parquet").toString(), "--partitions", "2",
                "--torch-threads", "1", audio.toString()));
        double job = (System.nanoTime() - t1) / 1e9;
        spark.stop();
        System.out.printf(Locale.ROOT, "%s, %d files x %.0f s: in-process %.2f s (%.2f files/s); Spark local[2] job"
                        + " %.2f s (%.2f files/s) + %.1f s session start; %s; job/in-process %.2f%n",
                args[0], n, seconds, inProcess, n / inProcess, job, n / job, startup, s, job / inProcess);
    }
}
