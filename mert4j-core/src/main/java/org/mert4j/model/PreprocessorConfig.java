package org.mert4j.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code preprocessor_config.json} (Hugging Face {@code Wav2Vec2FeatureExtractor}; docs/model.md,
 * "Preprocessing"): the rate the model expects and whether each clip is normalised to zero mean and
 * unit variance.
 */
public record PreprocessorConfig(int samplingRate, boolean doNormalize) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static PreprocessorConfig fromJson(Path file) {
        try {
            JsonNode n = JSON.readTree(Files.readAllBytes(file));
            if (n == null || !n.isObject()) {
                throw new ConfigException(file + ": must be a JSON object");
            }
            JsonNode rate = n.get("sampling_rate");
            if (rate == null || !rate.isIntegralNumber() || rate.asInt() <= 0 || rate.asInt() > 1_000_000) {
                throw new ConfigException(file + ": sampling_rate must be a positive integer, found " + rate);
            }
            JsonNode norm = n.get("do_normalize");
            if (norm != null && !norm.isBoolean()) {
                throw new ConfigException(file + ": do_normalize must be true or false, found " + norm);
            }
            return new PreprocessorConfig(rate.asInt(), norm != null && norm.asBoolean());
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read preprocessor config: " + e.getMessage(), e);
        }
    }

    public ObjectNode toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("feature_extractor_type", "Wav2Vec2FeatureExtractor");
        n.put("feature_size", 1);
        n.put("padding_side", "right");
        n.put("padding_value", 0.0);
        n.put("return_attention_mask", true);
        n.put("do_normalize", doNormalize);
        n.put("sampling_rate", samplingRate);
        return n;
    }
}
