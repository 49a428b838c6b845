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
 * An HNSW index on Lucene written by {@link HnswIndexWriter}, opened for queries. Approximate: the graph
 * finds most, not always all, of the exact top k; {@link HnswParams#searchWidth} trades speed for recall.
 * Safe for concurrent queries.
 */
final class HnswIndex implements VectorIndex {
    private final IndexMetadata metadata;
    private final FSDirectory directory;
    private final DirectoryReader reader;
    private final IndexSearcher searcher;

    private HnswIndex(IndexMetadata metadata, FSDirectory directory, DirectoryReader reader) {
        this.metadata = metadata;
        this.directory = directory;
        this.reader = reader;
        this.searcher = new IndexSearcher(reader);
    }

    static HnswIndex open(Path dir, IndexMetadata meta) throws IOException {
        FSDirectory directory = FSDirectory.open(dir);
        try {
            return new HnswIndex(meta, directory, DirectoryReader.open(directory));
        } catch (IOException | RuntimeException e) {
            directory.close();
            throw new IOException(dir + ": cannot open the Lucene index: " + e.getMessage(), e);
        }
    }

    @Override
    public IndexMetadata metadata() {
        return metadata;
    }

    @Override
    public int size() {
        return reader.numDocs();
    }

    @Override
    public List<Neighbour> search(float[] query, int k, Set<String> exclude) throws IOException {
        return search(query, k, metadata.hnsw().searchWidth(), exclude);
    }

    /**
     * The k tracks most similar to {@code query}, best first, leaving out the keys in {@code exclude}.
     * @param searchWidth candidates the graph search collects (raised to k plus the excluded count if smaller)
     */
    List<Neighbour> search(float[] query, int k, int searchWidth, Set<String> exclude) throws IOException {
        VectorIndex.checkQuery(metadata, query, k);
        k = Math.min(k, size()); // more than the index holds cannot be found, and must not be allocated
        int width = Math.max(searchWidth, k + exclude.size());
        TopDocs top = searcher.search(new KnnFloatVectorQuery(HnswIndexWriter.VECTOR, query, width), width);
        List<Neighbour> out = new ArrayList<>(k);
        for (ScoreDoc sd : top.scoreDocs) {
            String track = searcher.storedFields().document(sd.doc).get(HnswIndexWriter.TRACK);
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

    @Override
    public String resolve(String track) throws IOException {
        TopDocs exact = searcher.search(new TermQuery(new Term(HnswIndexWriter.TRACK, track)), 1);
        if (exact.totalHits.value > 0) {
            return track;
        }
        TopDocs byStem = searcher.search(new TermQuery(new Term(HnswIndexWriter.STEM, TrackKeys.stem(track))), 6);
        List<String> keys = new ArrayList<>();
        for (ScoreDoc sd : byStem.scoreDocs) {
            keys.add(searcher.storedFields().document(sd.doc).get(HnswIndexWriter.TRACK));
        }
        return TrackKeys.onlyByStem(track, keys);
    }

    @Override
    public float[] vector(String key) throws IOException {
        TopDocs hit = searcher.search(new TermQuery(new Term(HnswIndexWriter.TRACK, key)), 1);
        if (hit.scoreDocs.length == 0) {
            throw new IllegalArgumentException(key + ": not in the index");
        }
        int doc = hit.scoreDocs[0].doc;
        LeafReaderContext leaf = reader.leaves().get(ReaderUtil.subIndex(doc, reader.leaves()));
        FloatVectorValues values = leaf.reader().getFloatVectorValues(HnswIndexWriter.VECTOR);
        int local = doc - leaf.docBase;
        if (values == null || values.advance(local) != local) {
            throw new IllegalStateException(key + ": document has no vector");
        }
        return values.vectorValue().clone();
    }

    @Override
    public void forEachVector(BiConsumer<String, float[]> action) throws IOException {
        for (LeafReaderContext leaf : reader.leaves()) {
            FloatVectorValues values = leaf.reader().getFloatVectorValues(HnswIndexWriter.VECTOR);
            if (values == null) {
                continue;
            }
            Bits live = leaf.reader().getLiveDocs();
            StoredFields stored = leaf.reader().storedFields();
            for (int doc = values.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = values.nextDoc()) {
                if (live == null || live.get(doc)) {
                    action.accept(stored.document(doc).get(HnswIndexWriter.TRACK), values.vectorValue().clone());
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
