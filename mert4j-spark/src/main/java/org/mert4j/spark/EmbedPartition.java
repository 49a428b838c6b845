package org.mert4j.spark;

import java.io.Serializable;
import java.util.Iterator;

import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.mert4j.model.AudioWindows;
import org.mert4j.model.EmbedOptions;
import org.mert4j.model.MertModel;
import org.mert4j.tensor.FloatArray;

/** Embeds the rows of one partition, one file at a time, as the partition is consumed. */
final class EmbedPartition implements MapPartitionsFunction<Row, Row>, Serializable {
    private static final long serialVersionUID = 1L;

    private final MertEmbedder config;
    private final InputKind kind;
    private final int column;
    private final Integer nameColumn;
    private final HadoopSettings hadoop;
    private final EmbedProgress progress;

    EmbedPartition(MertEmbedder config, InputKind kind, int column, Integer nameColumn, HadoopSettings hadoop,
            EmbedProgress progress) {
        this.config = config;
        this.kind = kind;
        this.column = column;
        this.nameColumn = nameColumn;
        this.hadoop = hadoop;
        this.progress = progress;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        if (!rows.hasNext()) {
            return rows; // an empty partition never loads the model
        }
        MertModel model = ModelCache.get(config.model(), config.device(), config.torchThreads(), config.int8(),
                progress::modelLoaded);
        EmbedOptions options = config.options();
        int[] layers = options.resolveLayers(model.config().numHiddenStates());
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public Row next() {
                Row in = rows.next();
                return append(in, embedOne(model, options, layers, in));
            }
        };
    }

    private Object[] embedOne(MertModel model, EmbedOptions options, int[] layers, Row in) {
        try {
            if (in.isNullAt(column)) {
                throw new IllegalArgumentException("input is null");
            }
            try (AudioFetch audio = kind == InputKind.PATH
                    ? AudioFetch.of(in.getString(column), hadoop)
                    : AudioFetch.ofBytes((byte[]) in.get(column), nameColumn == null ? null : in.getString(nameColumn))) {
                if (options.windowSeconds() > 0) {
                    // Streamed: decoding overlaps the encoder and a long file never sits in memory whole.
                    try (AudioWindows windows = model.openWindows(audio.path(), options)) {
                        FloatArray e = model.embed(windows, options, null);
                        return embedded((double) windows.totalSamples() / model.sampleRate(), layers, e);
                    }
                }
                float[] mono = model.loadAudio(audio.path());
                double duration = (double) mono.length / model.sampleRate();
                FloatArray e = model.embed(mono, model.sampleRate(), options);
                return embedded(duration, layers, e);
            }
        } catch (Exception e) {
            progress.fileFailed();
            return failure(e);
        }
    }

    private Object[] embedded(double duration, int[] layers, FloatArray e) {
        Object[] v = values(duration, layers, e);
        progress.fileEmbedded(duration);
        return v;
    }

    private Object[] values(double duration, int[] layers, FloatArray e) {
        if (FloatArray.firstNonFinite(e.data()) >= 0) {
            // NaN or infinite samples give meaningless features: an error row, never a row of NaN
            throw new IllegalArgumentException("the features are not finite (the audio holds NaN or infinite"
                    + " samples?)");
        }
        int hidden = (int) e.shape()[1];
        if (config.layout() == OutputLayout.ARRAY) {
            return new Object[] {duration, layers, hidden, e.data(), null};
        }
        Object[] v = new Object[layers.length + 2];
        v[0] = duration;
        for (int i = 0; i < layers.length; i++) {
            v[i + 1] = e.row(i);
        }
        return v;
    }

    private Object[] failure(Exception e) {
        int n = config.layout() == OutputLayout.ARRAY ? 5 : config.layers().length + 2;
        Object[] v = new Object[n];
        String msg = e.getMessage();
        v[n - 1] = e.getClass().getSimpleName() + ": " + (msg == null ? "(no message)" : msg);
        return v;
    }

    private static Row append(Row in, Object[] extra) {
        Object[] all = new Object[in.length() + extra.length];
        for (int i = 0; i < in.length(); i++) {
            all[i] = in.get(i);
        }
        System.arraycopy(extra, 0, all, in.length(), extra.length);
        return RowFactory.create(all);
    }
}
