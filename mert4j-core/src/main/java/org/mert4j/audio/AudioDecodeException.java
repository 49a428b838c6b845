package org.mert4j.audio;

import java.nio.file.Path;

/** An audio file could not be read or decoded; the message names the file and the problem. */
public class AudioDecodeException extends RuntimeException {

    private final transient Path file;

    public AudioDecodeException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public AudioDecodeException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The file that failed. */
    public Path file() {
        return file;
    }
}
