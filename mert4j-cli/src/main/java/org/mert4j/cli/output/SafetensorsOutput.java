package org.mert4j.cli.output;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.bytedeco.pytorch.Tensor;
import org.mert4j.io.SafetensorsWriter;
import org.mert4j.model.EmbeddingInfo;
import org.mert4j.tensor.Tensors;

/**
 * A {@code .safetensors} file per input holding one F32 tensor {@code embedding} and, as string metadata,
 * how it was made ({@link EmbeddingInfo#toMetadata}: model, hidden states per row, window, pool, sample
 * rate) plus the file's duration and source path.
 */
public final class SafetensorsOutput implements OutputWriter {
    public static final String TENSOR = "embedding";

    private final EmbeddingInfo info;

    public SafetensorsOutput(EmbeddingInfo info) {
        this.info = info;
    }

    @Override
    public void write(Path target, Embedding e) throws IOException {
        Files.createDirectories(target.toAbsolutePath().getParent());
        Map<String, String> meta = new LinkedHashMap<>(info.toMetadata());
        meta.put("duration_s", String.valueOf(e.durationSeconds()));
        meta.put("source", e.input().relative().toString());
        try (Tensor t = Tensors.fromFloats(e.values())) {
            // the writer goes through a temporary file and a rename, like every output here
            SafetensorsWriter.write(target, Map.of(TENSOR, t), meta);
        }
    }
}
