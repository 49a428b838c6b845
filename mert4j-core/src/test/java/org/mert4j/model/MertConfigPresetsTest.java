package org.mert4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** Every encoder preset writes exactly the config.json it wrote before (the committed JSON), key order included. */
class MertConfigPresetsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyPresetWritesTheSameConfigJson() throws IOException {
        for (String preset : List.of("v0", "v1-95m", "v1-330m", "tiny", "small", "cpu")) {
            MertConfig c = MertConfig.preset(preset);
            assertEquals(Files.readString(Fixtures.ROOT.resolve("presets/" + preset + ".json")),
                    JSON.writerWithDefaultPrettyPrinter().writeValueAsString(c.toJson()) + "\n", preset);
            assertEquals(c.toJson(), MertConfig.fromJson(c.toJson()).toJson(), preset + " read back");
        }
    }
}
