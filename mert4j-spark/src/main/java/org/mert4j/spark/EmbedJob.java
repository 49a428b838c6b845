package org.mert4j.spark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.mert4j.audio.AudioFiles;
import org.mert4j.model.TrackKey;

/**
 * The catalogue job: audio files in (a manifest, folders or globs on any file system Spark reads), one
 * Parquet row per file out ({@code path}, its {@code key} ({@link TrackKey}), {@code duration_s}, layer info,
 * embedding, {@code error}), and the record {@code _mert-embed.json} of the model and settings ({@link JobRecord}).
 * Files already in the output are skipped, so an interrupted or extended run is simply started again.
 * <pre>
 * spark-submit --class org.mert4j.spark.EmbedJob mert4j-spark-app.jar \
 *     --model /opt/models/MERT-v1-95M --out s3a://bucket/feats.parquet --layers 6,12 's3a://bucket/music/**.flac'
 * </pre>
 */
public final class EmbedJob {
    private EmbedJob() {
    }

    public static void main(String[] args) throws IOException {
        EmbedJobOptions o;
        try {
            o = EmbedJobOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("mert4j-spark: " + e.getMessage());
            System.err.println(EmbedJobOptions.USAGE);
            System.exit(2);
            return;
        }
        if (o.help()) {
            System.out.println(EmbedJobOptions.USAGE);
            return;
        }
        SparkSession spark = SparkSession.builder().appName("mert4j embed").getOrCreate();
        try {
            EmbedProgress progress = EmbedProgress.register(spark.sparkContext());
            Summary s = run(spark, o, progress);
            System.out.println(s);
            System.out.println("executors: " + progress);
        } finally {
            spark.stop();
        }
    }

    /** What a run did. */
    public record Summary(long inputs, long skipped, long embedded, long failed) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d inputs: %d already in the output, %d embedded, %d failed", inputs,
                    skipped, embedded, failed);
        }
    }

    /** Runs the job in an existing session (the session is left open). */
    public static Summary run(SparkSession spark, EmbedJobOptions o) throws IOException {
        return run(spark, o, EmbedProgress.register(spark.sparkContext()));
    }

    /** As {@link #run(SparkSession, EmbedJobOptions)}, counting the executors' work in {@code progress}. */
    public static Summary run(SparkSession spark, EmbedJobOptions o, EmbedProgress progress) throws IOException {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        Map<String, String> keys = new LinkedHashMap<>(); // path -> track key, the first listing wins
        for (String m : o.manifests()) {
            readManifest(m, hadoop).forEach(t -> keys.putIfAbsent(t.path(), t.key()));
        }
        for (String in : o.inputs()) {
            expand(in, hadoop).forEach(t -> keys.putIfAbsent(t.path(), t.key()));
        }
        // the driver holds the file list anyway (it listed the inputs): keep the work list there too, so that
        // every partition of the job can be recomputed from the plan when an executor and its blocks are lost
        List<String> all = new ArrayList<>(keys.keySet());
        long inputs = all.size();
        JobRecord.check(o, hadoop);
        List<String> pending = all;
        if (outputExists(o.out(), hadoop)) {
            Dataset<Row> done = spark.read().parquet(o.out());
            if (o.retryErrors()) {
                done = done.where(functions.col(EmbeddingColumns.ERROR).isNull());
            }
            Set<String> finished = new HashSet<>(done.select("path").distinct().as(Encoders.STRING()).collectAsList());
            pending = all.stream().filter(p -> !finished.contains(p)).toList();
        }
        long skipped = inputs - pending.size();
        if (pending.isEmpty()) {
            return new Summary(inputs, skipped, 0, 0);
        }
        int partitions = o.partitions() > 0 ? o.partitions()
                : (int) Math.max(1, Math.min(pending.size(), spark.sparkContext().defaultParallelism() * 4L));
        MertEmbedder embedder = new MertEmbedder(modelForExecutors(o.model())).layers(o.layers())
                .layout(o.layout()).device(o.device()).int8(o.int8()).torchThreads(o.torchThreads())
                .inputColumn("path");
        // one file per row and few rows per partition: a slow file holds up only its own partition. Slices of
        // the driver's list, no shuffle: a task lost with its executor is simply run again elsewhere.
        List<Row> rows = pending.stream().map(p -> RowFactory.create(p, keys.get(p))).toList();
        Dataset<Row> todo = spark.createDataFrame(
                JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, partitions), INPUT);
        Dataset<Row> result = embedder.transform(todo, progress);
        Set<String> before = partFiles(o.out(), hadoop);
        result.write().mode(SaveMode.Append).parquet(o.out());

        // count the errors in the part files this run added (earlier error rows stay as they were)
        List<String> added = new ArrayList<>(partFiles(o.out(), hadoop));
        added.removeAll(before);
        long failed = added.isEmpty() ? 0 : spark.read().parquet(added.toArray(new String[0]))
                .where(functions.col(EmbeddingColumns.ERROR).isNotNull()).count();
        return new Summary(inputs, skipped, pending.size() - failed, failed);
    }

    /**
     * A relative model folder that exists here is made absolute: executors resolve paths against their own
     * working folders, so on a cluster sharing the file system the relative name would be missing there.
     */
    static String modelForExecutors(String model) {
        if (model.startsWith(ModelCache.SPARK_FILES)) {
            return model;
        }
        try {
            java.nio.file.Path p = java.nio.file.Path.of(model);
            return !p.isAbsolute() && java.nio.file.Files.isDirectory(p) ? p.toAbsolutePath().toString() : model;
        } catch (java.nio.file.InvalidPathException e) {
            return model;
        }
    }

    private static Set<String> partFiles(String out, Configuration hadoop) throws IOException {
        Path p = new Path(out);
        FileSystem fs = p.getFileSystem(hadoop);
        Set<String> files = new HashSet<>();
        if (fs.exists(p)) {
            for (FileStatus f : fs.listStatus(p)) {
                if (f.isFile() && f.getPath().getName().endsWith(".parquet")) {
                    files.add(f.getPath().toString());
                }
            }
        }
        return files;
    }

    private static boolean outputExists(String out, Configuration hadoop) throws IOException {
        Path p = new Path(out);
        FileSystem fs = p.getFileSystem(hadoop);
        if (fs.exists(new Path(p, "_SUCCESS"))) {
            return true;
        }
        // what Spark reads: files not starting with _ or . (the job's own record starts with _)
        return fs.exists(p) && fs.listStatus(p, f -> !f.getName().startsWith("_") && !f.getName().startsWith(".")).length > 0;
    }

    /** The input rows: a file's path as listed, and its {@link TrackKey}. */
    private static final StructType INPUT = new StructType()
            .add("path", DataTypes.StringType, false)
            .add(EmbeddingColumns.KEY, DataTypes.StringType, false);

    /** A file to embed: its fully qualified path, and its {@link TrackKey}. */
    record Track(String path, String key) {}

    /**
     * Lines of a manifest (any file system), taken as given: a missing file becomes an error row. Each is keyed
     * by its bare file name, as {@code mert embed} keys the entries of a list.
     */
    static List<Track> readManifest(String manifest, Configuration hadoop) throws IOException {
        Path p = new Path(manifest);
        FileSystem fs = p.getFileSystem(hadoop);
        List<Track> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(p), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                line = line.strip();
                if (!line.isEmpty() && !line.startsWith("#")) {
                    out.add(new Track(line, TrackKey.of(new Path(line).getName())));
                }
            }
        }
        return out;
    }

    /**
     * A file, folder or glob: a matching file is taken whatever its extension, a matching folder
     * contributes its audio files recursively. Paths come back fully qualified ({@code file:/...},
     * {@code hdfs://...}), sorted; keys as {@code mert embed} gives them: the path below a matching folder, or
     * a matching file's bare name.
     */
    static List<Track> expand(String input, Configuration hadoop) throws IOException {
        Path p = new Path(input);
        FileSystem fs = p.getFileSystem(hadoop);
        FileStatus[] matches = fs.globStatus(p);
        if (matches == null || matches.length == 0) {
            throw new IOException(input + ": no such file, folder or glob match");
        }
        List<Track> out = new ArrayList<>();
        for (FileStatus m : matches) {
            if (m.isDirectory()) {
                java.net.URI folder = m.getPath().toUri();
                RemoteIterator<LocatedFileStatus> it = fs.listFiles(m.getPath(), true);
                while (it.hasNext()) {
                    LocatedFileStatus f = it.next();
                    if (f.isFile() && AudioFiles.isAudioFile(java.nio.file.Path.of(f.getPath().getName()))) {
                        String below = folder.relativize(f.getPath().toUri()).getPath();
                        out.add(new Track(f.getPath().toString(), TrackKey.of(below)));
                    }
                }
            } else {
                out.add(new Track(m.getPath().toString(), TrackKey.of(m.getPath().getName())));
            }
        }
        out.sort(java.util.Comparator.comparing(Track::path));
        return out;
    }
}
