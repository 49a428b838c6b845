package org.mert4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mert4j.io.CheckpointException;
import org.mert4j.io.SafetensorsReader;
import org.mert4j.io.SafetensorsWriter;
import org.mert4j.io.StateDict;
import org.mert4j.tensor.FloatArray;

class WeightLoaderTest {
    static final Path POSTLN = Fixtures.ROOT.resolve("postln-group");
    static final String G = "encoder.pos_conv_embed.conv.weight_g";
    static final String V = "encoder.pos_conv_embed.conv.weight_v";

    /** The fixture's state dict with old-style names, edited by {@code edit}, written as a model folder. */
    static Path folderWith(Path tmp, java.util.function.Consumer<Map<String, Tensor>> edit) throws Exception {
        Files.copy(POSTLN.resolve("config.json"), tmp.resolve("config.json"));
        try (StateDict sd = SafetensorsReader.read(POSTLN.resolve("model.safetensors"))) {
            Map<String, Tensor> m = new LinkedHashMap<>(WeightLoader.canonical(sd.asMap()));
            edit.accept(m);
            SafetensorsWriter.write(tmp.resolve("model.safetensors"), m, Map.of());
        }
        return tmp;
    }

    static FloatArray run(Path dir) {
        FloatArray input = Fixtures.npy(POSTLN.resolve("input.npy"));
        try (MertModel m = MertModel.load(dir)) {
            return m.hiddenStates(input.data(), 24000);
        }
    }

    @Test
    void alreadyFusedPositionalWeightGivesTheSameModel(@TempDir Path tmp) throws Exception {
        Path dir = folderWith(tmp, m -> {
            Tensor g = m.remove(G);
            Tensor v = m.remove(V);
            m.put("encoder.pos_conv_embed.conv.weight", v.mul(g.div(torch.norm_except_dim(v, 2, 2))));
        });
        FloatArray expected = Fixtures.npy(POSTLN.resolve("hidden_states.npy"));
        assertTrue(Fixtures.maxAbsDiff(expected.data(), run(dir).data()) < 1e-4);
    }

    @Test
    void missingTensorIsNamed(@TempDir Path tmp) throws Exception {
        Path dir = folderWith(tmp, m -> m.remove("encoder.layers.1.attention.q_proj.bias"));
        CheckpointException e = assertThrows(CheckpointException.class, () -> MertModel.load(dir));
        assertTrue(e.getMessage().contains("missing tensor 'encoder.layers.1.attention.q_proj.bias'"), e.getMessage());
        assertTrue(e.getMessage().contains("[32]"), e.getMessage());
    }

    @Test
    void misShapedTensorNamesBothShapes(@TempDir Path tmp) throws Exception {
        Path dir = folderWith(tmp, m -> m.put("encoder.layer_norm.weight", torch.ones(33)));
        CheckpointException e = assertThrows(CheckpointException.class, () -> MertModel.load(dir));
        assertTrue(e.getMessage().contains("'encoder.layer_norm.weight' has shape [33], the config needs [32]"),
                e.getMessage());
    }

    @Test
    void unexpectedTensorIsNamed(@TempDir Path tmp) throws Exception {
        Path dir = folderWith(tmp, m -> m.put("encoder.layers.2.final_layer_norm.weight", torch.ones(32)));
        CheckpointException e = assertThrows(CheckpointException.class, () -> MertModel.load(dir));
        assertTrue(e.getMessage().contains("unexpected tensor 'encoder.layers.2.final_layer_norm.weight'"),
                e.getMessage());
    }

    @Test
    void hubertPrefixOfTaskModelsIsStripped(@TempDir Path tmp) throws Exception {
        Path dir = folderWith(tmp, m -> {
            Map<String, Tensor> prefixed = new LinkedHashMap<>();
            m.forEach((k, v) -> prefixed.put("hubert." + k, v));
            m.clear();
            m.putAll(prefixed);
        });
        FloatArray expected = Fixtures.npy(POSTLN.resolve("hidden_states.npy"));
        assertTrue(Fixtures.maxAbsDiff(expected.data(), run(dir).data()) < 1e-4);
    }

    @Test
    void savedFolderLoadsBackIdentically(@TempDir Path tmp) {
        FloatArray input = Fixtures.npy(POSTLN.resolve("input.npy"));
        FloatArray before;
        try (MertModel m = MertModel.load(POSTLN)) {
            before = m.hiddenStates(input.data(), 24000);
            m.save(tmp);
        }
        assertTrue(Files.exists(tmp.resolve("config.json")) && Files.exists(tmp.resolve("preprocessor_config.json")));
        Map<String, org.mert4j.io.TensorSpec> header = SafetensorsReader.header(tmp.resolve("model.safetensors"));
        assertTrue(header.containsKey(G) && header.containsKey(V), "released weight-norm names");
        FloatArray after = run(tmp);
        assertEquals(0.0, Fixtures.maxAbsDiff(before.data(), after.data()));
    }

    @Test
    void mismatchedPreprocessorRateIsRefused(@TempDir Path tmp) throws Exception {
        Path dir = folderWith(tmp, m -> { });
        Files.writeString(dir.resolve("preprocessor_config.json"), "{\"sampling_rate\": 16000, \"do_normalize\": false}");
        assertThrows(ConfigException.class, () -> MertModel.load(dir));
    }
}
