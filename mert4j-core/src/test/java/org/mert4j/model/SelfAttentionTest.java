package org.mert4j.model;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.InferenceMode;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.mert4j.nn.OneDnnLinear;

/**
 * CPU training with attention dropout spells the attention out (softmax, dropout, product) instead of
 * calling scaled_dot_product_attention; without the dropout the two must agree (fp32, 1e-5). CPU
 * inference computes q, k and v as one stacked product, which must equal the three products and see
 * weights changed in place.
 */
class SelfAttentionTest {
    @Test
    void explicitAttentionEqualsScaledDotProductAttention() throws Exception {
        MertConfig config = MertConfig.fromJson((com.fasterxml.jackson.databind.node.ObjectNode)
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                        Fixtures.ROOT.resolve("postln-group").resolve("config.json").toFile()));
        try (PointerScope scope = new PointerScope()) {
            SelfAttention attention = new SelfAttention(config);
            attention.eval(); // dropout off: the formulas alone are compared
            long heads = config.numAttentionHeads();
            long d = config.hiddenSize() / heads;
            torch.manual_seed(4);
            Tensor q = torch.randn(2, heads, 37, d);
            Tensor k = torch.randn(2, heads, 37, d);
            Tensor v = torch.randn(2, heads, 37, d);
            Tensor expected = torch.scaled_dot_product_attention(q, k, v, new TensorOptional(), 0.0, false,
                    new DoubleOptional(), false);
            double diff = attention.explicitAttention(q, k, v).sub(expected).abs().max().item_double();
            assertTrue(diff < 1e-5, "max difference " + diff);
        }
    }

    @Test
    void stackedQkvInInferenceEqualsThreeProducts() throws Exception {
        assumeTrue(OneDnnLinear.available(), "libtorch without oneDNN");
        MertConfig config = MertConfig.fromJson((com.fasterxml.jackson.databind.node.ObjectNode)
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                        Fixtures.ROOT.resolve("postln-group").resolve("config.json").toFile()));
        torch.manual_seed(8);
        SelfAttention attention = new SelfAttention(config);
        attention.eval();
        try (PointerScope scope = new PointerScope()) {
            randomiseBiases(attention);
            Tensor x = torch.randn(2, 29, config.hiddenSize());
            Tensor separate = attention.forward(x).detach(); // gradients recorded: three torch.linear products
            Tensor stacked;
            try (InferenceMode im = new InferenceMode()) {
                stacked = attention.forward(x);
            }
            double diff = stacked.sub(separate).abs().max().item_double();
            assertTrue(diff < 1e-5, "max difference " + diff);
            try (NoGradGuard g = new NoGradGuard()) {
                // what an optimizer step or a state-dict load does: the stacked weights must follow
                randomiseBiases(attention);
                StringTensorDict params = attention.named_parameters(true);
                for (long i = 0; i < params.size(); i++) {
                    if (params.get(i).key().getString().equals("k_proj.weight")) {
                        params.get(i).value().mul_(new Scalar(-0.5));
                    }
                }
            }
            Tensor separateAfter = attention.forward(x).detach();
            try (InferenceMode im = new InferenceMode()) {
                stacked = attention.forward(x);
            }
            diff = stacked.sub(separateAfter).abs().max().item_double();
            assertTrue(diff < 1e-5, "after the weights changed: max difference " + diff);
            assertTrue(separateAfter.sub(separate).abs().max().item_double() > 1e-3, "the change mattered");
        }
    }

    private static void randomiseBiases(SelfAttention attention) {
        StringTensorDict params = attention.named_parameters(true);
        try (NoGradGuard g = new NoGradGuard()) {
            for (long i = 0; i < params.size(); i++) {
                if (params.get(i).key().getString().endsWith(".bias")) {
                    params.get(i).value().normal_(0, 0.5, new GeneratorOptional());
                }
            }
        }
    }
}
