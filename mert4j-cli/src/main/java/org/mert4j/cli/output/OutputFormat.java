package org.mert4j.cli.output;

import java.nio.file.Path;
import java.util.Locale;

import org.mert4j.model.EmbeddingInfo;

/** What {@code mert embed} writes; the file extension doubles as the format name. */
public enum OutputFormat {
    NPY, SAFETENSORS, JSONL;

    public String extension() {
        return "." + name().toLowerCase(Locale.ROOT);
    }

    /** Whether the format writes one file per input (jsonl collects everything in one file). */
    public boolean perInput() {
        return this != JSONL;
    }

    /**
     * The writer of one file per input in this format; {@code info} is how the features were made (safetensors
     * files carry it in their header).
     */
    public OutputWriter writer(EmbeddingInfo info) {
        return switch (this) {
            case NPY -> new NpyOutput();
            case SAFETENSORS -> new SafetensorsOutput(info);
            case JSONL -> throw new IllegalArgumentException("jsonl collects all inputs in one file: use JsonlOutput");
        };
    }

    /** The format whose extension {@code file} has, or null. */
    public static OutputFormat ofFileName(Path file) {
        Path name = file.getFileName();
        if (name == null) {
            return null;
        }
        String s = name.toString().toLowerCase(Locale.ROOT);
        for (OutputFormat f : values()) {
            if (s.endsWith(f.extension()) && s.length() > f.extension().length()) {
                return f;
            }
        }
        return null;
    }
}
