package org.mert4j.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

/**
 * CPU training with attention dropout spells the attention out (softmax, dropout, product) instead of
 * calling scaled_dot_product_attention; without the dropout the two must agree (fp32, 1e-5).
 */
class SelfAttentionTest {
    @Test
    void explicitAttentionEqualsScaledDotProductAttention() {
        MertConfig config = MertConfig.fromJson(Fixtures.ROOT.resolve("postln-group").resolve("config.json"));
        try (PointerScope scope = new PointerScope()) {
            SelfAttention attention = new SelfAttention(config);
            long heads = config.transformer().numHeads();
            long d = config.transformer().hiddenSize() / heads;
            torch.manual_seed(4);
            Tensor q = torch.randn(2, heads, 37, d);
            Tensor k = torch.randn(2, heads, 37, d);
            Tensor v = torch.randn(2, heads, 37, d);
            Tensor expected = torch.scaled_dot_product_attention(q, k, v, new TensorOptional(), 0.0, false,
                    new DoubleOptional(), false);
            // not training: dropout off, the formulas alone are compared
            double diff = attention.explicitAttention(q, k, v, false).sub(expected).abs().max().item_double();
            assertTrue(diff < 1e-5, "max difference " + diff);
        }
    }
}
