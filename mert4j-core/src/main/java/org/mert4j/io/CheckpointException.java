package org.mert4j.io;

/**
 * A checkpoint file is missing, malformed, hostile or inconsistent. The message always names the
 * file and says what was expected and what was found, so a user can tell a truncated download from
 * a format the reader does not support.
 */
public class CheckpointException extends RuntimeException {

    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
