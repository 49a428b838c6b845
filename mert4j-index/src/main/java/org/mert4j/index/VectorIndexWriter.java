package org.mert4j.index;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.store.FSDirectory;

/**
 * Builds a nearest-neighbour index of track embeddings: one Lucene document per track with its key and
 * an HNSW-indexed vector under cosine similarity. {@link #close} merges everything into one segment
 * (one graph, so a query visits a single graph) and writes {@link IndexMetadata}.
 */
public final class VectorIndexWriter implements AutoCloseable {
    static final String TRACK = "track";
    static final String STEM = "stem";
    static final String VECTOR = "embedding";

    private final Path dir;
    private final IndexMetadata template;
    private final FSDirectory directory;
    private final IndexWriter writer;
    private final Set<String> seen = new HashSet<>();
    private long count;

    /**
     * Creates (or replaces) the index in {@code dir}.
     * @param model  model folder recorded for queries, or null
     * @param source what the vectors come from, recorded in the metadata
     */
    public VectorIndexWriter(Path dir, int dimension, int layer, String model, String source, HnswParams hnsw)
            throws IOException {
        if (dimension < 1 || dimension > 4096) {
            throw new IllegalArgumentException("vector dimension must be in 1..4096, got " + dimension);
        }
        this.dir = dir;
        this.template = new IndexMetadata(model, layer, dimension, 0, source, hnsw);
        Files.createDirectories(dir);
        Files.deleteIfExists(dir.resolve(IndexMetadata.FILE_NAME)); // an interrupted build is not an index
        this.directory = FSDirectory.open(dir);
        KnnVectorsFormat format = new Lucene99HnswVectorsFormat(hnsw.maxConnections(), hnsw.beamWidth());
        IndexWriterConfig config = new IndexWriterConfig()
                .setOpenMode(IndexWriterConfig.OpenMode.CREATE)
                .setRAMBufferSizeMB(256)
                .setCodec(new Lucene912Codec() {
                    @Override
                    public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                        return format;
                    }
                });
        this.writer = new IndexWriter(directory, config);
    }

    /** Adds one track; keys must be unique and vectors finite, non-zero and of the index's dimension. */
    public void add(String track, float[] vector) throws IOException {
        if (vector.length != template.dimension()) {
            throw new IllegalArgumentException(track + ": vector has " + vector.length + " values, the index holds "
                    + template.dimension());
        }
        double norm = 0;
        for (float v : vector) {
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException(track + ": vector holds a non-finite value (" + v + ")");
            }
            norm += (double) v * v;
        }
        if (norm == 0) {
            throw new IllegalArgumentException(track + ": vector is all zeros, cosine similarity is undefined");
        }
        if (!seen.add(track)) {
            throw new IllegalArgumentException(track + ": added twice (track keys must be unique)");
        }
        Document doc = new Document();
        doc.add(new StringField(TRACK, track, Field.Store.YES));
        doc.add(new StringField(STEM, TrackKeys.stem(track), Field.Store.NO));
        doc.add(new KnnFloatVectorField(VECTOR, vector, VectorSimilarityFunction.COSINE));
        writer.addDocument(doc);
        count++;
    }

    public long count() {
        return count;
    }

    @Override
    public void close() throws IOException {
        try {
            writer.forceMerge(1);
            writer.commit();
        } finally {
            writer.close();
            directory.close();
        }
        new IndexMetadata(template.model(), template.layer(), template.dimension(), count, template.source(),
                template.hnsw()).write(dir);
    }
}
