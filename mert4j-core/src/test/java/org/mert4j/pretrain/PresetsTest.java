package org.mert4j.pretrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.mert4j.model.ConfigException;
import org.mert4j.model.MertConfig;
import org.mert4j.model.MertModel;

/** The pretraining presets resolve to valid settings; the small one has the size and objective it documents. */
class PresetsTest {

    @Test
    void everyPresetResolvesAndValidates() {
        for (String preset : List.of("tiny", "small", "cpu", "95m", "330m")) {
            PretrainConfig c = PretrainConfig.load(preset, null, List.of());
            assertTrue(c.optim().totalSteps() >= c.optim().warmupSteps(), preset);
        }
        ConfigException e = assertThrows(ConfigException.class, () -> PretrainConfig.load("medium", null, List.of()));
        assertTrue(e.getMessage().contains("tiny, small, cpu, 95m or 330m"), e.getMessage());
    }

    @Test
    void smallIsSizedForCpuAndUsesTheLogCqtOnEveryFrame() {
        PretrainConfig c = PretrainConfig.load("small", null, List.of());
        MertConfig enc = c.encoderConfig();
        assertEquals(6, enc.transformer().numLayers());
        assertEquals(256, enc.transformer().hiddenSize());
        try (MertModel m = MertModel.random(enc, 0, "cpu")) {
            // docs/pretraining.md: 5.6M parameters, 22 MB in fp32 (the 25 MB a shipped example may take)
            assertEquals(5.56e6, m.parameterCount(), 0.01e6);
        }
        assertEquals(CqtTarget.LOG, c.objective().cqt().target());
        assertEquals(CqtFrames.ALL, c.objective().cqt().frames());
        assertEquals(0.0, c.objective().front().featurePenalty());
        assertEquals(5.0, c.data().cropSeconds());
        assertEquals(4 * 5 * 24_000, c.data().maxTokens(), "batches of 4 crops of 5 s");
    }
}
