package org.mert4j.pretrain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * Every pretraining preset resolves to exactly the settings it had (the committed JSON), key order and number
 * formats included; configs saved by earlier versions are read and written back as they were.
 */
class PresetJsonTest {
    static final Path DIR = Path.of("src", "test", "resources", "pretrain");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyPresetKeepsItsValues() throws IOException {
        for (String preset : List.of("tiny", "small", "cpu", "95m", "330m")) {
            assertEquals(Files.readString(DIR.resolve("presets/" + preset + ".json")),
                    pretty(PretrainConfig.load(preset, null, List.of()).toJson()), preset);
        }
    }

    @Test
    void presetAliasesResolveToTheSameSettings() {
        assertEquals(PretrainConfig.load("95m", null, List.of()).toJson(),
                PretrainConfig.load("v1-95m", null, List.of()).toJson());
        assertEquals(PretrainConfig.load("330m", null, List.of()).toJson(),
                PretrainConfig.load("v1-330m", null, List.of()).toJson());
    }

    /** A config saved before objective.head and objective.projection_grad_mult existed, and one saved after. */
    @Test
    void savedConfigsAreWrittenBackAsBefore() throws IOException {
        for (String saved : List.of("small-without-head", "cpu")) {
            PretrainConfig c = PretrainConfig.read(DIR.resolve("saved/" + saved + ".json"));
            assertEquals(Files.readString(DIR.resolve("saved/" + saved + ".written.json")), pretty(c.toJson()), saved);
            assertEquals(c.toJson(), PretrainConfig.fromJson(c.toJson()).toJson(), saved);
        }
    }

    private static String pretty(JsonNode n) throws IOException {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n) + "\n";
    }
}
