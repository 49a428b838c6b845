package org.mert4j.pretrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mert4j.model.ConfigException;
import org.mert4j.model.ConvNorm;

/** Modes are read once into enums and written back as the strings they were read from; errors name the key. */
class PretrainConfigTest {

    private static PretrainConfig tiny(String... overrides) {
        return PretrainConfig.load("tiny", null, List.of(overrides));
    }

    private static String message(String override) {
        return assertThrows(ConfigException.class, () -> tiny(override)).getMessage();
    }

    @Test
    void everyAcceptedModeIsReadAndWrittenBackAsItsString() {
        for (String target : List.of("magnitude", "log")) {
            PretrainConfig c = tiny("objective.cqt_target=" + target);
            assertEquals(target, c.objective().cqt().target().configName());
            assertEquals(target, c.toJson().get("objective").get("cqt_target").asText());
        }
        for (String frames : List.of("masked", "all")) {
            assertEquals(frames, tiny("objective.cqt_frames=" + frames).toJson().get("objective").get("cqt_frames").asText());
        }
        for (String head : List.of("cosine", "linear")) {
            assertEquals(head, tiny("objective.head=" + head).toJson().get("objective").get("head").asText());
        }
        for (String precision : List.of("fp32", "bf16", "fp16")) {
            PretrainConfig c = tiny("optim.precision=" + precision);
            assertEquals(precision, c.toJson().get("optim").get("precision").asText());
            assertEquals(precision, String.valueOf(c.optim().precision()), "printed as in the config");
        }
        assertEquals(CqtFrames.ALL, tiny("objective.cqt_frames=all").objective().cqt().frames());
        assertEquals(AcousticHead.LINEAR, tiny("objective.head=linear").objective().acoustic().head());
        assertEquals(PrecisionMode.BF16, tiny("optim.precision=bf16").optim().precision());
    }

    @Test
    void aBadModeIsRefusedNamingTheKeyTheValueAndTheAcceptedOnes() {
        assertEquals("objective.cqt_target 'loud' is not accepted; accepted: magnitude, log",
                message("objective.cqt_target=loud"));
        assertEquals("objective.cqt_frames 'some' is not accepted; accepted: masked, all",
                message("objective.cqt_frames=some"));
        assertEquals("objective.head 'softmax' is not accepted; accepted: cosine, linear", message("objective.head=softmax"));
        assertEquals("optim.precision 'fp8' is not accepted; accepted: fp32, bf16, fp16", message("optim.precision=fp8"));
        assertEquals("feat_extract_norm 'batch' is not accepted; accepted: group, layer",
                message("encoder.feat_extract_norm=batch"));
        assertTrue(message("encoder.hidden_act=tanh").startsWith("hidden_act 'tanh' is not supported"));
    }

    @Test
    void anUnknownObjectiveKeyInAFileIsRefused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("run.yaml");
        Files.writeString(file, "objective:\n  mask_prb: 0.5\n");
        ConfigException e = assertThrows(ConfigException.class, () -> PretrainConfig.load("tiny", file, List.of()));
        assertTrue(e.getMessage().startsWith("objective has no key 'mask_prb'; keys: final_dim, "), e.getMessage());
    }

    @Test
    void theEncoderIsReadOnceAndItsSectionKeptAsGiven() {
        PretrainConfig c = tiny("encoder.feat_extract_norm=layer", "encoder.layerdrop=0");
        assertSame(c.encoderConfig(), c.encoderConfig());
        assertEquals(ConvNorm.LAYER, c.encoderConfig().convFront().norm());
        assertTrue(c.toJson().get("encoder").get("layerdrop").isInt(), "the section is written as it was given");
        assertEquals(c.toJson(), c.with("run.max_steps=300").toJson());
    }
}
