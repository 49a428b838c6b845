package org.mert4j.index;

import java.util.List;

/**
 * A sharded index: a folder of indexes (the shards, each built on its own, for instance by one Spark task)
 * searched together, each shard's top k merged by cosine similarity.
 * @param shards the shards' folder names, below the sharded index's folder
 */
public record ShardsParams(List<String> shards) implements IndexParams {
    public ShardsParams {
        shards = List.copyOf(shards);
        for (String s : shards) {
            if (s.isEmpty() || s.contains("/") || s.contains("\\") || s.equals(".") || s.equals("..")) {
                throw new IllegalArgumentException("a shard is a folder inside the index, not \"" + s + "\"");
            }
        }
    }

    @Override
    public Kind kind() {
        return Kind.SHARDED;
    }
}
