package org.mert4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mert4j.nn.Activation;

class MertConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode parse(String json) throws Exception {
        return (ObjectNode) JSON.readTree(json);
    }

    @Test
    void readsFixtureConfigAndToleratesUnknownKeys() {
        MertConfig c = MertConfig.fromJson(Fixtures.ROOT.resolve("postln-group/config.json"));
        assertEquals(32, c.transformer().hiddenSize());
        assertEquals(2, c.transformer().numLayers());
        assertEquals(ConvNorm.GROUP, c.convFront().norm());
        assertFalse(c.transformer().preNorm());
        assertEquals(24000, c.sampleRate());
        assertEquals(320, c.totalStride());
        assertEquals(400, c.receptiveField());
        assertEquals(75.0, c.frameRate());
        assertTrue(c.extra().has("vocab_size"), "unknown keys are kept for export");
    }

    @Test
    void framesFollowTheConvArithmetic() {
        MertConfig c = MertConfig.preset("v1-95m");
        assertEquals(374, c.framesFor(5 * 24000)); // a 5 s window at 24 kHz (docs/model.md, "Conv front")
        assertEquals(1, c.framesFor(400));
        assertEquals(0, c.framesFor(399));
        assertEquals((24000 * 30 - 400) / 320 + 1, c.framesFor(24000 * 30));
    }

    @Test
    void presetsHaveTheReleasedParameterCounts() {
        assertEquals(94_371_712L, count(MertConfig.preset("v1-95m")));
        assertEquals(315_428_992L, count(MertConfig.preset("v1-330m")));
        assertEquals(16000, MertConfig.preset("v0").sampleRate());
    }

    private static long count(MertConfig c) {
        MertEncoder e = new MertEncoder(c);
        try {
            return e.parameterCount();
        } finally {
            e.close();
        }
    }

    @Test
    void jsonRoundTripKeepsEveryField() throws Exception {
        MertConfig c = MertConfig.preset("v1-330m");
        MertConfig back = MertConfig.fromJson(c.toJson());
        assertEquals(c.toJson(), back.toJson());
        assertTrue(back.transformer().preNorm());
        assertEquals(32.0, back.transformer().attentionRelax());
    }

    @Test
    void configsAreValuesComparedByContent() {
        MertConfig a = MertConfig.fromJson(Fixtures.ROOT.resolve("postln-group/config.json"));
        MertConfig b = MertConfig.fromJson(Fixtures.ROOT.resolve("postln-group/config.json"));
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        ObjectNode json = a.toJson();
        json.putArray("conv_stride").add(5).add(2).add(2).add(2).add(2).add(2).add(3);
        assertNotEquals(a, MertConfig.fromJson(json), "a list that differs in one entry");
        assertThrows(UnsupportedOperationException.class, () -> a.convFront().dims().set(0, 1));
        a.extra().put("vocab_size", 1);
        assertEquals(b.extra(), a.extra(), "extra() hands out a copy");
    }

    @Test
    void refusesUnsupportedMathsNamingTheKey() throws Exception {
        assertMessage("{\"feature_extractor_cqt\": true, \"feature_extractor_cqt_bins\": 80}", "feature_extractor_cqt_bins");
        assertMessage("{\"conv_pos_batch_norm\": true}", "conv_pos_batch_norm");
        assertMessage("{\"feat_extract_norm\": \"batch\"}", "feat_extract_norm");
        assertMessage("{\"hidden_act\": \"tanh\"}", "hidden_act");
        assertMessage("{\"hidden_size\": 770}", "num_attention_heads");
        assertMessage("{\"hidden_size\": \"768\"}", "hidden_size");
        assertMessage("{\"conv_dim\": [512, 512], \"conv_kernel\": [10, 3, 3]}", "conv_kernel");
        assertMessage("{\"num_feat_extract_layers\": 5}", "num_feat_extract_layers");
        assertMessage("{\"num_hidden_layers\": 100000}", "num_hidden_layers");
        assertMessage("{\"do_stable_layer_norm\": true, \"deepnorm\": true}", "deepnorm");
    }

    @Test
    void everyAcceptedNameIsReadOnceAndWrittenBackAsItWas() throws Exception {
        for (String act : List.of("gelu", "gelu_new", "gelu_pytorch_tanh", "relu", "silu", "swish")) {
            MertConfig c = MertConfig.fromJson(parse("{\"hidden_act\": \"" + act + "\", \"feat_extract_activation\": \""
                    + act + "\"}"));
            assertEquals(act, c.toJson().get("hidden_act").asText());
            assertEquals(act, c.toJson().get("feat_extract_activation").asText());
        }
        assertEquals(Activation.GELU_NEW, MertConfig.fromJson(parse("{\"hidden_act\": \"gelu_new\"}")).transformer().activation());
        for (String norm : List.of("group", "layer")) {
            MertConfig c = MertConfig.fromJson(parse("{\"feat_extract_norm\": \"" + norm + "\"}"));
            assertEquals(norm, c.toJson().get("feat_extract_norm").asText());
        }
        assertEquals(ConvNorm.LAYER, MertConfig.fromJson(parse("{\"feat_extract_norm\": \"layer\"}")).convFront().norm());
        ConfigException e = assertThrows(ConfigException.class,
                () -> MertConfig.fromJson(parse("{\"feat_extract_norm\": \"batch\"}")));
        assertEquals("feat_extract_norm 'batch' is not accepted; accepted: group, layer", e.getMessage());
        e = assertThrows(ConfigException.class, () -> MertConfig.fromJson(parse("{\"hidden_act\": \"tanh\"}")));
        assertTrue(e.getMessage().contains("'tanh'") && e.getMessage().contains("gelu_pytorch_tanh"), e.getMessage());
    }

    private static void assertMessage(String json, String key) throws Exception {
        ConfigException e = assertThrows(ConfigException.class, () -> MertConfig.fromJson(parse(json)));
        assertTrue(e.getMessage().contains(key), "message should name " + key + ": " + e.getMessage());
    }

    @Test
    void fileErrorsNameTheFile(@TempDir Path tmp) throws Exception {
        Path bad = tmp.resolve("config.json");
        Files.writeString(bad, "{ not json");
        ConfigException e = assertThrows(ConfigException.class, () -> MertConfig.fromJson(bad));
        assertTrue(e.getMessage().contains(bad.toString()));
        Files.writeString(bad, "[1, 2]");
        assertThrows(ConfigException.class, () -> MertConfig.fromJson(bad));
    }
}
