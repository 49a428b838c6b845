/**
 * Nearest-neighbour search over embeddings: an HNSW index on Lucene, its metadata, and embeddings read from npy files.
 *
 * <p>May use: {@code io} and {@code tensor} of mert4j-core; not the model.
 */
package org.mert4j.index;
