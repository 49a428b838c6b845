/**
 * Nearest-neighbour search over embeddings by cosine similarity: an inverted-file index on libtorch (the default), an HNSW
 * graph on Lucene, shards searched as one index; their metadata, and embeddings read from npy files.
 *
 * <p>May use: {@code io} and {@code tensor} of mert4j-core; not the model.
 */
package org.mert4j.index;
