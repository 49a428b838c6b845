package org.mert4j.index;

/**
 * One search result.
 * @param track  the track's key in the index (its path, or its path below the embeddings folder)
 * @param cosine cosine similarity between the query and the track's embedding, in [-1, 1]
 */
public record Neighbour(String track, float cosine) {
}
