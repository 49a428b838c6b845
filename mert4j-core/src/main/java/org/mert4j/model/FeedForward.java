package org.mert4j.model;

import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.mert4j.nn.Activation;
import org.mert4j.nn.Dropout;
import org.mert4j.nn.Linear;
import org.mert4j.nn.LinearKernel;

/** docs/model.md, "Transformer layers": Linear(H -> F), activation, dropout, Linear(F -> H), dropout. */
public final class FeedForward extends Module {
    final Linear intermediate;
    final Linear output;
    final Activation act;
    private final double activationDropout;
    private final double hiddenDropout;

    public FeedForward(MertConfig c) {
        MertConfig.Transformer t = c.transformer();
        this.intermediate = register_module("intermediate_dense", new Linear(t.hiddenSize(), t.intermediateSize(), true));
        this.output = register_module("output_dense", new Linear(t.intermediateSize(), t.hiddenSize(), true));
        this.act = t.activation();
        this.activationDropout = c.dropout().activation();
        this.hiddenDropout = c.dropout().hidden();
    }

    /** [B, T, H] -> [B, T, H] */
    public Tensor forward(Tensor x) {
        return forward(x, intermediate, output, is_training());
    }

    /** As {@link #forward(Tensor)}, with the products of {@code kernels} and dropout only when {@code training}. */
    Tensor forward(Tensor x, LayerKernels kernels, boolean training) {
        return forward(x, kernels.intermediate(), kernels.output(), training);
    }

    private Tensor forward(Tensor x, LinearKernel intermediate, LinearKernel output, boolean training) {
        Tensor h = Dropout.apply(intermediate.forward(x, act), activationDropout, training);
        return Dropout.apply(output.forward(h), hiddenDropout, training);
    }
}
