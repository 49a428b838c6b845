package org.mert4j.nn;

import org.bytedeco.pytorch.Tensor;

/**
 * What computes a Linear's product y = x W^T + b: the plain {@link Linear} itself, or a CPU inference kernel built
 * from it. The model's layers run their structure on these, so that an inference plan swaps kernels in rather
 * than repeating the structure.
 */
public interface LinearKernel {
    /** [..., in] -> [..., out] */
    Tensor forward(Tensor x);

    /** {@code activation(forward(x))}; a null activation is the identity. A kernel may fuse the two. */
    default Tensor forward(Tensor x, Activation activation) {
        Tensor y = forward(x);
        return activation == null ? y : activation.apply(y);
    }
}
