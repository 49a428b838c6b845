package org.mert4j.teacher;

/** One label stream of a teacher: written to {@code <name>.km}, labels in [0, classes). */
public record LabelStream(String name, int classes) {
    public LabelStream {
        if (!name.matches("[A-Za-z0-9_.-]+") || name.startsWith(".")) {
            throw new IllegalArgumentException("stream name must be letters, digits, '_', '-' or '.', got '" + name + "'");
        }
        if (classes < 1) {
            throw new IllegalArgumentException("stream " + name + ": classes must be at least 1, got " + classes);
        }
    }

    /** The label file of this stream in a label folder. */
    public String fileName() {
        return name + LabelFile.EXTENSION;
    }
}
