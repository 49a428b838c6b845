/**
 * EnCodec's encoder and residual quantiser in libtorch, loaded from a Hugging Face EnCodec folder: MERT-v1's acoustic
 * teacher.
 *
 * <p>May use: {@code io}, {@code teacher.rvq}, {@code tensor}.
 */
package org.mert4j.teacher.encodec;
