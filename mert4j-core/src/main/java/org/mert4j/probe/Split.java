package org.mert4j.probe;

import java.util.Locale;

/** Which part of a task an example belongs to. */
public enum Split {
    TRAIN, VALID, TEST;

    public static Split parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "train" -> TRAIN;
            case "valid", "validation", "val", "dev" -> VALID;
            case "test" -> TEST;
            default -> throw new IllegalArgumentException("unknown split '" + text + "' (expected train, valid or test)");
        };
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
