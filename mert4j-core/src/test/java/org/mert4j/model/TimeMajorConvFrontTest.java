package org.mert4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.InferenceMode;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mert4j.tensor.Tensors;

/**
 * CPU inference runs the conv front time-major (GroupNorm folded into the first layer, oneDNN
 * convolutions over time-major frames, a batch one clip at a time); it must equal the channel-major
 * convolutions that training and GPUs run. Conv biases and norm affines are randomised so that the
 * folding's bias and scale terms matter, and two clips of different loudness and offset share a batch
 * (GroupNorm statistics are per clip). Tolerance 1e-4 relative to the largest activation: fp32 sums
 * in another order.
 */
class TimeMajorConvFrontTest {
    @ParameterizedTest(name = "{0}, conv bias {1}")
    @CsvSource({"postln-group, false", "postln-group, true", "preln-layer, true"})
    void equalsChannelMajor(String fixture, boolean convBias) throws Exception {
        ObjectNode json = (ObjectNode) new ObjectMapper().readTree(Fixtures.ROOT.resolve(fixture).resolve("config.json").toFile());
        json.put("conv_bias", convBias);
        MertConfig config = MertConfig.fromJson(json);
        torch.manual_seed(11);
        try (MertModel model = MertModel.random(config, 5, "cpu");
             PointerScope scope = new PointerScope()) {
            randomiseBiasesAndNorms(model);
            ConvFeatureEncoder front = model.encoder().featureExtractor();
            // different loudness and DC offset per clip: the folded statistics must be per clip
            Tensor wave = torch.randn(2, 200_000).mul(torch.tensor(new float[] {0.05f, 0.8f}).unsqueeze(1))
                    .add(torch.tensor(new float[] {0.2f, -0.5f}).unsqueeze(1));
            float[] timeMajor;
            float[] channelMajor;
            long[] shape;
            try (InferenceMode guard = new InferenceMode()) {
                Tensor a = front.forward(wave);
                shape = a.sizes().vec().get();
                timeMajor = Tensors.toFloats(a);
                System.setProperty(ConvFeatureEncoder.TIME_MAJOR_PROPERTY, "false");
                try {
                    channelMajor = Tensors.toFloats(front.forward(wave));
                } finally {
                    System.clearProperty(ConvFeatureEncoder.TIME_MAJOR_PROPERTY);
                }
            }
            double max = 0;
            double diff = 0;
            for (int i = 0; i < channelMajor.length; i++) {
                max = Math.max(max, Math.abs(channelMajor[i]));
                diff = Math.max(diff, Math.abs(channelMajor[i] - timeMajor[i]));
            }
            assertTrue(shape[1] > 0 && channelMajor.length == timeMajor.length, "shapes agree");
            assertTrue(diff <= 1e-4 * Math.max(1, max), fixture + ": max difference " + diff + " (largest " + max + ")");
            assertArrayEquals(new long[] {2, shape[1], config.convDim()[config.convDim().length - 1]}, shape);
        }
    }

    private static void randomiseBiasesAndNorms(MertModel model) {
        StringTensorDict params = model.encoder().featureExtractor().named_parameters(true);
        try (NoGradGuard guard = new NoGradGuard()) {
            for (long i = 0; i < params.size(); i++) {
                String name = params.get(i).key().getString();
                Tensor p = params.get(i).value();
                if (name.endsWith("conv.bias") || name.endsWith("layer_norm.bias")) {
                    p.copy_(torch.randn(p.sizes()).mul(new Scalar(0.3)));
                } else if (name.endsWith("layer_norm.weight")) {
                    p.copy_(torch.rand(p.sizes()).add(new Scalar(0.5)));
                }
            }
        }
    }
}
