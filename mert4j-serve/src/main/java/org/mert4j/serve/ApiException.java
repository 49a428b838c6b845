package org.mert4j.serve;

/** A request that ends with an HTTP error status and a JSON body {@code {"error": message}}. */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String retryAfter;

    public ApiException(int status, String message) {
        this(status, message, null);
    }

    /** @param retryAfter seconds for a {@code Retry-After} header, or null */
    public ApiException(int status, String message, String retryAfter) {
        super(message);
        this.status = status;
        this.retryAfter = retryAfter;
    }

    public int status() {
        return status;
    }

    public String retryAfter() {
        return retryAfter;
    }
}
