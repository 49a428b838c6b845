/**
 * CPU inference kernels and layers built once from trained {@code nn} layers: oneDNN products and convolutions through
 * libtorch's dispatcher, FBGEMM int8 products, GroupNorm folded into a conv, convolutions over time-major frames. Inference
 * only; a layer owns what it derives from the weights and frees it on close (docs/performance.md).
 *
 * <p>May use: {@code nn}, {@code tensor}.
 */
package org.mert4j.nn.cpu;
