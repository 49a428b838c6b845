/**
 * Spark jobs: embedding audio at scale with one model per executor, and building an index from the embeddings.
 *
 * <p>May use: {@code audio}, {@code io}, {@code model}, {@code tensor} of mert4j-core, and mert4j-index.
 */
package org.mert4j.spark;
