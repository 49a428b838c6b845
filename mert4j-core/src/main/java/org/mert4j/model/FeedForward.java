package org.mert4j.model;

import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.mert4j.nn.Activation;
import org.mert4j.nn.Dropout;
import org.mert4j.nn.Linear;

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
        Tensor h = Dropout.apply(act.apply(intermediate.forward(x)), activationDropout, is_training());
        return Dropout.apply(output.forward(h), hiddenDropout, is_training());
    }
}
