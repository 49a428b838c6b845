package org.mert4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.InferenceMode;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.mert4j.tensor.Tensors;

class OneDnnLinearTest {

    @Test
    void inferenceThroughOneDnnMatchesTorchLinear() {
        assumeTrue(OneDnnLinear.available(), "libtorch without oneDNN");
        torch.manual_seed(5);
        Linear lin = new Linear(768, 3072, true);
        lin.eval();
        try (PointerScope scope = new PointerScope()) {
            lin.bias.detach().normal_(0, 0.1, new org.bytedeco.pytorch.GeneratorOptional());
            Tensor x = torch.randn(2, 187, 768);
            Tensor expected = torch.linear(x, lin.weight.detach(), new TensorOptional(lin.bias.detach()));
            for (long rows : new long[] {374, 7, 1}) {
                Tensor xs = x.reshape(-1, 768).narrow(0, 0, rows);
                float[] got;
                try (InferenceMode im = new InferenceMode()) {
                    got = Tensors.toFloats(lin.forward(xs));
                }
                float[] want = Tensors.toFloats(expected.reshape(-1, 3072).narrow(0, 0, rows));
                // same products summed in another order: fp32 rounding over 768 terms, ~1e-6 here
                assertEquals(0.0, maxAbsDiff(got, want), 1e-4, rows + " rows");
            }
        }
    }

    @Test
    void aWeightChangedInPlaceIsSeen() {
        assumeTrue(OneDnnLinear.available(), "libtorch without oneDNN");
        torch.manual_seed(6);
        Linear lin = new Linear(64, 32, false);
        lin.eval();
        try (PointerScope scope = new PointerScope()) {
            Tensor x = torch.randn(10, 64);
            float[] before;
            try (InferenceMode im = new InferenceMode()) {
                before = Tensors.toFloats(lin.forward(x));
            }
            try (NoGradGuard g = new NoGradGuard()) {
                lin.weight.mul_(new Scalar(2.0)); // what an optimizer step or a state-dict copy does
            }
            float[] after;
            try (InferenceMode im = new InferenceMode()) {
                after = Tensors.toFloats(lin.forward(x));
            }
            for (int i = 0; i < before.length; i++) {
                assertEquals(2 * before[i], after[i], 1e-4 + 1e-5 * Math.abs(after[i]), "output " + i);
            }
        }
    }

    @Test
    void trainingAndGradientRecordingKeepTorchLinear() {
        torch.manual_seed(7);
        Linear lin = new Linear(16, 8, true);
        try (PointerScope scope = new PointerScope()) {
            Tensor x = torch.randn(4, 16);
            lin.eval();
            Tensor y = lin.forward(x); // eval, gradients on: must stay differentiable
            y.sum().backward();
            assertTrue(lin.weight.grad().defined(), "gradient reached the weight");
        }
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
