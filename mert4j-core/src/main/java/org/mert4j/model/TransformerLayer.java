package org.mert4j.model;

import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.mert4j.nn.Dropout;
import org.mert4j.nn.LayerNorm;

/**
 * One transformer block (docs/model.md, "Transformer layers").
 * post-LN: x = LN1(x + Attn(x)); x = LN2(x + FFN(x)).  pre-LN: x = x + Attn(LN1(x)); x = x + FFN(LN2(x)).
 * DeepNorm (post-LN only) scales the residual branch input by (2L)^(1/4).
 */
public final class TransformerLayer extends Module {
    final SelfAttention attention;
    final LayerNorm layerNorm;
    final FeedForward feedForward;
    final LayerNorm finalLayerNorm;
    final boolean preNorm;
    final double residualAlpha;
    private final double hiddenDropout;
    private final LayerKernels ownLinears;

    public TransformerLayer(MertConfig c) {
        MertConfig.Transformer t = c.transformer();
        this.attention = register_module("attention", new SelfAttention(c));
        this.layerNorm = register_module("layer_norm", new LayerNorm(t.hiddenSize(), t.layerNormEps()));
        this.feedForward = register_module("feed_forward", new FeedForward(c));
        this.finalLayerNorm = register_module("final_layer_norm", new LayerNorm(t.hiddenSize(), t.layerNormEps()));
        this.preNorm = t.preNorm();
        this.residualAlpha = t.deepnorm() ? Math.pow(2.0 * t.numLayers(), 0.25) : 1.0;
        this.hiddenDropout = c.dropout().hidden();
        this.ownLinears = LayerKernels.separate(attention.q, attention.k, attention.v, attention.out,
                feedForward.intermediate, feedForward.output);
    }

    /** [B, T, H] -> [B, T, H] */
    public Tensor forward(Tensor x) {
        return forward(x, ownLinears, is_training());
    }

    /**
     * As {@link #forward(Tensor)}, with the Linear maps of {@code kernels} (a CPU plan's) and dropout only when
     * {@code training}.
     */
    Tensor forward(Tensor x, LayerKernels kernels, boolean training) {
        if (preNorm) {
            Tensor a = attention.forward(layerNorm.forward(x), kernels, training);
            Tensor h = x.add(Dropout.apply(a, hiddenDropout, training));
            return h.add(feedForward.forward(finalLayerNorm.forward(h), kernels, training));
        }
        Tensor a = Dropout.apply(attention.forward(x, kernels, training), hiddenDropout, training);
        Tensor h = layerNorm.forward(residual(x).add(a));
        return finalLayerNorm.forward(residual(h).add(feedForward.forward(h, kernels, training)));
    }

    /** The layer's own Linears, as kernels. */
    LayerKernels ownLinears() {
        return ownLinears;
    }

    /** The residual branch's input, scaled by DeepNorm's alpha when it is on. */
    private Tensor residual(Tensor x) {
        return residualAlpha == 1.0 ? x : x.mul(new Scalar(residualAlpha));
    }
}
