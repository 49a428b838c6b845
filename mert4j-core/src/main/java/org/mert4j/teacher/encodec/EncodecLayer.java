package org.mert4j.teacher.encodec;

import org.bytedeco.pytorch.Tensor;

/** One step of the SEANet encoder: [B, C, T] -> [B, C', T']. */
interface EncodecLayer {
    Tensor forward(Tensor x);
}
