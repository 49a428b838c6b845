package org.mert4j.teacher;

/** A label folder or label file that is damaged or does not match its manifest; the message names the file and row. */
public class LabelFormatException extends IllegalArgumentException {
    public LabelFormatException(String message) {
        super(message);
    }
}
