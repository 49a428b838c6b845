package org.mert4j.spark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.mert4j.index.IvfParams;
import org.mert4j.index.VectorIndexWriter;
import org.mert4j.model.MertConfig;

/**
 * A similarity index ({@code mert index query} reads it) from the Parquet output of {@link EmbedJob}:
 * the rows without error, one layer's vector each, streamed to the driver, which writes the index to a
 * local folder. Parquet is read here, with Spark, so that the {@code mert} command line stays free of Hadoop.
 * <pre>
 * spark-submit --class org.mert4j.spark.BuildIndex mert4j-spark-app.jar feats.parquet 6 index/ [MODEL_DIR]
 * </pre>
 * The layer is a hidden-state index, found through the Parquet's {@code layers} column (or {@code layer_N}
 * columns), whatever layers the job kept; -1 (the last) needs MODEL_DIR to know how many there are.
 */
public final class BuildIndex {
    private BuildIndex() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 3 || args.length > 4) {
            System.err.println("Usage: spark-submit --class org.mert4j.spark.BuildIndex mert4j-spark-app.jar"
                    + " PARQUET LAYER INDEX_DIR [MODEL_DIR]\n"
                    + "  MODEL_DIR is recorded for 'mert index query --audio' (else give --model when querying)");
            System.exit(2);
        }
        SparkSession spark = SparkSession.builder().appName("mert4j index").getOrCreate();
        try {
            long n = build(spark, args[0], Integer.parseInt(args[1]), Path.of(args[2]), args.length == 4 ? args[3] : null);
            System.out.println(n + " tracks indexed in " + args[2]);
        } finally {
            spark.stop();
        }
    }

    /** Builds the index and returns the number of tracks in it. */
    public static long build(SparkSession spark, String parquet, int layer, Path indexDir, String model)
            throws IOException {
        layer = absoluteLayer(layer, model);
        Dataset<Row> vectors = vectors(spark, parquet, layer);
        Iterator<Row> it = vectors.dropDuplicates(EmbeddingColumns.KEY).toLocalIterator();
        if (!it.hasNext()) {
            throw noRows(spark, parquet, layer);
        }
        Row first = it.next();
        float[] v = toFloats(first.getList(1));
        try (VectorIndexWriter w = VectorIndexWriter.create(indexDir, v.length, layer, model, parquet,
                IvfParams.DEFAULT)) {
            w.add(first.getString(0), v);
            while (it.hasNext()) {
                Row r = it.next();
                w.add(r.getString(0), toFloats(r.getList(1)));
            }
            return w.count();
        }
    }

    /** The hidden state {@code layer} names: -1 counts back from the model's last, which needs MODEL_DIR. */
    static int absoluteLayer(int layer, String model) {
        if (layer < 0) {
            // -1 = the last hidden state, as in Python: the model says how many there are
            if (model == null) {
                throw new IllegalArgumentException("layer " + layer + " counts back from the model's last hidden"
                        + " state: give MODEL_DIR, or the hidden state as an index from 0");
            }
            int states = MertConfig.fromJson(Path.of(model).resolve("config.json")).numHiddenStates();
            if (states + layer < 0) {
                throw new IllegalArgumentException("layer " + layer + " does not exist: " + model + " has hidden"
                        + " states 0.." + (states - 1));
            }
            layer = states + layer;
        }
        return layer;
    }

    /**
     * The error-free rows of the Parquet output as (key, v), v being hidden state {@code layer}. The key is the
     * track key the job recorded ({@code mert embed}'s names), or the path in an output written without one.
     */
    static Dataset<Row> vectors(SparkSession spark, String parquet, int layer) {
        Dataset<Row> all = spark.read().option("mergeSchema", "true").parquet(parquet)
                .where(functions.col(EmbeddingColumns.ERROR).isNull());
        List<String> cols = Arrays.asList(all.columns());
        Column key = (cols.contains(EmbeddingColumns.KEY)
                ? functions.coalesce(functions.col(EmbeddingColumns.KEY), functions.col("path"))
                : functions.col("path")).as(EmbeddingColumns.KEY);
        Dataset<Row> vectors;
        String layerColumn = EmbeddingColumns.layerColumn(layer);
        if (cols.contains(layerColumn)) {
            vectors = all.select(key, functions.col(layerColumn).as("v"));
        } else if (cols.contains(EmbeddingColumns.EMBEDDING)) {
            // [layers, hidden] flattened: slice out this layer's row (element_at and slice count from 1)
            vectors = all.where(functions.array_contains(functions.col(EmbeddingColumns.LAYERS), layer))
                    .select(key, functions.slice(functions.col(EmbeddingColumns.EMBEDDING),
                            functions.expr("array_position(" + EmbeddingColumns.LAYERS + ", " + layer + ") - 1")
                                    .multiply(functions.col(EmbeddingColumns.HIDDEN_SIZE)).plus(1),
                            functions.col(EmbeddingColumns.HIDDEN_SIZE)).as("v"));
        } else {
            throw new IllegalArgumentException(parquet + ": has neither " + layerColumn + " nor "
                    + EmbeddingColumns.EMBEDDING + " (columns: " + cols + ")");
        }
        return vectors;
    }

    static IllegalArgumentException noRows(SparkSession spark, String parquet, int layer) {
        List<String> cols = Arrays.asList(spark.read().parquet(parquet).columns());
        return new IllegalArgumentException(parquet + ": no rows without error hold hidden state " + layer
                + (cols.contains(EmbeddingColumns.LAYERS) ? " (see its layers column)" : " (columns: " + cols + ")"));
    }

    static float[] toFloats(List<Object> list) {
        float[] f = new float[list.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = ((Number) list.get(i)).floatValue();
        }
        return f;
    }
}
