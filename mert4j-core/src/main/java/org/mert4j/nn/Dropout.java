package org.mert4j.nn;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** Dropout that is the identity outside training or at p = 0, so inference pays nothing for it. */
public final class Dropout {
    private Dropout() {}

    public static Tensor apply(Tensor x, double p, boolean training) {
        return training && p > 0 ? torch.dropout(x, p, true) : x;
    }
}
