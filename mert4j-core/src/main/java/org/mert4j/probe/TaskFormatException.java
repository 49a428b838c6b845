package org.mert4j.probe;

/** A task file or its manifest does not say what a task needs; the message names the file and line. */
public final class TaskFormatException extends RuntimeException {
    public TaskFormatException(String message) {
        super(message);
    }

    public TaskFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
