package org.mert4j.teacher;

/** A manifest that cannot be read or does not fit what uses it; the message names the file and line. */
public class ManifestException extends IllegalArgumentException {
    public ManifestException(String message) {
        super(message);
    }
}
