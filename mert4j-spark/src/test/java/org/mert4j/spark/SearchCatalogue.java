package org.mert4j.spark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.IntStream;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.mert4j.index.Neighbour;
import org.mert4j.index.VectorIndex;
import org.mert4j.io.NpyRowReader;
import org.mert4j.io.NpyTensors;
import org.mert4j.tensor.Tensors;

/**
 * The vectors and the verdict of tools/spark-sharded-index-test.sh (a program, not a unit test).
 * <ul>
 * <li>{@code parquet VECTORS.npy OUT.parquet PARTITIONS}: the rows of a [N, d] float32 file as the catalogue
 * job's Parquet output (track {@code v<i>}, hidden state 0 in {@code layer_0}), written by local Spark.</li>
 * <li>{@code check SHARDED_INDEX SINGLE_INDEX QUERIES.npy TRUTH.npy}: recall@10 of both indexes against the
 * exact answers, and how many of the single index's top 10 the sharded one gives. Exit status 1 when the
 * sharded recall@10 is below 0.95.</li>
 * </ul>
 */
public final class SearchCatalogue {
    private static final int K = 10;

    private SearchCatalogue() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 4 && args[0].equals("parquet")) {
            parquet(args[1], args[2], Integer.parseInt(args[3]));
        } else if (args.length == 5 && args[0].equals("check")) {
            System.exit(check(Path.of(args[1]), Path.of(args[2]), Path.of(args[3]), Path.of(args[4])) ? 0 : 1);
        } else {
            System.err.println("usage: parquet VECTORS.npy OUT.parquet PARTITIONS | check SHARDED SINGLE QUERIES TRUTH");
            System.exit(2);
        }
    }

    private static void parquet(String vectors, String out, int partitions) throws IOException {
        long rows;
        try (NpyRowReader in = new NpyRowReader(Path.of(vectors))) {
            rows = in.rows();
        }
        SparkSession spark = SparkSession.builder().master("local[2]").appName("vectors to parquet").getOrCreate();
        try {
            StructType schema = new StructType()
                    .add("path", DataTypes.StringType, false)
                    .add(EmbeddingColumns.layerColumn(0), DataTypes.createArrayType(DataTypes.FloatType, false), true)
                    .add(EmbeddingColumns.ERROR, DataTypes.StringType, true);
            long per = (rows + partitions - 1) / partitions;
            JavaRDD<Row> data = new JavaSparkContext(spark.sparkContext())
                    .parallelize(IntStream.range(0, partitions).boxed().toList(), partitions)
                    .flatMap(p -> {
                        List<Row> part = new ArrayList<>();
                        try (NpyRowReader in = new NpyRowReader(Path.of(vectors))) {
                            long first = p * per;
                            long n = Math.max(0, Math.min(per, in.rows() - first));
                            for (long at = first; at < first + n; at += 4096) {
                                int b = (int) Math.min(4096, first + n - at);
                                float[] block = in.read(at, b);
                                for (int i = 0; i < b; i++) {
                                    part.add(RowFactory.create("v" + (at + i),
                                            java.util.Arrays.copyOfRange(block, i * in.columns(), (i + 1) * in.columns()),
                                            null));
                                }
                            }
                        }
                        return part.iterator();
                    });
            spark.createDataFrame(data, schema).write().mode(SaveMode.Overwrite).parquet(out);
            System.out.println(rows + " vectors written to " + out);
        } finally {
            spark.stop();
        }
    }

    private static boolean check(Path sharded, Path single, Path queries, Path truth) throws IOException {
        float[][] q;
        try (NpyRowReader in = new NpyRowReader(queries)) {
            q = new float[(int) in.rows()][];
            float[] all = in.read(0, (int) in.rows());
            for (int i = 0; i < q.length; i++) {
                q[i] = java.util.Arrays.copyOfRange(all, i * in.columns(), (i + 1) * in.columns());
            }
        }
        long[] exact = Tensors.toLongs(NpyTensors.read(truth));
        int width = exact.length / q.length;
        double shardedHits = 0;
        double singleHits = 0;
        double agree = 0;
        try (VectorIndex s = VectorIndex.open(sharded); VectorIndex one = VectorIndex.open(single)) {
            System.out.printf(Locale.ROOT, "sharded index: %d tracks in %d shards; single index: %d tracks%n", s.size(),
                    ((org.mert4j.index.ShardsParams) s.metadata().params()).shards().size(), one.size());
            for (int i = 0; i < q.length; i++) {
                Set<String> truthSet = new HashSet<>();
                for (int j = 0; j < K; j++) {
                    truthSet.add("v" + exact[i * width + j]);
                }
                List<String> a = s.search(q[i], K).stream().map(Neighbour::track).toList();
                List<String> b = one.search(q[i], K).stream().map(Neighbour::track).toList();
                shardedHits += a.stream().filter(truthSet::contains).count();
                singleHits += b.stream().filter(truthSet::contains).count();
                agree += a.stream().filter(new HashSet<>(b)::contains).count();
            }
        }
        double shardedRecall = shardedHits / (K * q.length);
        System.out.printf(Locale.ROOT, "%d queries: recall@10 sharded %.4f, single %.4f; of the single index's top 10,"
                + " the sharded one gives %.4f%n", q.length, shardedRecall, singleHits / (K * q.length),
                agree / (K * q.length));
        return shardedRecall >= 0.95;
    }
}
