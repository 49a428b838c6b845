package org.mert4j.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.apache.spark.HashPartitioner;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.sql.SparkSession;
import org.mert4j.index.IvfParams;
import org.mert4j.index.ShardedIndex;
import org.mert4j.index.VectorIndexWriter;
import org.mert4j.io.FileTrees;
import org.mert4j.tensor.CpuThreads;

import scala.Tuple2;

/**
 * A sharded similarity index from the Parquet output of {@link EmbedJob}, built by the executors: every track
 * goes to one of SHARDS shards by a hash of its path, each Spark task builds one shard (an IVF index) in a
 * folder of its own and renames it into place when it is complete, and the driver then writes the metadata
 * that makes the folder one index ({@code mert index query} and {@code mert serve} search every shard and
 * merge their top k). INDEX_DIR must be visible to the driver and every executor, as the Parquet output is.
 * A task that dies (a lost executor) leaves only its unfinished folder, which the task run again replaces.
 * <pre>
 * spark-submit --class org.mert4j.spark.BuildShardedIndex mert4j-spark-app.jar feats.parquet 6 index/ 16 [MODEL_DIR]
 * </pre>
 */
public final class BuildShardedIndex {
    /** Prefix of a shard's folder while its task builds it. */
    static final String BUILDING = ".building-";

    private BuildShardedIndex() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 4 || args.length > 5) {
            System.err.println("Usage: spark-submit --class org.mert4j.spark.BuildShardedIndex mert4j-spark-app.jar"
                    + " PARQUET LAYER INDEX_DIR SHARDS [MODEL_DIR]");
            System.exit(2);
        }
        SparkSession spark = SparkSession.builder().appName("mert4j sharded index").getOrCreate();
        try {
            long start = System.nanoTime();
            long n = build(spark, args[0], Integer.parseInt(args[1]), Path.of(args[2]), Integer.parseInt(args[3]),
                    args.length == 5 ? args[4] : null);
            System.out.printf(Locale.ROOT, "%d tracks indexed in %s shards of %s in %.1f s%n", n, args[3], args[2],
                    (System.nanoTime() - start) / 1e9);
        } finally {
            spark.stop();
        }
    }

    /** Builds the shards and the index's metadata; returns the number of tracks. */
    public static long build(SparkSession spark, String parquet, int layer, Path indexDir, int shards, String model)
            throws IOException {
        if (shards < 1 || shards > 100_000) {
            throw new IllegalArgumentException("SHARDS must be in 1..100000, got " + shards);
        }
        int state = BuildIndex.absoluteLayer(layer, model);
        Path out = indexDir.toAbsolutePath().normalize();
        Files.createDirectories(out);
        Files.deleteIfExists(out.resolve(org.mert4j.index.IndexMetadata.FILE_NAME)); // not an index until done
        // float[] rather than Spark's rows of boxed numbers through the shuffle
        JavaPairRDD<Integer, Tuple2<String, float[]>> byShard = BuildIndex.vectors(spark, parquet, state)
                .dropDuplicates(EmbeddingColumns.KEY).javaRDD()
                .mapToPair(r -> new Tuple2<>(shardOf(r.getString(0), shards),
                        new Tuple2<>(r.getString(0), BuildIndex.toFloats(r.getList(1)))))
                .partitionBy(new HashPartitioner(shards)); // an Integer key k in 0..shards-1 goes to partition k
        String outText = out.toString();
        List<Long> counts = byShard.mapPartitionsWithIndex((shard, rows) -> List.of(
                buildShard(Path.of(outText), shard, rows, state, model, parquet)).iterator(), true).collect();
        long total = counts.stream().mapToLong(Long::longValue).sum();
        if (total == 0) {
            throw BuildIndex.noRows(spark, parquet, state);
        }
        List<String> names = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
            if (counts.get(s) > 0) {
                names.add(shardName(s));
            }
        }
        removeUnfinished(out);
        ShardedIndex.write(out, names, model, state, parquet);
        return total;
    }

    /** The shard of a track: a hash of its key, the same on every run. */
    static int shardOf(String key, int shards) {
        return Math.floorMod(key.hashCode() * 0x9E3779B1, shards);
    }

    static String shardName(int shard) {
        return String.format(Locale.ROOT, "shard-%05d", shard);
    }

    /** One task: the shard's rows into an index in a folder of the task's own, renamed into place at the end. */
    private static long buildShard(Path out, int shard, Iterator<Tuple2<Integer, Tuple2<String, float[]>>> rows,
                                   int layer, String model, String source) throws IOException {
        if (!rows.hasNext()) {
            return 0;
        }
        NativeLibraries.load();
        CpuThreads.forTraining(1); // one task per executor core
        TaskContext task = TaskContext.get();
        Path building = out.resolve(BUILDING + shardName(shard) + "-" + (task == null ? 0 : task.taskAttemptId()));
        Path done = out.resolve(shardName(shard));
        long n;
        Tuple2<String, float[]> first = rows.next()._2();
        try (VectorIndexWriter w = VectorIndexWriter.create(building, first._2().length, layer, model, source,
                IvfParams.DEFAULT)) {
            w.add(first._1(), first._2());
            while (rows.hasNext()) {
                Tuple2<String, float[]> r = rows.next()._2();
                w.add(r._1(), r._2());
            }
            n = w.count();
        }
        FileTrees.delete(done); // an earlier attempt may have finished before its executor was lost
        Files.move(building, done, StandardCopyOption.ATOMIC_MOVE);
        return n;
    }

    /** Folders of attempts that died while building. */
    private static void removeUnfinished(Path out) throws IOException {
        try (Stream<Path> s = Files.list(out)) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith(BUILDING)).toList()) {
                FileTrees.delete(p);
            }
        }
    }

}
