package org.mert4j.model;

import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import org.mert4j.nn.Dropout;
import org.mert4j.nn.Linear;
import org.mert4j.nn.LinearKernel;

/**
 * Multi-head self-attention (docs/model.md, "Attention"): scale 1/sqrt(head_dim), biases on q, k, v and
 * out, libtorch's fused {@code scaled_dot_product_attention}. With {@code attention_relax} c > 0, training
 * turns the logits a into (a/c - max(a/c)) * c before the softmax: the same softmax mathematically, but
 * safe in reduced precision (MERT's stabiliser); outside training the fused kernel gives the same result.
 * CPU training with attention dropout spells the attention out as well, so that its dropout uses the
 * cheaper mask of {@link Dropout} (libtorch's CPU attention has no fused dropout to lose).
 */
public final class SelfAttention extends Module {
    final Linear q;
    final Linear k;
    final Linear v;
    final Linear out;
    final int heads;
    final int headDim;
    private final double relax;
    private final double dropout;

    public SelfAttention(MertConfig c) {
        int h = c.transformer().hiddenSize();
        this.k = register_module("k_proj", new Linear(h, h, true));
        this.v = register_module("v_proj", new Linear(h, h, true));
        this.q = register_module("q_proj", new Linear(h, h, true));
        this.out = register_module("out_proj", new Linear(h, h, true));
        this.heads = c.transformer().numHeads();
        this.headDim = c.transformer().headDim();
        this.relax = c.transformer().attentionRelax();
        this.dropout = c.dropout().attention();
    }

    /** [B, T, H] -> [B, T, H] */
    public Tensor forward(Tensor x) {
        return forward(x, q, k, v, out, is_training());
    }

    /**
     * As {@link #forward(Tensor)}, with the products of {@code kernels} (q, k and v stacked or apart) and
     * attention dropout and relaxation only when {@code training}.
     */
    Tensor forward(Tensor x, LayerKernels kernels, boolean training) {
        if (kernels.qkv() == null) {
            return forward(x, kernels.q(), kernels.k(), kernels.v(), kernels.out(), training);
        }
        long b = x.size(0);
        long t = x.size(1);
        Tensor stacked = kernels.qkv().forward(x).view(b, t, 3, heads, headDim);
        return attend(x, stacked.select(2, 0).transpose(1, 2), stacked.select(2, 1).transpose(1, 2),
                stacked.select(2, 2).transpose(1, 2), kernels.out(), training);
    }

    private Tensor forward(Tensor x, LinearKernel q, LinearKernel k, LinearKernel v, LinearKernel out,
            boolean training) {
        long b = x.size(0);
        long t = x.size(1);
        Tensor qh = splitHeads(q.forward(x), b, t);
        Tensor kh = splitHeads(k.forward(x), b, t);
        Tensor vh = splitHeads(v.forward(x), b, t);
        return attend(x, qh, kh, vh, out, training);
    }

    /** Attention over heads [B, heads, T, headDim] of the input x, then the output product. */
    private Tensor attend(Tensor x, Tensor qh, Tensor kh, Tensor vh, LinearKernel out, boolean training) {
        boolean explicit = training && (relax > 0 || dropout > 0 && !x.is_cuda());
        Tensor ctx = explicit ? explicitAttention(qh, kh, vh, training)
                : torch.scaled_dot_product_attention(qh, kh, vh, new TensorOptional(), training ? dropout : 0.0,
                        false, new DoubleOptional(), false);
        return out.forward(mergeHeads(ctx, x.size(0), x.size(1)));
    }

    /**
     * softmax(QK^T/sqrt(d)) V spelled out, with dropout on the probabilities and, in training with
     * {@code attention_relax} > 0, the relaxation of the logits.
     */
    Tensor explicitAttention(Tensor qh, Tensor kh, Tensor vh, boolean training) {
        Tensor logits = torch.matmul(qh.mul(new Scalar(1.0 / Math.sqrt(headDim))), kh.transpose(-2, -1));
        if (relax > 0 && training) {
            Tensor scaled = logits.div(new Scalar(relax));
            logits = scaled.sub(scaled.amax(new long[] {-1}, true)).mul(new Scalar(relax));
        }
        Tensor probs = Dropout.apply(torch.softmax(logits, -1, new ScalarTypeOptional()), dropout, training);
        return torch.matmul(probs, vh);
    }

    /** [B, T, heads * headDim] -> [B, heads, T, headDim] */
    Tensor splitHeads(Tensor x, long b, long t) {
        return x.view(b, t, heads, headDim).transpose(1, 2);
    }

    /** [B, heads, T, headDim] -> [B, T, heads * headDim] */
    Tensor mergeHeads(Tensor ctx, long b, long t) {
        return ctx.transpose(1, 2).reshape(b, t, (long) heads * headDim);
    }
}
