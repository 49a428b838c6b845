package org.mert4j.teacher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.mert4j.io.CheckpointException;
import org.mert4j.teacher.encodec.EncodecConfig;
import org.mert4j.teacher.encodec.EncodecModel;
import org.mert4j.teacher.rvq.CodeTeacher;
import org.mert4j.teacher.rvq.RvqVae;
import org.mert4j.teacher.rvq.RvqVaeConfig;

/** Opens a teacher model folder by its config.json {@code model_type}: EnCodec or mert4j's RVQ-VAE. */
public final class CodeTeacherFolders {
    private CodeTeacherFolders() {}

    /** The folder's model_type ("encodec" or "mert4j_rvq_vae"). */
    public static String modelType(Path dir) {
        Path config = dir.resolve("config.json");
        if (!Files.isRegularFile(config)) {
            throw new CheckpointException(dir + ": has no config.json; expected an EnCodec or RVQ-VAE model folder");
        }
        try {
            return new ObjectMapper().readTree(config.toFile()).path("model_type").asText("");
        } catch (IOException e) {
            throw new CheckpointException(config + ": not readable JSON: " + e.getMessage(), e);
        }
    }

    /** Loads the teacher in {@code dir} onto {@code device}; EnCodec at MERT-v1's 6 kbps (8 codebooks). */
    public static CodeTeacher load(Path dir, String device) {
        String type = modelType(dir);
        return switch (type) {
            case EncodecConfig.MODEL_TYPE -> EncodecModel.load(dir, device, EncodecModel.MERT_BANDWIDTH_KBPS);
            case RvqVaeConfig.MODEL_TYPE -> RvqVae.load(dir, device);
            default -> throw new CheckpointException(dir.resolve("config.json") + ": model_type '" + type
                    + "' is not a code teacher; expected '" + EncodecConfig.MODEL_TYPE + "' or '"
                    + RvqVaeConfig.MODEL_TYPE + "'");
        };
    }
}
