package org.mert4j.cli;

import org.mert4j.io.AtomicFiles;
import org.mert4j.model.EmbeddingInfo;
import java.io.IOException;
import java.nio.file.Path;

/** Writes one input's features to its own file, atomically (see {@link AtomicFiles}). */
public interface OutputWriter {
    void write(Path target, Embedding embedding) throws IOException;

    static OutputWriter of(OutputFormat format, EmbeddingInfo info) {
        return switch (format) {
            case NPY -> new NpyOutput();
            case SAFETENSORS -> new SafetensorsOutput(info);
            case JSONL -> throw new IllegalArgumentException("jsonl collects all inputs in one file: use JsonlOutput");
        };
    }
}
