package org.mert4j.model;

import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.mert4j.nn.DerivedWeight;
import org.mert4j.nn.Dropout;
import org.mert4j.nn.Linear;
import org.mert4j.nn.OneDnnLinear;

/**
 * Multi-head self-attention, scale 1/sqrt(head_dim), biases on q, k, v and out.
 * Uses libtorch's fused {@code scaled_dot_product_attention}. With {@code attention_relax} c > 0 and
 * in training, logits a become (a/c - max(a/c)) * c before the softmax: the same softmax
 * mathematically, but safe in reduced precision (MERT's stabiliser). In fp32 inference the fused
 * kernel gives the same result, so it is used there. CPU training with attention dropout spells the
 * attention out, so that its dropout uses the cheaper mask of {@link Dropout}. CPU fp32 inference
 * computes q, k and v as one product with the three weights stacked.
 */
public final class SelfAttention extends Module {
    private final Linear q;
    private final Linear k;
    private final Linear v;
    private final Linear out;
    private final int heads;
    private final int headDim;
    private final double relax;
    private final double dropout;
    // q, k and v stacked for CPU fp32 inference (a copy: 7 MB a layer of 95M)
    private final DerivedWeight fusedWeight;
    private final DerivedWeight fusedBias;

    public SelfAttention(MertConfig c) {
        int h = c.hiddenSize();
        this.k = register_module("k_proj", new Linear(h, h, true));
        this.v = register_module("v_proj", new Linear(h, h, true));
        this.q = register_module("q_proj", new Linear(h, h, true));
        this.out = register_module("out_proj", new Linear(h, h, true));
        this.heads = c.numAttentionHeads();
        this.headDim = c.headDim();
        this.relax = c.attentionRelax();
        this.dropout = c.attentionDropout();
        this.fusedWeight = new DerivedWeight(() -> torch.cat(new TensorVector(q.weight, k.weight, v.weight), 0),
                q.weight, k.weight, v.weight);
        this.fusedBias = new DerivedWeight(() -> torch.cat(new TensorVector(q.bias, k.bias, v.bias), 0),
                q.bias, k.bias, v.bias);
    }

    /** Int8 weights for CPU inference (see {@link Linear#quantizeDynamicInt8()}). */
    void quantizeDynamicInt8() {
        q.quantizeDynamicInt8();
        k.quantizeDynamicInt8();
        v.quantizeDynamicInt8();
        out.quantizeDynamicInt8();
    }

    /** [B, T, H] -> [B, T, H] */
    public Tensor forward(Tensor x) {
        long b = x.size(0);
        long t = x.size(1);
        Tensor qh;
        Tensor kh;
        Tensor vh;
        if (q.runsOnOneDnn(x) && k.runsOnOneDnn(x) && v.runsOnOneDnn(x)) {
            // one product three times as wide runs closer to the machine's peak (1-2 ms a layer of 95M)
            Tensor qkv = OneDnnLinear.apply(x, fusedWeight.get(), fusedBias.get()).view(b, t, 3, heads, headDim);
            qh = qkv.select(2, 0).transpose(1, 2);
            kh = qkv.select(2, 1).transpose(1, 2);
            vh = qkv.select(2, 2).transpose(1, 2);
        } else {
            qh = splitHeads(q.forward(x), b, t);
            kh = splitHeads(k.forward(x), b, t);
            vh = splitHeads(v.forward(x), b, t);
        }
        // libtorch's CPU attention has no fused dropout, so CPU training spells it out with the cheaper
        // mask of Dropout; relaxation needs the logits in any case
        Tensor ctx = is_training() && (relax > 0 || dropout > 0 && !x.is_cuda()) ? explicitAttention(qh, kh, vh)
                : torch.scaled_dot_product_attention(qh, kh, vh, new TensorOptional(),
                        is_training() ? dropout : 0.0, false, new DoubleOptional(), false);
        return out.forward(ctx.transpose(1, 2).reshape(b, t, (long) heads * headDim));
    }

    /**
     * softmax(QK^T/sqrt(d)) V spelled out, with dropout on the probabilities and, in training with
     * {@code attention_relax} > 0, the relaxation of the logits.
     */
    Tensor explicitAttention(Tensor qh, Tensor kh, Tensor vh) {
        Tensor logits = torch.matmul(qh.mul(new org.bytedeco.pytorch.Scalar(1.0 / Math.sqrt(headDim))),
                kh.transpose(-2, -1));
        if (relax > 0 && is_training()) {
            Tensor scaled = logits.div(new org.bytedeco.pytorch.Scalar(relax));
            logits = scaled.sub(scaled.amax(new long[] {-1}, true)).mul(new org.bytedeco.pytorch.Scalar(relax));
        }
        Tensor probs = Dropout.apply(torch.softmax(logits, -1, new org.bytedeco.pytorch.ScalarTypeOptional()),
                dropout, is_training());
        return torch.matmul(probs, vh);
    }

    private Tensor splitHeads(Tensor x, long b, long t) {
        return x.view(b, t, heads, headDim).transpose(1, 2);
    }
}
