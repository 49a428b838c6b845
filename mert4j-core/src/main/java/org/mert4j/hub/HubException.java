package org.mert4j.hub;

/** A model that cannot be had from the Hub or its cache, saying what was asked, of whom, and what to do. */
public class HubException extends RuntimeException {
    /** What went wrong, for callers that react differently (a missing optional file is no error). */
    public enum Kind {
        REPO_NOT_FOUND, REVISION_NOT_FOUND, ENTRY_NOT_FOUND, UNAUTHORIZED, NOT_CACHED, NETWORK, BAD_RESPONSE,
        CORRUPT
    }

    private final Kind kind;

    public HubException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public HubException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
