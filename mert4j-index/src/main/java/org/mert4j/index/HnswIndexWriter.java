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
 * Builds an HNSW index of track embeddings on Lucene: one document per track with its key and an
 * HNSW-indexed vector under cosine similarity. {@link #close} merges everything into one segment (one
 * graph, so a query visits a single graph) and writes {@link IndexMetadata}.
 */
final class HnswIndexWriter implements VectorIndexWriter {
    static final String TRACK = "track";
    static final String STEM = "stem";
    static final String VECTOR = "embedding";

    private final Path dir;
    private final IndexMetadata template;
    private final FSDirectory directory;
    private final IndexWriter writer;
    private final Set<String> seen = new HashSet<>();
    private long count;

    /** Creates (or replaces) the index in {@code dir}; {@code template} says what it holds. */
    HnswIndexWriter(Path dir, IndexMetadata template) throws IOException {
        HnswParams hnsw = template.hnsw();
        this.dir = dir;
        this.template = template;
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

    @Override
    public void add(String track, float[] vector) throws IOException {
        VectorIndexWriter.checkVector(track, vector, template.dimension());
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

    @Override
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
        Files.deleteIfExists(dir.resolve(IndexWriter.WRITE_LOCK_NAME)); // released: a finished index holds no lock
        template.withCount(count).write(dir);
    }
}
