package org.mert4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.mert4j.tensor.Tensors;

/** The CPU dropout mask: right keep rate, right scale, gradient through the same mask, seeded. */
class DropoutTest {
    @Test
    void keepsOneMinusPScaledAndPassesTheGradientThroughTheSameMask() {
        try (PointerScope scope = new PointerScope()) {
            double p = 0.1;
            int n = 1_000_000;
            torch.manual_seed(5);
            Tensor x = torch.ones(n).mul(new Scalar(2.0)).requires_grad_(true);
            Tensor y = Dropout.apply(x, p, true);
            y.sum().backward();
            float[] out = Tensors.toFloats(y.detach());
            float[] grad = Tensors.toFloats(x.grad());
            float scaled = (float) (2.0 / (1 - p));
            long kept = 0;
            for (int i = 0; i < n; i++) {
                if (out[i] != 0) {
                    kept++;
                    assertEquals(scaled, out[i], 1e-6f, "kept values are scaled by 1 / (1 - p)");
                }
                assertEquals(out[i] / 2f, grad[i], 1e-6f, "gradient = mask / (1 - p)");
            }
            // binomial standard deviation sqrt(p (1 - p) / n) = 3e-4: 0.002 is over 6 of them
            assertEquals(1 - p, kept / (double) n, 0.002);
        }
    }

    @Test
    void sameSeedSameMaskAndIdentityOutsideTraining() {
        try (PointerScope scope = new PointerScope()) {
            Tensor x = torch.randn(64, 64);
            torch.manual_seed(9);
            float[] a = Tensors.toFloats(Dropout.apply(x, 0.3, true));
            torch.manual_seed(9);
            float[] b = Tensors.toFloats(Dropout.apply(x, 0.3, true));
            assertTrue(java.util.Arrays.equals(a, b));
            assertTrue(Dropout.apply(x, 0.3, false).equal(x));
            assertTrue(Dropout.apply(x, 0.0, true).equal(x));
            assertTrue(Dropout.apply(x, 1.0, true).eq(new Scalar(0)).all().item_bool(), "p = 1 drops everything");
        }
    }
}
