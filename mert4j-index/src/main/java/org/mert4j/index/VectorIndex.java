package org.mert4j.index;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * A similarity index of track embeddings under cosine similarity, opened for queries: an inverted-file index
 * ({@link IvfParams}) or an HNSW graph on Lucene ({@link HnswParams}), as {@link IndexMetadata#kind} says.
 * Safe for concurrent queries.
 */
public interface VectorIndex extends AutoCloseable {

    /** Opens the index in {@code dir}, whichever kind it is. */
    static VectorIndex open(Path dir) throws IOException {
        IndexMetadata meta = IndexMetadata.read(dir);
        return switch (meta.kind()) {
            case IVF -> IvfIndex.open(dir, meta);
            case HNSW -> HnswIndex.open(dir, meta);
            case SHARDED -> ShardedIndex.open(dir, meta);
        };
    }

    IndexMetadata metadata();

    /** Number of tracks. */
    int size();

    /** The k tracks most similar to {@code query}, best first. */
    default List<Neighbour> search(float[] query, int k) throws IOException {
        return search(query, k, Set.of());
    }

    /** The k tracks most similar to {@code query}, best first, leaving out the keys in {@code exclude}. */
    List<Neighbour> search(float[] query, int k, Set<String> exclude) throws IOException;

    /** The k tracks most similar to a track already in the index, itself left out. */
    default List<Neighbour> similarTo(String track, int k) throws IOException {
        String key = resolve(track);
        return search(vector(key), k, Set.of(key));
    }

    /**
     * The index key a user's track name refers to: the key itself, or else the one key with the same file
     * name stem (so {@code music/song.flac} finds {@code song} from a folder of {@code .npy} files).
     * @throws IllegalArgumentException naming the track when none or several keys match
     */
    String resolve(String track) throws IOException;

    /** The vector of an index key, as it was added. */
    float[] vector(String key) throws IOException;

    /** Every track and its vector, in index order (for views of the whole catalogue, such as a 2-D map). */
    void forEachVector(BiConsumer<String, float[]> action) throws IOException;

    /** Receives the neighbours of one track of {@link #allNeighbours}. */
    interface NeighboursSink {
        void accept(String track, List<Neighbour> neighbours) throws IOException;
    }

    /**
     * The k most similar other tracks of every track, in index order: what duplicate detection and "more
     * like this" for a whole catalogue need. This default asks one query per track; an index may answer
     * many tracks per matrix product.
     * @param progress told the number of tracks done so far, now and then
     */
    default void allNeighbours(int k, NeighboursSink sink, java.util.function.LongConsumer progress)
            throws IOException {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        List<String> keys = new java.util.ArrayList<>(size());
        forEachVector((key, v) -> keys.add(key));
        long done = 0;
        for (String key : keys) {
            sink.accept(key, search(vector(key), k, Set.of(key)));
            if (++done % 1000 == 0) {
                progress.accept(done);
            }
        }
        progress.accept(done);
    }

    @Override
    void close() throws IOException;

    /** Refuses a query of the wrong length, or a k below 1, naming what the index holds. */
    static void checkQuery(IndexMetadata metadata, float[] query, int k) {
        if (query.length != metadata.dimension()) {
            throw new IllegalArgumentException("query vector has " + query.length + " values, the index holds "
                    + metadata.dimension() + " (built from layer " + metadata.layer() + ")");
        }
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
    }
}
