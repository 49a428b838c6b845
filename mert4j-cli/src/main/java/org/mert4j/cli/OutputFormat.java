package org.mert4j.cli;

import java.nio.file.Path;
import java.util.Locale;

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
