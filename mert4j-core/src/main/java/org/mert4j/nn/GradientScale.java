package org.mert4j.nn;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

/**
 * Identity in the forward pass, gradient multiplied by a factor in the backward pass (fairseq's
 * {@code GradMultiply}): MERT trains its conv front with a tenth of the gradient the rest receives.
 */
public final class GradientScale {
    private GradientScale() {}

    /** x itself for {@code scale} 1, detached for 0, else x * scale + detach(x) * (1 - scale). */
    public static Tensor apply(Tensor x, double scale) {
        if (scale == 1.0) {
            return x;
        }
        if (scale == 0.0) {
            return x.detach();
        }
        return x.mul(new Scalar(scale)).add(x.detach().mul(new Scalar(1.0 - scale)));
    }
}
