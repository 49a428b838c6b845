/**
 * {@code mert serve}: embeddings and similarity search over HTTP (Jetty), with windows of concurrent requests
 * batched into one forward pass, and the catalogue page served from the jar.
 *
 * <p>May use: {@code audio}, {@code io}, {@code model}, {@code tensor} of mert4j-core, and mert4j-index. Never the
 * command line: {@code mert serve} starts this, not the other way round.
 */
package org.mert4j.serve;
