package org.mert4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.InferenceMode;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mert4j.tensor.Tensors;

/**
 * The CPU inference plan against the plain encoder it is built from (same weights, biases and norm
 * affines random): every hidden state of a batch of two clips of different loudness. fp32 paths agree
 * within 1e-4 of the largest activation (the same maths, summed in other orders; measured about 1e-6);
 * int8 follows fp32 closely without equalling it.
 */
class CpuEncoderTest {
    @ParameterizedTest(name = "{0}: oneDNN {1}, time-major conv {2}")
    @CsvSource({
        "postln-group, true, true",
        "postln-group, true, false",
        "postln-group, false, true",
        "preln-layer, true, true",
        "preln-layer, false, false"})
    void fp32PlanEqualsThePlainEncoder(String fixture, boolean oneDnn, boolean timeMajorConv) {
        assertPlanEqualsPlain(RandomEncoders.of(fixture, true, 21), new CpuInferenceOptions(oneDnn, timeMajorConv, false),
                fixture);
    }

    /** Every hidden state of the fp32 plan within 1e-4 of the largest activation of the plain encoder's. */
    private static void assertPlanEqualsPlain(MertEncoder encoder, CpuInferenceOptions options, String what) {
        try (CpuEncoder plan = new CpuEncoder(encoder, options);
             PointerScope scope = new PointerScope(); InferenceMode guard = new InferenceMode()) {
            Tensor wave = twoClips();
            List<Tensor> want = encoder.forward(wave);
            List<Tensor> got = plan.forward(wave);
            assertEquals(want.size(), got.size(), "L+1 hidden states");
            for (int l = 0; l < want.size(); l++) {
                float[] a = Tensors.toFloats(want.get(l));
                float[] b = Tensors.toFloats(got.get(l));
                assertEquals(a.length, b.length, what + ", state " + l);
                double largest = 0;
                double diff = 0;
                for (int i = 0; i < a.length; i++) {
                    largest = Math.max(largest, Math.abs(a[i]));
                    diff = Math.max(diff, Math.abs(a[i] - b[i]));
                }
                assertTrue(diff <= 1e-4 * Math.max(1, largest),
                        what + ", state " + l + ": max difference " + diff + " (largest " + largest + ")");
            }
        } finally {
            encoder.close();
        }
    }

    /**
     * The plan runs the plain encoder's forward structure on kernels it builds from the weights, so every setting
     * the config accepts that changes the forward pass is varied here, one at a time from both fixtures: a
     * setting a kernel or the plan's choice of kernels gets wrong fails.
     */
    @ParameterizedTest(name = "{0}: {1} = {2}")
    @CsvSource({
        "postln-group, hidden_act, gelu_new", "postln-group, hidden_act, relu", "postln-group, hidden_act, silu",
        "preln-layer, hidden_act, gelu_pytorch_tanh", "preln-layer, hidden_act, swish",
        "postln-group, feat_extract_activation, relu", "preln-layer, feat_extract_activation, silu",
        "postln-group, feat_extract_norm, layer", "preln-layer, feat_extract_norm, group",
        "postln-group, do_stable_layer_norm, true", "preln-layer, do_stable_layer_norm, false",
        "postln-group, conv_bias, true", "preln-layer, conv_bias, true",
        "postln-group, num_conv_pos_embeddings, 15", "preln-layer, num_conv_pos_embeddings, 8",
        "postln-group, num_conv_pos_embedding_groups, 1", "preln-layer, num_conv_pos_embedding_groups, 8",
        "postln-group, feat_proj_layer_norm, false", "preln-layer, feat_proj_layer_norm, false",
        "postln-group, layer_norm_eps, 1e-3", "preln-layer, num_attention_heads, 2",
        "postln-group, feature_extractor_cqt, true", "preln-layer, feature_extractor_cqt, true"})
    void planEqualsThePlainEncoderForEverySetting(String fixture, String key, String value) {
        com.fasterxml.jackson.databind.node.ObjectNode json = RandomEncoders.config(fixture);
        com.fasterxml.jackson.databind.JsonNode old = json.get(key);
        if (old != null && old.isBoolean()) {
            json.put(key, Boolean.parseBoolean(value));
        } else if (old != null && old.isNumber() && !value.contains(".") && !value.contains("e")) {
            json.put(key, Integer.parseInt(value));
        } else if (old != null && old.isNumber()) {
            json.put(key, Double.parseDouble(value));
        } else {
            json.put(key, value);
        }
        if (key.equals("feature_extractor_cqt")) {
            json.put("feature_extractor_cqt_bins", 84); // 7 octaves of 12
        }
        assertPlanEqualsPlain(RandomEncoders.of(json, 31), CpuInferenceOptions.DEFAULT, fixture + " with " + key + " = "
                + value);
    }

    @Test
    void int8PlanFollowsThePlainEncoder() {
        MertEncoder encoder = RandomEncoders.of("postln-group", true, 22);
        try (CpuEncoder plan = new CpuEncoder(encoder, CpuInferenceOptions.DEFAULT.withInt8(true));
             PointerScope scope = new PointerScope(); InferenceMode guard = new InferenceMode()) {
            Tensor wave = twoClips();
            List<Tensor> want = encoder.forward(wave);
            List<Tensor> got = plan.forward(wave);
            for (int l = 0; l < want.size(); l++) {
                // per frame, then the worst frame: 8-bit weights and activations, measured above 0.999
                double worst = torch.cosine_similarity(want.get(l), got.get(l), 2, 1e-8).min().item_double();
                assertTrue(worst > 0.99, "state " + l + ": worst frame cosine " + worst);
                assertTrue(want.get(l).sub(got.get(l)).abs().max().item_double() > 0,
                        "state " + l + " is bit-identical: int8 did not run");
            }
        } finally {
            encoder.close();
        }
    }

    /**
     * The plan keeps what it derives past the caller's PointerScope (retained, not left to the scope or
     * the collector) until it is closed.
     */
    @Test
    void planBuiltInsideAScopeOutlivesIt() {
        MertEncoder encoder = RandomEncoders.of("postln-group", true, 23);
        CpuEncoder plan;
        try (PointerScope scope = new PointerScope()) {
            plan = new CpuEncoder(encoder, CpuInferenceOptions.DEFAULT.withInt8(true));
        }
        System.gc();
        try (CpuEncoder p = plan; PointerScope scope = new PointerScope(); InferenceMode guard = new InferenceMode()) {
            Tensor wave = twoClips();
            Tensor last = p.forward(wave).get(2);
            double worst = torch.cosine_similarity(encoder.forward(wave).get(2), last, 2, 1e-8).min().item_double();
            assertTrue(worst > 0.99, "last hidden state: worst frame cosine " + worst);
        } finally {
            encoder.close();
        }
    }

    /** Two clips of 1 s at 24 kHz, different in loudness and offset (GroupNorm statistics are per clip). */
    private static Tensor twoClips() {
        torch.manual_seed(5);
        return torch.randn(2, 24_000).mul(torch.tensor(new float[] {0.05f, 0.8f}).unsqueeze(1))
                .add(torch.tensor(new float[] {0.2f, -0.5f}).unsqueeze(1));
    }
}
