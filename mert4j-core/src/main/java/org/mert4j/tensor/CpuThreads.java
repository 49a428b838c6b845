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
 *
 * <p>Built with {@code -Pmkl}, {@code ./mert} loads Intel MKL in place of OpenBLAS (the openblas
 * preset's {@code org.bytedeco.openblas.load=mkl_rt}) with {@code MKL_THREADING_LAYER=GNU}, so that
 * MKL threads on libtorch's OpenMP pool as in PyTorch's wheels; the same policy applies.
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

    /** The property that makes the openblas preset load another BLAS (MKL: {@code mkl_rt}). */
    public static final String BLAS_LOAD_PROPERTY = "org.bytedeco.openblas.load";

    /** {@code mkl} or {@code openblas}: which library answers libtorch's BLAS calls. */
    public static String blasLibrary() {
        String load = System.getProperty(BLAS_LOAD_PROPERTY, "");
        return load.startsWith("mkl") ? "mkl" : "openblas";
    }

    /**
     * Null, or why the BLAS setup will oversubscribe the cores: MKL's default threading layer runs
     * an Intel OpenMP pool beside libtorch's GNU one.
     */
    public static String blasWarning(java.util.Map<String, String> env) {
        if (!blasLibrary().equals("mkl") || "GNU".equalsIgnoreCase(env.get("MKL_THREADING_LAYER"))) {
            return null;
        }
        return "MKL is loaded without MKL_THREADING_LAYER=GNU: its own thread pool competes with libtorch's;"
                + " set MKL_THREADING_LAYER=GNU (./mert does)";
    }

    public static int blasThreads() {
        return org.bytedeco.openblas.presets.openblas_nolapack.blas_get_num_threads();
    }

    /** Overrides the policy (benchmarks compare both settings with it). */
    public static void setBlasThreads(int n) {
        org.bytedeco.openblas.presets.openblas_nolapack.blas_set_num_threads(n);
    }
}
