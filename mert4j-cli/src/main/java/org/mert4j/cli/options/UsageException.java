package org.mert4j.cli.options;

/** A command line that cannot be carried out as given; reported as one line with exit code 2. */
public class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
