package org.mert4j.io;

/** A checkpoint file or folder that cannot be read as it is, with the file, key and problem named. */
public class CheckpointException extends RuntimeException {
    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
