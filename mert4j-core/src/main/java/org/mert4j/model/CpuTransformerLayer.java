package org.mert4j.model;

import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import org.mert4j.nn.cpu.InferenceLinear;
import org.mert4j.nn.cpu.InferenceLinear.Kernel;

/**
 * {@link TransformerLayer} for CPU inference: the same residual structure and norms, its Linears on
 * the chosen kernel, with q, k and v as one stacked product on oneDNN and GELU fused into the
 * feed-forward's first product there. No dropout: inference only.
 */
final class CpuTransformerLayer implements AutoCloseable {
    private final TransformerLayer plain;
    private final SelfAttention attention;
    // q, k and v stacked [3H, H] (a copy: 7 MB a layer of 95M), or null for three products
    private final InferenceLinear qkv;
    private final InferenceLinear q;
    private final InferenceLinear k;
    private final InferenceLinear v;
    private final InferenceLinear out;
    private final InferenceLinear intermediate;
    private final InferenceLinear output;

    CpuTransformerLayer(TransformerLayer plain, Kernel kernel) {
        this.plain = plain;
        this.attention = plain.attention;
        SelfAttention a = attention;
        boolean stack = kernel == Kernel.ONEDNN;
        this.qkv = stack ? InferenceLinear.stacked(kernel, a.q, a.k, a.v) : null;
        this.q = stack ? null : InferenceLinear.of(a.q, kernel);
        this.k = stack ? null : InferenceLinear.of(a.k, kernel);
        this.v = stack ? null : InferenceLinear.of(a.v, kernel);
        this.out = InferenceLinear.of(a.out, kernel);
        this.intermediate = InferenceLinear.of(plain.feedForward.intermediate, kernel);
        this.output = InferenceLinear.of(plain.feedForward.output, kernel);
    }

    /** [B, T, H] -> [B, T, H] */
    Tensor forward(Tensor x) {
        if (plain.preNorm) {
            Tensor h = x.add(attention(plain.layerNorm.forward(x)));
            return h.add(feedForward(plain.finalLayerNorm.forward(h)));
        }
        Tensor h = plain.layerNorm.forward(plain.residual(x).add(attention(x)));
        return plain.finalLayerNorm.forward(plain.residual(h).add(feedForward(h)));
    }

    private Tensor attention(Tensor x) {
        long b = x.size(0);
        long t = x.size(1);
        Tensor qh;
        Tensor kh;
        Tensor vh;
        if (qkv != null) {
            Tensor stacked = qkv.forward(x).view(b, t, 3, attention.heads, attention.headDim);
            qh = stacked.select(2, 0).transpose(1, 2);
            kh = stacked.select(2, 1).transpose(1, 2);
            vh = stacked.select(2, 2).transpose(1, 2);
        } else {
            qh = attention.splitHeads(q.forward(x), b, t);
            kh = attention.splitHeads(k.forward(x), b, t);
            vh = attention.splitHeads(v.forward(x), b, t);
        }
        Tensor ctx = torch.scaled_dot_product_attention(qh, kh, vh, new TensorOptional(), 0.0, false,
                new DoubleOptional(), false);
        return out.forward(attention.mergeHeads(ctx, b, t));
    }

    private Tensor feedForward(Tensor x) {
        return output.forward(intermediate.forward(x, plain.feedForward.act));
    }

    @Override
    public void close() {
        for (InferenceLinear l : new InferenceLinear[] {qkv, q, k, v, out, intermediate, output}) {
            if (l != null) {
                l.close();
            }
        }
    }
}
