package org.mert4j.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Indexes built on their own (one per Spark task, say) searched as one: a query goes to every shard and
 * their top k are merged by cosine similarity, so the answer is each shard's answer, merged. Every shard must
 * hold the same layer and dimension of the same model, and a track may be in one shard only.
 */
public final class ShardedIndex implements VectorIndex {
    private final IndexMetadata metadata;
    private final List<VectorIndex> shards;

    private ShardedIndex(IndexMetadata metadata, List<VectorIndex> shards) {
        this.metadata = metadata;
        this.shards = shards;
    }

    static ShardedIndex open(Path dir, IndexMetadata meta) throws IOException {
        List<VectorIndex> open = new ArrayList<>();
        try {
            long count = 0;
            for (String name : ((ShardsParams) meta.params()).shards()) {
                Path shardDir = dir.resolve(name);
                IndexMetadata m = IndexMetadata.read(shardDir);
                if (m.kind() == IndexParams.Kind.SHARDED) {
                    throw new IOException(shardDir + ": a shard must not be sharded itself");
                }
                if (m.dimension() != meta.dimension() || m.layer() != meta.layer()) {
                    throw new IOException(shardDir + ": holds layer " + m.layer() + " at " + m.dimension()
                            + "-d, the sharded index layer " + meta.layer() + " at " + meta.dimension() + "-d");
                }
                open.add(VectorIndex.open(shardDir));
                count += m.count();
            }
            if (count != meta.count()) {
                throw new IOException(dir + ": the shards hold " + count + " tracks, its metadata says " + meta.count());
            }
            return new ShardedIndex(meta, List.copyOf(open));
        } catch (IOException | RuntimeException e) {
            for (VectorIndex v : open) {
                v.close();
            }
            throw e;
        }
    }

    /** Writes the metadata that makes {@code dir}, holding the given shard folders, one sharded index. */
    public static void write(Path dir, List<String> shardNames, String model, int layer, String source)
            throws IOException {
        long count = 0;
        int dimension = -1;
        for (String name : shardNames) {
            IndexMetadata m = IndexMetadata.read(dir.resolve(name));
            if (dimension >= 0 && m.dimension() != dimension) {
                throw new IOException(dir.resolve(name) + ": " + m.dimension() + "-d, the other shards " + dimension + "-d");
            }
            dimension = m.dimension();
            count += m.count();
        }
        new IndexMetadata(model, layer, dimension, count, source, new ShardsParams(shardNames)).write(dir);
    }

    @Override
    public IndexMetadata metadata() {
        return metadata;
    }

    @Override
    public int size() {
        return (int) Math.min(Integer.MAX_VALUE, metadata.count());
    }

    @Override
    public List<Neighbour> search(float[] query, int k, Set<String> exclude) throws IOException {
        VectorIndex.checkQuery(metadata, query, k);
        List<Neighbour> all;
        try {
            all = shards.parallelStream().flatMap(s -> {
                try {
                    return s.search(query, k, exclude).stream();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sorted(Comparator.comparingDouble((Neighbour n) -> -n.cosine()).thenComparing(Neighbour::track)).toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return all.subList(0, Math.min(k, all.size()));
    }

    @Override
    public String resolve(String track) throws IOException {
        List<String> found = new ArrayList<>();
        IllegalArgumentException ambiguous = null;
        for (VectorIndex s : shards) {
            try {
                String key = s.resolve(track);
                if (key.equals(track)) {
                    return key; // the key itself wins over file names
                }
                found.add(key);
            } catch (IllegalArgumentException e) {
                if (e.getMessage().contains("several tracks")) {
                    ambiguous = e;
                }
            }
        }
        if (ambiguous != null) {
            throw ambiguous;
        }
        return TrackKeys.onlyByStem(track, found);
    }

    @Override
    public float[] vector(String key) throws IOException {
        for (VectorIndex s : shards) {
            try {
                if (s.resolve(key).equals(key)) {
                    return s.vector(key);
                }
            } catch (IllegalArgumentException e) {
                // not in this shard
            }
        }
        throw new IllegalArgumentException(key + ": not in the index");
    }

    @Override
    public void forEachVector(BiConsumer<String, float[]> action) throws IOException {
        for (VectorIndex s : shards) {
            s.forEachVector(action);
        }
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (VectorIndex s : shards) {
            try {
                s.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
