package org.mert4j.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.Tensor;
import org.mert4j.io.AtomicFiles;
import org.mert4j.io.CheckpointException;
import org.mert4j.io.SafetensorsWriter;

/**
 * Writes a model folder in Hugging Face layout: config.json ({@code model_type: mert_model}),
 * preprocessor_config.json and model.safetensors with the released key names (the positional conv
 * as {@code weight_g}/{@code weight_v}). Every file is written to a temporary name and renamed.
 */
public final class HuggingFaceFolder {
    private static final ObjectMapper JSON = new ObjectMapper();

    private HuggingFaceFolder() {}

    public static void save(MertEncoder encoder, PreprocessorConfig preprocessor, Path dir) {
        try {
            Files.createDirectories(dir);
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            StringTensorDict params = encoder.named_parameters();
            Device cpu = new Device("cpu");
            for (long i = 0; i < params.size(); i++) {
                tensors.put(params.get(i).key().getString(), params.get(i).value().detach().to(cpu,
                        org.bytedeco.pytorch.global.torch.ScalarType.Float).contiguous());
            }
            SafetensorsWriter.write(dir.resolve("model.safetensors"), tensors, Map.of("format", "pt"));
            ObjectNode config = encoder.config().toJson();
            writeJson(dir.resolve("config.json"), config);
            writeJson(dir.resolve("preprocessor_config.json"), preprocessor.toJson());
        } catch (IOException e) {
            throw new CheckpointException(dir + ": cannot write model folder: " + e.getMessage(), e);
        }
    }

    private static void writeJson(Path file, ObjectNode node) throws IOException {
        AtomicFiles.write(file, out -> JSON.writerWithDefaultPrettyPrinter().writeValue(out, node));
    }
}
