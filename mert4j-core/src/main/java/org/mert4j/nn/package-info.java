/**
 * Plain neural-network layers as libtorch modules whose parameters keep PyTorch's names (Linear, Conv1d, weight-normalised
 * Conv1d, LayerNorm, GroupNorm), and the functions the model applies (activations, dropout, gradient scaling). They compute
 * the maths only, the same in training, inference, on CPU and GPU.
 *
 * <p>May use: no other mert4j package.
 */
package org.mert4j.nn;
