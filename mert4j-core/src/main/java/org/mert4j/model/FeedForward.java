package org.mert4j.model;

import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.mert4j.nn.Activation;
import org.mert4j.nn.Dropout;
import org.mert4j.nn.Linear;

/** Linear(H -> F), activation, dropout, Linear(F -> H), dropout. */
public final class FeedForward extends Module {
    private final Linear intermediate;
    private final Linear output;
    private final Activation act;
    private final double activationDropout;
    private final double hiddenDropout;

    public FeedForward(MertConfig c) {
        this.intermediate = register_module("intermediate_dense", new Linear(c.hiddenSize(), c.intermediateSize(), true));
        this.output = register_module("output_dense", new Linear(c.intermediateSize(), c.hiddenSize(), true));
        this.act = Activation.of(c.hiddenAct());
        this.activationDropout = c.activationDropout();
        this.hiddenDropout = c.hiddenDropout();
    }

    /** Int8 weights for CPU inference (see {@link Linear#quantizeDynamicInt8()}). */
    void quantizeDynamicInt8() {
        intermediate.quantizeDynamicInt8();
        output.quantizeDynamicInt8();
    }

    /** [B, T, H] -> [B, T, H] */
    public Tensor forward(Tensor x) {
        Tensor h = Dropout.apply(intermediate.forward(x, act), activationDropout, is_training());
        return Dropout.apply(output.forward(h), hiddenDropout, is_training());
    }
}
