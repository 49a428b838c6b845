package org.mert4j.nn.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.InferenceMode;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.mert4j.nn.Linear;
import org.mert4j.tensor.Tensors;

class Int8LinearTest {

    @Test
    void int8ProductStaysCloseToFp32() {
        torch.manual_seed(3);
        Linear lin = new Linear(768, 3072, true);
        try (NoGradGuard g = new NoGradGuard()) {
            lin.bias.normal_(0, 0.1, new GeneratorOptional());
        }
        Int8Linear int8;
        try (PointerScope scope = new PointerScope()) {
            int8 = new Int8Linear(lin.weight, lin.bias);
        }
        // built inside a scope that has closed: what it keeps must have outlived the scope
        System.gc();
        try (Int8Linear q = int8; PointerScope scope = new PointerScope(); InferenceMode im = new InferenceMode()) {
            Tensor x = torch.randn(2, 50, 768);
            float[] fp32 = Tensors.toFloats(torch.linear(x, lin.weight, new TensorOptional(lin.bias)));
            float[] got = Tensors.toFloats(q.forward(x));
            // 8-bit weights and activations: relative L2 error about 1.5 % on Gaussian data; 5 % bound
            assertEquals(fp32.length, got.length);
            double err = relativeError(got, fp32);
            assertTrue(err < 0.05 && err > 0, "relative error " + err + " (0 would mean the int8 path was not used)");
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
