package org.mert4j.tensor;

import org.bytedeco.pytorch.global.torch;

/**
 * How the CPU's cores are shared between libtorch's two thread pools. libtorch parallelises with
 * OpenMP, but its fp32 matrix products call OpenBLAS, which keeps a pool of its own; libtorch also
 * calls OpenBLAS from inside its OpenMP loops (CPU flash attention, batched products). With both
 * pools at full size the threads outnumber the cores and spin against each other: on 2 cores a
 * transformer layer took twice as long, and on a busy machine inference became 20-30x slower. PyTorch's own wheels avoid this because MKL shares the
 * OpenMP pool. Here, inference keeps OpenBLAS at one thread and does its large products with oneDNN
 * or FBGEMM on the OpenMP pool; training, whose backward pass needs OpenBLAS's parallel products,
 * gives OpenBLAS the cores.
 */
public final class CpuThreads {
    private CpuThreads() {}

    /** Inference: single-threaded OpenBLAS, libtorch's own thread count untouched. */
    public static void singleThreadedBlas() {
        setBlasThreads(1);
    }

    /** Training: libtorch and OpenBLAS both at {@code threads}. */
    public static void forTraining(int threads) {
        torch.set_num_threads(threads);
        setBlasThreads(threads);
    }

    public static int blasThreads() {
        return org.bytedeco.openblas.presets.openblas_nolapack.blas_get_num_threads();
    }

    /** Overrides the policy (benchmarks compare both settings with it). */
    public static void setBlasThreads(int n) {
        org.bytedeco.openblas.presets.openblas_nolapack.blas_set_num_threads(n);
    }
}
