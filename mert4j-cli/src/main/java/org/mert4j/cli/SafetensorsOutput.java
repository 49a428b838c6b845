package org.mert4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.bytedeco.pytorch.Tensor;
import org.mert4j.io.SafetensorsWriter;
import org.mert4j.tensor.Tensors;

/**
 * A {@code .safetensors} file per input holding one F32 tensor {@code embedding} and the run's metadata
 * (model, layers, window, pool, sample rate, duration, source path) as string metadata.
 */
public final class SafetensorsOutput implements OutputWriter {
    public static final String TENSOR = "embedding";

    private final RunMetadata metadata;

    public SafetensorsOutput(RunMetadata metadata) {
        this.metadata = metadata;
    }

    @Override
    public void write(Path target, Embedding e) throws IOException {
        Files.createDirectories(target.toAbsolutePath().getParent());
        try (Tensor t = Tensors.fromFloats(e.values())) {
            // the writer goes through a temporary file and a rename, like every output here
            SafetensorsWriter.write(target, Map.of(TENSOR, t), metadata.forFile(e));
        }
    }
}
