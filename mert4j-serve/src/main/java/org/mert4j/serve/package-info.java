/**
 * {@code mert serve}: embeddings and similarity search over HTTP (Jetty), with windows of concurrent requests
 * batched into one forward pass, and the catalogue page served from the jar.
 */
package org.mert4j.serve;
