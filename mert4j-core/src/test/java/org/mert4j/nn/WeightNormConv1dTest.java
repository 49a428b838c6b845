package org.mert4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.mert4j.tensor.Tensors;

/** The effective weight g * v / ||v||, differentiable in g and v. */
class WeightNormConv1dTest {

    @Test
    void weightIsGTimesVOverItsNorm() {
        torch.manual_seed(3);
        WeightNormConv1d conv = new WeightNormConv1d(8, 5, 2, 2, 2);
        try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            conv.weightG.mul_(new Scalar(1.5));
            float[] v = Tensors.toFloats(conv.weightV);
            float[] gain = Tensors.toFloats(conv.weightG); // [1, 1, 5]: one gain per kernel position
            float[] w = Tensors.toFloats(conv.weight());
            int rows = 8 * 4; // out x in/groups, then the kernel dimension (normDim 2)
            for (int k = 0; k < 5; k++) {
                double norm = 0;
                for (int r = 0; r < rows; r++) {
                    norm += (double) v[r * 5 + k] * v[r * 5 + k];
                }
                norm = Math.sqrt(norm);
                for (int r = 0; r < rows; r++) {
                    assertEquals(gain[k] * v[r * 5 + k] / norm, w[r * 5 + k], 1e-6, "weight " + r + ", " + k);
                }
            }
        }
    }

    @Test
    void withGradientsTheWeightStaysDifferentiable() {
        torch.manual_seed(5);
        WeightNormConv1d conv = new WeightNormConv1d(8, 5, 2, 2, 2);
        try (PointerScope scope = new PointerScope()) {
            conv.forward(torch.randn(1, 8, 20)).sum().backward();
            assertTrue(conv.weightV.grad().defined() && conv.weightG.grad().defined(), "gradients reach g and v");
        }
    }
}
