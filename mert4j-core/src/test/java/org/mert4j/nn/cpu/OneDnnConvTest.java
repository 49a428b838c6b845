package org.mert4j.nn.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.InferenceMode;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mert4j.tensor.Tensors;

/**
 * The time-major oneDNN convolution must equal torch.conv1d on the channel-major transpose, for the
 * shapes MERT uses: the conv front's strided layers (kernel 3 or 2, stride 2) and the positional conv
 * (kernel 128, padding 64, 16 groups, with bias), with and without GELU, one clip or several.
 */
class OneDnnConvTest {

    @ParameterizedTest(name = "batch {0}, {1} frames x {2}, kernel {3}, stride {4}, padding {5}, groups {6}, gelu {7}")
    @CsvSource({
        "1, 2399, 64, 3, 2, 0, 1, true",
        "3, 1200, 64, 2, 2, 0, 1, true",
        "2, 101, 96, 3, 2, 0, 1, false",
        "2, 75, 96, 16, 1, 8, 4, true",
        "1, 374, 768, 128, 1, 64, 16, true"})
    void equalsTorchConv1d(int batch, int frames, int channels, int kernel, int stride, int padding, int groups,
                           boolean gelu) {
        assumeTrue(OneDnnConv.available(), "libtorch without oneDNN");
        torch.manual_seed(kernel + frames);
        try (PointerScope scope = new PointerScope(); InferenceMode im = new InferenceMode()) {
            Tensor x = torch.randn(batch, frames, channels);
            Tensor w = torch.randn(channels, channels / groups, kernel).mul(new Scalar(1.0 / Math.sqrt(channels * kernel)));
            Tensor b = torch.randn(channels).mul(new Scalar(0.1));
            Tensor want = torch.conv1d(x.transpose(1, 2), w, new TensorOptional(b), new long[] {stride},
                    new long[] {padding}, new long[] {1}, groups).transpose(1, 2);
            if (gelu) {
                want = torch.gelu(want);
            }
            Tensor got = OneDnnConv.timeMajor(x, w, b, stride, padding, groups, gelu);
            assertArrayEquals(want.sizes().vec().get(), got.sizes().vec().get(), "shape");
            assertTrue(got.is_contiguous(), "time-major output is contiguous");
            // the same products summed in another order: fp32 rounding, ~1e-6 at these sizes
            assertEquals(0.0, maxAbsDiff(Tensors.toFloats(got), Tensors.toFloats(want.contiguous())), 1e-4);
        }
    }

    @Test
    void mismatchedShapesAreErrorsNotCrashes() {
        assumeTrue(OneDnnConv.available(), "libtorch without oneDNN");
        try (PointerScope scope = new PointerScope()) {
            Tensor x = torch.randn(1, 50, 32);
            Tensor w = torch.randn(16, 8, 3);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> OneDnnConv.timeMajor(x, w, null, 2, 0, 1, false));
            assertTrue(e.getMessage().contains("[1, 50, 32] do not match weight [16, 8, 3]"), e.getMessage());
            Tensor shortInput = torch.randn(1, 2, 8);
            Tensor kernel3 = torch.randn(16, 8, 3);
            e = assertThrows(IllegalArgumentException.class,
                    () -> OneDnnConv.timeMajor(shortInput, kernel3, null, 2, 0, 1, false));
            assertTrue(e.getMessage().contains("shorter than the kernel"), e.getMessage());
        }
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
