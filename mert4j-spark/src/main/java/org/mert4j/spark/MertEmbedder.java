package org.mert4j.spark;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.mert4j.model.EmbedOptions;

/**
 * MERT embeddings as a Dataset transformation: a column of audio paths (or audio bytes) in, the input rows
 * with {@link EmbeddingColumns} appended out. Each file gets MARBLE-protocol features (5 s windows,
 * time-mean, averaged), the same numbers as {@code MertModel.embed(path)} and {@code mert embed}.
 * <pre>{@code
 * Dataset<Row> tracks = spark.read().parquet("catalogue.parquet");          // has a "uri" column
 * Dataset<Row> feats = new MertEmbedder("/opt/models/MERT-v1-95M")
 *         .inputColumn("uri").layers(6, 12).transform(tracks);
 * }</pre>
 * The model is loaded once per executor JVM; a file that cannot be read or decoded gives a row with
 * {@code error} set and null features, never a failed task.
 */
public final class MertEmbedder implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String model;
    private String inputColumn = "path";
    private OutputLayout layout = OutputLayout.ARRAY;
    private int[] layers;
    private String device = "cpu";
    private int torchThreads;
    private boolean int8;
    private double windowSeconds = EmbedOptions.MARBLE.windowSeconds();

    /**
     * @param model a model folder every executor can read (shared file system), or {@code sparkfiles:} for
     *              the folder the model files were shipped to with {@code --files}, or {@code sparkfiles:NAME}
     *              for a folder shipped with {@code --archives model.zip#NAME}, or a Hugging Face model id
     *              ({@code m-a-p/MERT-v1-95M}) that each executor resolves through its own Hugging Face cache
     */
    public MertEmbedder(String model) {
        this.model = Objects.requireNonNull(model, "model");
    }

    /** The column to read (default {@code path}); its type decides PATH (string) or BINARY (binary) input. */
    public MertEmbedder inputColumn(String column) {
        this.inputColumn = Objects.requireNonNull(column);
        return this;
    }

    /**
     * Hidden-state indices to keep (0 = transformer input, L = last layer, negative ones counted back from the
     * last, -1 = L); default all L+1. The {@code layers} column holds the resolved indices.
     */
    public MertEmbedder layers(int... indices) {
        this.layers = indices == null || indices.length == 0 ? null : indices.clone();
        return this;
    }

    public MertEmbedder layout(OutputLayout l) {
        this.layout = Objects.requireNonNull(l);
        return this;
    }

    /** {@code cpu}, {@code cuda}, {@code cuda:N}, or {@code gpu} for the GPU Spark assigned to the task. */
    public MertEmbedder device(String d) {
        this.device = Objects.requireNonNull(d);
        return this;
    }

    /** libtorch threads per executor JVM (0: libtorch's default, all cores): cores per executor / task slots. */
    public MertEmbedder torchThreads(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("torch threads must be >= 0, got " + n);
        }
        this.torchThreads = n;
        return this;
    }

    /**
     * CPU only: int8 dynamic quantisation of the transformer's Linears and the conv front (faster, pooled
     * embeddings at cosine 0.999 to fp32; docs/performance.md).
     */
    public MertEmbedder int8(boolean on) {
        this.int8 = on;
        return this;
    }

    /** Window length in seconds (MARBLE: 5); {@code <= 0} runs each file whole, memory growing with its length. */
    public MertEmbedder windowSeconds(double seconds) {
        this.windowSeconds = seconds;
        return this;
    }

    EmbedOptions options() {
        return EmbedOptions.MARBLE.withWindow(windowSeconds).withLayers(layers);
    }

    String model() {
        return model;
    }

    String device() {
        return device;
    }

    int torchThreads() {
        return torchThreads;
    }

    boolean int8() {
        return int8;
    }

    OutputLayout layout() {
        return layout;
    }

    int[] layers() {
        return layers == null ? null : layers.clone();
    }

    /** The schema {@link #transform} produces for an input of this schema. */
    public StructType outputSchema(StructType input) {
        if (layout == OutputLayout.LAYER_COLUMNS && layers == null) {
            throw new IllegalArgumentException("one column per layer needs the layers named: call layers(...)");
        }
        if (layout == OutputLayout.LAYER_COLUMNS && Arrays.stream(layers).anyMatch(l -> l < 0)) {
            throw new IllegalArgumentException("one column per layer is named layer_N before the model is loaded:"
                    + " give the layers as indices from 0, not " + Arrays.toString(layers));
        }
        inputKind(input);
        return EmbeddingColumns.append(input, layout, layers);
    }

    private InputKind inputKind(StructType input) {
        int idx;
        try {
            idx = input.fieldIndex(inputColumn);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("no input column " + inputColumn + " (columns: "
                    + Arrays.toString(input.fieldNames()) + ")");
        }
        StructField f = input.fields()[idx];
        DataType t = f.dataType();
        if (t.equals(DataTypes.StringType)) {
            return InputKind.PATH;
        }
        if (t.equals(DataTypes.BinaryType)) {
            return InputKind.BINARY;
        }
        throw new IllegalArgumentException("input column " + inputColumn + " is " + t.simpleString()
                + ", expected string (paths) or binary (audio bytes)");
    }

    /** Lazily embeds every row; nothing runs until an action (write, count, collect) is called. */
    public Dataset<Row> transform(Dataset<Row> input) {
        return transform(input, EmbedProgress.register(input.sparkSession().sparkContext()));
    }

    /** As {@link #transform(Dataset)}, counting files, failures, audio and model loads in {@code progress}. */
    public Dataset<Row> transform(Dataset<Row> input, EmbedProgress progress) {
        StructType out = outputSchema(input.schema());
        InputKind kind = inputKind(input.schema());
        SparkSession spark = input.sparkSession();
        HadoopSettings hadoop = new HadoopSettings(spark.sparkContext().hadoopConfiguration());
        int col = input.schema().fieldIndex(inputColumn);
        Integer pathCol = null;
        if (kind == InputKind.BINARY && Arrays.asList(input.schema().fieldNames()).contains("path")) {
            pathCol = input.schema().fieldIndex("path"); // binaryFile rows carry the name: an extension hint
        }
        MapPartitionsFunction<Row, Row> fn = new EmbedPartition(this, kind, col, pathCol, hadoop,
                Objects.requireNonNull(progress, "progress"));
        return input.mapPartitions(fn, Encoders.row(out));
    }
}
