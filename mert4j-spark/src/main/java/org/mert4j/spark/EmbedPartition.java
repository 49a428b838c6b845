package org.mert4j.spark;

import java.io.Serializable;
import java.util.Iterator;

import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.mert4j.model.FileEmbedder;
import org.mert4j.model.MertModel;
import org.mert4j.tensor.FloatArray;

/**
 * Embeds the rows of one partition, one file at a time, as the partition is consumed, by the embedding
 * protocol of {@code mert embed} ({@link FileEmbedder}); a file that fails becomes a row with its error.
 */
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
        FileEmbedder embedder = model.fileEmbedder(config.options());
        int[] layers = embedder.layers();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public Row next() {
                Row in = rows.next();
                return append(in, embedOne(embedder, layers, in));
            }
        };
    }

    private Object[] embedOne(FileEmbedder embedder, int[] layers, Row in) {
        try {
            if (in.isNullAt(column)) {
                throw new IllegalArgumentException("input is null");
            }
            try (AudioFetch audio = kind == InputKind.PATH
                    ? AudioFetch.of(in.getString(column), hadoop)
                    : AudioFetch.ofBytes((byte[]) in.get(column), nameColumn == null ? null : in.getString(nameColumn))) {
                FileEmbedder.Result r = embedder.embed(audio.path());
                Object[] v = values(r.seconds(), layers, r.values());
                progress.fileEmbedded(r.seconds());
                return v;
            }
        } catch (Exception e) {
            progress.fileFailed();
            return failure(e);
        }
    }

    private Object[] values(double duration, int[] layers, FloatArray e) {
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
