package org.mert4j.model;

import org.mert4j.nn.LinearKernel;

/**
 * The Linear maps one {@link TransformerLayer} runs on: its own Linears (what training uses), or the kernels a
 * CPU inference plan built from them. With {@code qkv} set, q, k and v are one stacked product whose outputs
 * lie side by side ([..., 3H]) and {@code q}, {@code k}, {@code v} are null; else {@code qkv} is null.
 * {@code intermediate} is called with the feed-forward's activation, which it may fuse.
 */
record LayerKernels(LinearKernel qkv, LinearKernel q, LinearKernel k, LinearKernel v, LinearKernel out,
        LinearKernel intermediate, LinearKernel output) {
    LayerKernels {
        boolean apart = q != null && k != null && v != null;
        boolean none = q == null && k == null && v == null;
        if (!(qkv != null ? none : apart) || out == null || intermediate == null || output == null) {
            throw new IllegalArgumentException("a layer's kernels need q, k and v stacked or all three apart,"
                    + " and out, intermediate and output");
        }
    }

    /** q, k and v as three products. */
    static LayerKernels separate(LinearKernel q, LinearKernel k, LinearKernel v, LinearKernel out,
            LinearKernel intermediate, LinearKernel output) {
        return new LayerKernels(null, q, k, v, out, intermediate, output);
    }

    /** q, k and v as one stacked product. */
    static LayerKernels stacked(LinearKernel qkv, LinearKernel out, LinearKernel intermediate, LinearKernel output) {
        return new LayerKernels(qkv, null, null, null, out, intermediate, output);
    }
}
