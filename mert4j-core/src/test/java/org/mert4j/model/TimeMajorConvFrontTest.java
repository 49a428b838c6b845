package org.mert4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.InferenceMode;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mert4j.tensor.Tensors;

/**
 * The CPU inference plan runs the conv front time-major (GroupNorm folded into the first layer, oneDNN
 * convolutions over time-major frames, a batch one clip at a time); it must equal the plain module's
 * channel-major convolutions, which training and GPUs run. Conv biases and norm affines are randomised
 * so that the folding's bias and scale terms matter, and two clips of different loudness and offset
 * share a batch (GroupNorm statistics are per clip). Tolerance 1e-4 relative to the largest
 * activation: fp32 sums in another order.
 */
class TimeMajorConvFrontTest {
    @ParameterizedTest(name = "{0}, conv bias {1}")
    @CsvSource({"postln-group, false", "postln-group, true", "preln-layer, true"})
    void equalsChannelMajor(String fixture, boolean convBias) {
        MertEncoder encoder = RandomEncoders.of(fixture, convBias, 11);
        try (CpuEncoder plan = new CpuEncoder(encoder, CpuInferenceOptions.DEFAULT);
             PointerScope scope = new PointerScope()) {
            // different loudness and DC offset per clip: the folded statistics must be per clip
            Tensor wave = torch.randn(2, 200_000).mul(torch.tensor(new float[] {0.05f, 0.8f}).unsqueeze(1))
                    .add(torch.tensor(new float[] {0.2f, -0.5f}).unsqueeze(1));
            float[] timeMajor;
            float[] channelMajor;
            long[] shape;
            try (InferenceMode guard = new InferenceMode()) {
                Tensor a = plan.convFeatures(wave);
                shape = a.sizes().vec().get();
                timeMajor = Tensors.toFloats(a);
                channelMajor = Tensors.toFloats(encoder.featureExtractor().forward(wave));
            }
            double max = 0;
            double diff = 0;
            for (int i = 0; i < channelMajor.length; i++) {
                max = Math.max(max, Math.abs(channelMajor[i]));
                diff = Math.max(diff, Math.abs(channelMajor[i] - timeMajor[i]));
            }
            assertTrue(shape[1] > 0 && channelMajor.length == timeMajor.length, "shapes agree");
            assertTrue(diff <= 1e-4 * Math.max(1, max), fixture + ": max difference " + diff + " (largest " + max + ")");
            assertArrayEquals(new long[] {2, shape[1], encoder.config().convFront().outputDim()}, shape);
        } finally {
            encoder.close();
        }
    }
}
