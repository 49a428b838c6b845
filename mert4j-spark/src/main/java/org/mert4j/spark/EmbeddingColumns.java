package org.mert4j.spark;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** The columns {@link MertEmbedder} appends to its input, for each {@link OutputLayout}. */
public final class EmbeddingColumns {
    public static final String DURATION = "duration_s";
    public static final String LAYERS = "layers";
    public static final String HIDDEN_SIZE = "hidden_size";
    public static final String EMBEDDING = "embedding";
    public static final String ERROR = "error";
    /** The {@link org.mert4j.model.TrackKey} the catalogue job adds beside each path (not {@link MertEmbedder}). */
    public static final String KEY = "key";

    private EmbeddingColumns() {
    }

    /** {@code layer_N}: the column of hidden state N in the {@link OutputLayout#LAYER_COLUMNS} layout. */
    public static String layerColumn(int layer) {
        return "layer_" + layer;
    }

    /** The appended fields: everything but {@code error} is null on a failed row, {@code error} null otherwise. */
    public static List<StructField> fields(OutputLayout layout, int[] layers) {
        List<StructField> f = new ArrayList<>();
        f.add(DataTypes.createStructField(DURATION, DataTypes.DoubleType, true));
        if (layout == OutputLayout.ARRAY) {
            f.add(DataTypes.createStructField(LAYERS, DataTypes.createArrayType(DataTypes.IntegerType, false), true));
            f.add(DataTypes.createStructField(HIDDEN_SIZE, DataTypes.IntegerType, true));
            f.add(DataTypes.createStructField(EMBEDDING, DataTypes.createArrayType(DataTypes.FloatType, false), true));
        } else {
            for (int l : layers) {
                f.add(DataTypes.createStructField(layerColumn(l), DataTypes.createArrayType(DataTypes.FloatType, false),
                        true));
            }
        }
        f.add(DataTypes.createStructField(ERROR, DataTypes.StringType, true));
        return f;
    }

    /** {@code input} with the embedding fields appended; fails naming a clash with an existing column. */
    public static StructType append(StructType input, OutputLayout layout, int[] layers) {
        StructType out = input;
        for (StructField f : fields(layout, layers)) {
            for (String existing : input.fieldNames()) {
                if (existing.equalsIgnoreCase(f.name())) {
                    throw new IllegalArgumentException("input already has a column " + existing
                            + "; drop or rename it before embedding");
                }
            }
            out = out.add(f);
        }
        return out;
    }
}
