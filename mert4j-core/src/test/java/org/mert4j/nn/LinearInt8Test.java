package org.mert4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.mert4j.tensor.Tensors;

class LinearInt8Test {

    @Test
    void int8WeightsStayCloseToFp32InEvalAndAreUnusedInTraining() {
        torch.manual_seed(3);
        Linear lin = new Linear(768, 3072, true);
        lin.bias.detach().normal_(0, 0.1, new GeneratorOptional());
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            Tensor x = torch.randn(2, 50, 768);
            lin.eval();
            float[] fp32 = Tensors.toFloats(torch.linear(x, lin.weight, new TensorOptional(lin.bias)));
            lin.quantizeDynamicInt8();
            System.gc(); // the quantised handles must not depend on temporaries the collector may free
            assertTrue(lin.isQuantized());
            float[] int8 = Tensors.toFloats(lin.forward(x));
            // 8-bit weights and activations: relative L2 error about 1.5 % on Gaussian data; 5 % bound
            assertEquals(fp32.length, int8.length);
            double err = relativeError(int8, fp32);
            assertTrue(err < 0.05 && err > 0, "relative error " + err + " (0 would mean the int8 path was not used)");
            lin.train(true);
            float[] training = Tensors.toFloats(lin.forward(x));
            assertEquals(0.0, relativeError(training, fp32), 1e-7, "training must use the fp32 weight");
        }
    }

    private static double relativeError(float[] a, float[] b) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < a.length; i++) {
            num += (a[i] - b[i]) * (double) (a[i] - b[i]);
            den += b[i] * (double) b[i];
        }
        return Math.sqrt(num / den);
    }
}
