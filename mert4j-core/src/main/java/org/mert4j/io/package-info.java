/**
 * Tensors on disk: safetensors read and write, PyTorch {@code .bin} archives read by a restricted unpickler, npy, and the
 * Hugging Face folder's weight files (docs/model.md, "Checkpoints"); atomic writes.
 *
 * <p>May use: {@code tensor}.
 */
package org.mert4j.io;
