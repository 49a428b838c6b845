package org.mert4j.pretrain;

import java.nio.file.Path;

import org.mert4j.io.CheckpointException;
import org.mert4j.io.SafetensorsReader;
import org.mert4j.io.StateDict;
import org.mert4j.model.HuggingFaceFolder;
import org.mert4j.model.MertConfig;
import org.mert4j.model.MertEncoder;
import org.mert4j.model.PreprocessorConfig;
import org.mert4j.model.WeightLoader;

/** The encoder of a pretraining checkpoint as a Hugging Face model folder. */
public final class PretrainExport {
    private static final String PREFIX = "mert.";

    private PretrainExport() {}

    /** Writes the folder; returns the checkpoint's step. */
    public static long export(PretrainConfig config, Path checkpoint, Path out) {
        MertConfig enc = config.encoderConfig();
        MertEncoder encoder = new MertEncoder(enc);
        try (StateDict all = SafetensorsReader.read(checkpoint.resolve("model.safetensors"))) {
            java.util.Map<String, org.bytedeco.pytorch.Tensor> own = new java.util.LinkedHashMap<>();
            for (String k : all.names()) {
                if (k.startsWith(PREFIX)) {
                    own.put(k.substring(PREFIX.length()), all.get(k));
                }
            }
            if (own.isEmpty()) {
                throw new CheckpointException(checkpoint + ": no encoder tensors ('" + PREFIX + "*') in model.safetensors");
            }
            WeightLoader.load(encoder, own, checkpoint.toString());
            HuggingFaceFolder.save(encoder, new PreprocessorConfig(enc.sampleRate(), false), out);
            String step = SafetensorsReader.metadata(checkpoint.resolve("model.safetensors")).getOrDefault("step", "-1");
            return Long.parseLong(step);
        } finally {
            encoder.close();
        }
    }
}
