package org.mert4j.spark;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.mert4j.io.Npy;
import org.mert4j.model.MertConfig;
import org.mert4j.model.MertModel;
import org.mert4j.tensor.FloatArray;
import org.mert4j.testing.Wav;

/**
 * The catalogue of tools/spark-cluster-test.sh and its verdict (a program, not a unit test: the script runs
 * it around a standalone cluster).
 * <ul>
 * <li>{@code make AUDIO_DIR N [SECONDS]}: N WAV files of 4 to 12 s (or all of SECONDS) at 16, 22.05, 24 and
 * 44.1 kHz in two subfolders.</li>
 * <li>{@code model PRESET DIR}: a model folder of that shape with random weights (same cost as the
 * pretrained model; docs/scale.md times the 95M shape with it).</li>
 * <li>{@code compact PARQUET OUT [LAYER]}: the rows rewritten into one Parquet file (all kept layers, or only
 * hidden state LAYER), and its bytes per row: the size per track once files hold many tracks.</li>
 * <li>{@code check PARQUET REFERENCE_DIR AUDIO_DIR}: the job's Parquet holds every audio file of AUDIO_DIR
 * exactly once, without error, with embeddings equal (max difference 0) to the .npy files {@code mert embed
 * --out REFERENCE_DIR AUDIO_DIR} wrote. Exit status 1 naming what differs, else 0.</li>
 * </ul>
 */
public final class ClusterCatalogue {
    private static final int[] RATES = {24000, 16000, 44100, 22050};

    private ClusterCatalogue() {
    }

    public static void main(String[] args) throws IOException {
        if ((args.length == 3 || args.length == 4) && args[0].equals("make")) {
            make(Path.of(args[1]), Integer.parseInt(args[2]), args.length == 4 ? Double.parseDouble(args[3]) : 0);
        } else if (args.length == 3 && args[0].equals("model")) {
            try (MertModel m = MertModel.random(MertConfig.preset(args[1]), 0, "cpu")) {
                m.save(Path.of(args[2]));
            }
        } else if ((args.length == 3 || args.length == 4) && args[0].equals("compact")) {
            compact(args[1], Path.of(args[2]), args.length == 4 ? Integer.parseInt(args[3]) : null);
        } else if (args.length == 4 && args[0].equals("check")) {
            List<String> problems = check(args[1], Path.of(args[2]), Path.of(args[3]));
            if (!problems.isEmpty()) {
                problems.forEach(p -> System.out.println("FAIL " + p));
                System.exit(1);
            }
        } else {
            System.err.println("usage: ClusterCatalogue make AUDIO_DIR N [SECONDS] | model PRESET DIR"
                    + " | check PARQUET REFERENCE_DIR AUDIO_DIR");
            System.exit(2);
        }
    }

    static void make(Path dir, int n, double fixedSeconds) throws IOException {
        double total = 0;
        for (int i = 0; i < n; i++) {
            // 4..12 s: one to three 5 s windows, a short last window often
            double seconds = fixedSeconds > 0 ? fixedSeconds : 4 + (i * 7 % 9);
            Wav.write(dir.resolve((i % 2 == 0 ? "a" : "b") + String.format(Locale.ROOT, "/track-%03d.wav", i)),
                    seconds, RATES[i % RATES.length], i);
            total += seconds;
        }
        System.out.printf(Locale.ROOT, "%d WAV files, %.0f s of audio, in %s%n", n, total, dir);
    }

    static void compact(String parquet, Path out, Integer layer) throws IOException {
        SparkSession spark = SparkSession.builder().master("local[1]").appName("mert4j compact")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1").getOrCreate();
        try {
            org.apache.spark.sql.Dataset<Row> rows = spark.read().parquet(parquet);
            if (layer != null) {
                // the one hidden state as the job writes it with --layers LAYER
                rows = rows.withColumn(EmbeddingColumns.EMBEDDING, org.apache.spark.sql.functions.expr(
                        "slice(embedding, (array_position(layers, " + layer + ") - 1) * hidden_size + 1, hidden_size)"))
                        .withColumn(EmbeddingColumns.LAYERS, org.apache.spark.sql.functions.array(
                                org.apache.spark.sql.functions.lit(layer)));
            }
            long n = rows.count();
            rows.coalesce(1).write().mode(org.apache.spark.sql.SaveMode.Overwrite).parquet(out.toString());
            long bytes;
            try (Stream<Path> s = Files.list(out)) {
                bytes = s.filter(p -> p.toString().endsWith(".parquet")).mapToLong(p -> p.toFile().length()).sum();
            }
            System.out.printf(Locale.ROOT, "%s%s: %d rows in one file of %d bytes, %.0f bytes per track%n", parquet,
                    layer == null ? "" : " (hidden state " + layer + " only)", n, bytes, (double) bytes / n);
        } finally {
            spark.stop();
        }
    }

    static List<String> check(String parquet, Path reference, Path audio) throws IOException {
        Set<String> expected;
        try (Stream<Path> s = Files.walk(audio)) {
            expected = s.filter(Files::isRegularFile).map(p -> audio.relativize(p).toString())
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        SparkSession spark = SparkSession.builder().master("local[1]").appName("mert4j cluster check")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1").getOrCreate();
        List<Row> rows;
        try {
            rows = spark.read().parquet(parquet).collectAsList();
        } finally {
            spark.stop();
        }
        List<String> problems = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        double worst = 0;
        long values = 0;
        for (Row r : rows) {
            String rel = audio.toAbsolutePath().relativize(Path.of(URI.create(r.getAs("path")))).toString();
            seen.merge(rel, 1, Integer::sum);
            String error = r.getAs(EmbeddingColumns.ERROR);
            if (error != null) {
                problems.add(rel + ": error row: " + error);
                continue;
            }
            Path npy = reference.resolve(rel.substring(0, rel.lastIndexOf('.')) + ".npy");
            if (!Files.isRegularFile(npy)) {
                problems.add(rel + ": mert embed wrote no " + npy);
                continue;
            }
            FloatArray ref = Npy.readFloats(npy);
            float[] got = EmbedJobTest.floats(r.getList(r.fieldIndex(EmbeddingColumns.EMBEDDING)));
            if (got.length != ref.data().length) {
                problems.add(rel + ": " + got.length + " values, mert embed wrote " + ref.data().length);
                continue;
            }
            for (int i = 0; i < got.length; i++) {
                worst = Math.max(worst, Math.abs(got[i] - ref.data()[i]));
            }
            values += got.length;
        }
        seen.forEach((path, count) -> {
            if (count != 1) {
                problems.add(path + ": " + count + " rows, expected exactly one");
            }
        });
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(seen.keySet());
        missing.forEach(m -> problems.add(m + ": no row"));
        Set<String> extra = new TreeSet<>(seen.keySet());
        extra.removeAll(expected);
        extra.forEach(e -> problems.add(e + ": a row for a file that is not in " + audio));
        if (worst != 0) {
            problems.add(String.format(Locale.ROOT, "max |difference| to mert embed %.3e, expected 0", worst));
        }
        System.out.printf(Locale.ROOT, "%s: %d rows, %d distinct files of %d, %d values compared with mert embed:"
                + " max |difference| %s%n", parquet, rows.size(), seen.size(), expected.size(), values,
                worst == 0 ? "0" : String.format(Locale.ROOT, "%.3e", worst));
        return problems;
    }
}
