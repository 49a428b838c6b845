package org.mert4j.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.mert4j.model.MertConfig;
import org.mert4j.model.MertModel;

class InfoAndHelpTest {

    @Test
    void infoPrintsTheArchitectureOfAModelFolder() {
        Cli.Result r = Cli.run("info", "--model", EmbedCommandTest.FIXTURE.toString());
        assertEquals(0, r.exitCode(), r::toString);
        long params;
        try (MertModel m = MertModel.load(EmbedCommandTest.FIXTURE, "cpu")) {
            params = m.parameterCount();
        }
        String out = r.out();
        assertTrue(out.contains(String.format(Locale.ROOT, "%,d", params)), out);
        for (String expected : new String[] {"mert_model", "hidden size:", "32", "post-LN", "group", "24000 Hz",
                "75 Hz", "hidden states:", "3 (L+1", "do_normalize:"}) {
            assertTrue(out.contains(expected), () -> expected + " missing in\n" + out);
        }
    }

    @Test
    void infoOfAPresetAsJson() throws Exception {
        Cli.Result r = Cli.run("info", "--model", "preset:v1-95m", "--json");
        assertEquals(0, r.exitCode(), r::toString);
        JsonNode n = new ObjectMapper().readTree(r.out());
        assertEquals(94_371_712L, n.get("parameters").asLong());
        assertEquals(13, n.get("hidden_states").asInt());
        assertEquals(75.0, n.get("frame_rate_hz").asDouble());
        assertEquals("post-LN", n.get("layer_norm").asText());
        assertTrue(n.get("random_weights").asBoolean());
        assertTrue(r.err().contains("random weights"), r::toString);
        assertEquals(MertConfig.preset("v1-95m").transformer().hiddenSize(), n.get("hidden_size").asInt());
    }

    @Test
    void infoWithThousandsSeparators() {
        Cli.Result r = Cli.run("info", "--model", "preset:v1-95m");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("94,371,712"), r::toString);
    }

    @Test
    void helpAndVersionExitWithZero() {
        for (String[] args : new String[][] {{"--help"}, {"embed", "--help"}, {"info", "--help"}, {"help", "embed"}}) {
            Cli.Result r = Cli.run(args);
            assertEquals(0, r.exitCode(), r::toString);
            assertTrue(r.out().contains("Usage: mert"), r::toString);
            assertTrue(r.out().contains("Examples:"), r::toString);
        }
        assertTrue(Cli.run("embed", "--help").out().contains("--window=SECONDS|none"));
        Cli.Result v = Cli.run("--version");
        assertEquals(0, v.exitCode());
        assertTrue(v.out().startsWith("mert4j "), v::toString);
    }

    @Test
    void infoOfAMissingFolderIsAUsageError() {
        Cli.Result r = Cli.run("info", "--model", "does/not/exist");
        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.err().contains("does/not/exist"), r::toString);
    }
}
