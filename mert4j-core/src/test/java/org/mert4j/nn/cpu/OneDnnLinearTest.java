package org.mert4j.nn.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.InferenceMode;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.mert4j.nn.Activation;
import org.mert4j.nn.Linear;
import org.mert4j.tensor.Tensors;

/**
 * Linears on oneDNN against the plain Linear (torch.linear): one product, GELU fused as it is
 * written, and several Linears stacked into one product. The same products summed in another order:
 * fp32 rounding over 768 terms, about 1e-6 here.
 */
class OneDnnLinearTest {

    @Test
    void oneDnnProductEqualsPlainLinear() {
        assumeTrue(OneDnnLinear.available(), "libtorch without oneDNN");
        Linear lin = biased(768, 3072, 5);
        try (InferenceLinear fast = InferenceLinear.of(lin, InferenceLinear.Kernel.ONEDNN);
             PointerScope scope = new PointerScope(); InferenceMode im = new InferenceMode()) {
            Tensor x = torch.randn(2, 187, 768);
            for (long rows : new long[] {374, 7, 1}) {
                Tensor xs = x.reshape(-1, 768).narrow(0, 0, rows);
                assertEquals(0.0, maxAbsDiff(fast.forward(xs), lin.forward(xs)), 1e-4, rows + " rows");
            }
            assertEquals(0.0, maxAbsDiff(fast.forward(x, Activation.GELU), torch.gelu(lin.forward(x))), 1e-4,
                    "GELU fused into the product");
        }
    }

    @Test
    void stackedLinearsEqualTheirProductsSideBySide() {
        assumeTrue(OneDnnLinear.available(), "libtorch without oneDNN");
        Linear a = biased(64, 64, 6);
        Linear b = biased(64, 64, 7);
        Linear c = biased(64, 64, 8);
        try (InferenceLinear stacked = InferenceLinear.stacked(InferenceLinear.Kernel.ONEDNN, a, b, c);
             PointerScope scope = new PointerScope(); InferenceMode im = new InferenceMode()) {
            Tensor x = torch.randn(3, 10, 64);
            Tensor want = torch.cat(new TensorVector(a.forward(x), b.forward(x), c.forward(x)), -1);
            assertEquals(0.0, maxAbsDiff(stacked.forward(x), want), 1e-5);
        }
    }

    private static Linear biased(int in, int out, long seed) {
        torch.manual_seed(seed);
        Linear lin = new Linear(in, out, true);
        try (NoGradGuard g = new NoGradGuard()) {
            lin.bias.normal_(0, 0.1, new GeneratorOptional());
        }
        return lin;
    }

    private static double maxAbsDiff(Tensor a, Tensor b) {
        float[] x = Tensors.toFloats(a);
        float[] y = Tensors.toFloats(b);
        assertEquals(x.length, y.length);
        double m = 0;
        for (int i = 0; i < x.length; i++) {
            m = Math.max(m, Math.abs(x[i] - y[i]));
        }
        return m;
    }
}
