package org.mert4j.pretrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.mert4j.io.Npy;
import org.mert4j.model.FixturesAccess;
import org.mert4j.model.MertModel;
import org.mert4j.tensor.FloatArray;

/**
 * A model pretrained and exported by mert4j, loaded by transformers' HubertModel (the class MERTModel
 * extends): the Python hidden states, committed by tools/reference/make_export_fixture.sh, must be
 * what mert4j computes from the same folder. Tolerance 1e-4 (fp32, different attention kernels).
 */
class ExportRoundTripTest {
    static final Path DIR = Path.of("src", "test", "resources", "pretrain", "exported");

    @Test
    void pythonReproducesTheExportedModel() throws Exception {
        var config = new ObjectMapper().readTree(DIR.resolve("config.json").toFile());
        assertEquals("mert_model", config.get("model_type").asText());
        assertEquals("MERTModel", config.get("architectures").get(0).asText());
        FloatArray input = Npy.readFloats(DIR.resolve("input.npy"));
        FloatArray python = Npy.readFloats(DIR.resolve("python_hidden_states.npy"));
        try (MertModel m = MertModel.load(DIR)) {
            FloatArray java = m.hiddenStates(input.data(), m.sampleRate());
            assertArrayEquals(python.shape(), java.shape());
            double err = FixturesAccess.maxAbsDiff(python.data(), java.data());
            System.out.printf("exported model: python vs mert4j hidden states %s, max abs error %.3g%n", java, err);
            assertTrue(err < 1e-4, "max abs error " + err);
        }
    }
}
