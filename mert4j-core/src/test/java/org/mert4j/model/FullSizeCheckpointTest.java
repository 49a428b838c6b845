package org.mert4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A full-size MERT-v1-95M-shaped checkpoint (random weights, 377 MB) written, loaded and counted. */
class FullSizeCheckpointTest {
    @Test
    void v1_95mShapedCheckpointLoads(@TempDir Path tmp) {
        try (MertModel random = MertModel.random(MertConfig.preset("v1-95m"), 1, "cpu")) {
            random.save(tmp);
        }
        try (MertModel loaded = MertModel.load(tmp)) {
            assertEquals(94_371_712L, loaded.parameterCount());
            assertEquals(13, loaded.config().numHiddenStates());
            // one 1 s clip through the full-size model: 74 frames of 768
            assertEquals(74, loaded.hiddenStates(new float[24000], 24000).shape()[1]);
        }
    }
}
