package org.mert4j.model;

/** A model or preprocessor configuration that mert4j cannot honour, with the key at fault. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
