package org.mert4j.model;

/**
 * How {@link CpuEncoder} runs a model on the CPU (docs/performance.md, "Each lever, measured"). Chosen
 * when the model is loaded; each option falls back to the plain modules' kernels where this libtorch
 * lacks the operator it needs.
 *
 * @param oneDnn        fp32 products and convolutions through oneDNN on libtorch's OpenMP pool; false runs
 *                      the fp32 parts as the plain modules do (OpenBLAS), for before/after timings
 * @param timeMajorConv the conv front time-major, GroupNorm folded into its first layer; false runs it
 *                      channel-major as the plain module does (int8 is time-major in any case)
 * @param int8          dynamic int8 (FBGEMM) for the transformer's Linears and the conv front after its
 *                      first layer: faster, pooled embeddings close to fp32 (docs/performance.md gives the
 *                      measured cosines)
 */
public record CpuInferenceOptions(boolean oneDnn, boolean timeMajorConv, boolean int8) {
    /** Every fp32 fast path, no int8: what {@link MertModel#load} uses. */
    public static final CpuInferenceOptions DEFAULT = new CpuInferenceOptions(true, true, false);

    public CpuInferenceOptions withInt8(boolean on) {
        return new CpuInferenceOptions(oneDnn, timeMajorConv, on);
    }
}
