package org.mert4j.pretrain;

import java.util.List;

import org.bytedeco.pytorch.Tensor;

/** How the ranks of a data-parallel run agree: sums of counts and of gradients. One process: nothing to do. */
public interface GradientSync extends AutoCloseable {
    int rank();

    int worldSize();

    /** Element-wise sum of {@code values} over all ranks, in place. */
    void sumLongs(long[] values);

    /** Element-wise sum of {@code values} over all ranks, in place. */
    void sumDoubles(double[] values);

    /** Sum of these gradients over all ranks, in place. */
    void sumGradients(List<Tensor> grads);

    /** Waits for every rank (before checkpoints and at exit). */
    void barrier();

    @Override
    default void close() {}

    GradientSync SINGLE = new GradientSync() {
        public int rank() {
            return 0;
        }

        public int worldSize() {
            return 1;
        }

        public void sumLongs(long[] values) {}

        public void sumDoubles(double[] values) {}

        public void sumGradients(List<Tensor> grads) {}

        public void barrier() {}
    };
}
