package org.mert4j.index;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;

/**
 * A nearest-neighbour index written by {@link VectorIndexWriter}, opened for queries. Approximate: the
 * HNSW graph finds most, not always all, of the exact top k; {@link HnswParams#searchWidth} trades speed
 * for recall. Safe for concurrent queries.
 */
public final class VectorIndex implements AutoCloseable {
    private final IndexMetadata metadata;
    private final FSDirectory directory;
    private final DirectoryReader reader;
    private final IndexSearcher searcher;

    private VectorIndex(IndexMetadata metadata, FSDirectory directory, DirectoryReader reader) {
        this.metadata = metadata;
        this.directory = directory;
        this.reader = reader;
        this.searcher = new IndexSearcher(reader);
    }

    public static VectorIndex open(Path dir) throws IOException {
        IndexMetadata meta = IndexMetadata.read(dir);
        FSDirectory directory = FSDirectory.open(dir);
        try {
            return new VectorIndex(meta, directory, DirectoryReader.open(directory));
        } catch (IOException | RuntimeException e) {
            directory.close();
            throw new IOException(dir + ": cannot open the Lucene index: " + e.getMessage(), e);
        }
    }

    public IndexMetadata metadata() {
        return metadata;
    }

    public int size() {
        return reader.numDocs();
    }

    /** The k tracks most similar to {@code query}, best first, with the index's default search width. */
    public List<Neighbour> search(float[] query, int k) throws IOException {
        return search(query, k, metadata.hnsw().searchWidth(), Set.of());
    }

    /**
     * The k tracks most similar to {@code query}, best first, leaving out the keys in {@code exclude}.
     * @param searchWidth candidates the graph search collects (raised to k plus the excluded count if smaller)
     */
    public List<Neighbour> search(float[] query, int k, int searchWidth, Set<String> exclude) throws IOException {
        if (query.length != metadata.dimension()) {
            throw new IllegalArgumentException("query vector has " + query.length + " values, the index holds "
                    + metadata.dimension() + " (built from layer " + metadata.layer() + ")");
        }
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        k = Math.min(k, size()); // more than the index holds cannot be found, and must not be allocated
        int width = Math.max(searchWidth, k + exclude.size());
        TopDocs top = searcher.search(new KnnFloatVectorQuery(VectorIndexWriter.VECTOR, query, width), width);
        List<Neighbour> out = new ArrayList<>(k);
        for (ScoreDoc sd : top.scoreDocs) {
            String track = searcher.storedFields().document(sd.doc).get(VectorIndexWriter.TRACK);
            if (exclude.contains(track)) {
                continue;
            }
            // Lucene scores cosine similarity as (1 + cos) / 2 so that scores are positive
            out.add(new Neighbour(track, 2 * sd.score - 1));
            if (out.size() == k) {
                break;
            }
        }
        return out;
    }

    /** The k tracks most similar to a track already in the index, itself left out. */
    public List<Neighbour> similarTo(String track, int k) throws IOException {
        String key = resolve(track);
        return search(vector(key), k, metadata.hnsw().searchWidth(), Set.of(key));
    }

    /**
     * The index key a user's track name refers to: the key itself, or else the one key with the same file
     * name stem (so {@code music/song.flac} finds {@code song} from a folder of {@code .npy} files).
     * @throws IllegalArgumentException naming the track when none or several keys match
     */
    public String resolve(String track) throws IOException {
        TopDocs exact = searcher.search(new TermQuery(new Term(VectorIndexWriter.TRACK, track)), 1);
        if (exact.totalHits.value > 0) {
            return track;
        }
        TopDocs byStem = searcher.search(new TermQuery(new Term(VectorIndexWriter.STEM, TrackKeys.stem(track))), 6);
        if (byStem.scoreDocs.length == 1) {
            return searcher.storedFields().document(byStem.scoreDocs[0].doc).get(VectorIndexWriter.TRACK);
        }
        if (byStem.scoreDocs.length == 0) {
            throw new IllegalArgumentException(track + ": not in the index (neither as a key nor by file name "
                    + TrackKeys.stem(track) + ")");
        }
        List<String> keys = new ArrayList<>();
        for (ScoreDoc sd : byStem.scoreDocs) {
            keys.add(searcher.storedFields().document(sd.doc).get(VectorIndexWriter.TRACK));
        }
        throw new IllegalArgumentException(track + ": several tracks share the file name " + TrackKeys.stem(track)
                + ", give the full key, one of " + keys);
    }

    /** The stored vector of an index key. */
    public float[] vector(String key) throws IOException {
        TopDocs hit = searcher.search(new TermQuery(new Term(VectorIndexWriter.TRACK, key)), 1);
        if (hit.scoreDocs.length == 0) {
            throw new IllegalArgumentException(key + ": not in the index");
        }
        int doc = hit.scoreDocs[0].doc;
        LeafReaderContext leaf = reader.leaves().get(ReaderUtil.subIndex(doc, reader.leaves()));
        FloatVectorValues values = leaf.reader().getFloatVectorValues(VectorIndexWriter.VECTOR);
        int local = doc - leaf.docBase;
        if (values == null || values.advance(local) != local) {
            throw new IllegalStateException(key + ": document has no vector");
        }
        return values.vectorValue().clone();
    }

    /** Every track and its vector, in index order (for views of the whole catalogue, such as a 2-D map). */
    public void forEachVector(BiConsumer<String, float[]> action) throws IOException {
        for (LeafReaderContext leaf : reader.leaves()) {
            FloatVectorValues values = leaf.reader().getFloatVectorValues(VectorIndexWriter.VECTOR);
            if (values == null) {
                continue;
            }
            Bits live = leaf.reader().getLiveDocs();
            StoredFields stored = leaf.reader().storedFields();
            for (int doc = values.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = values.nextDoc()) {
                if (live == null || live.get(doc)) {
                    action.accept(stored.document(doc).get(VectorIndexWriter.TRACK), values.vectorValue().clone());
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        try {
            reader.close();
        } finally {
            directory.close();
        }
    }
}
