package org.mert4j.serve;

/**
 * How {@code mert serve} runs.
 * @param host           address to bind (127.0.0.1 unless told otherwise)
 * @param port           port, 0 for any free one
 * @param maxBatch       windows run together at most
 * @param maxWaitMillis  how long the first window of a batch waits for others
 * @param maxUploadBytes larger request bodies get 413
 * @param maxQueue       requests being embedded or waiting at most; more get 503 with Retry-After
 * @param token          bearer token every route but /healthz needs, or null for none
 * @param drainSeconds   how long a stop waits for requests in flight
 */
public record ServeSettings(String host, int port, int maxBatch, long maxWaitMillis, long maxUploadBytes, int maxQueue,
                            String token, int drainSeconds) {
    public ServeSettings {
        if (maxBatch < 1 || maxWaitMillis < 0 || maxUploadBytes < 1 || maxQueue < 1 || port < 0 || port > 65535
                || drainSeconds < 0) {
            throw new IllegalArgumentException("invalid serve settings: " + maxBatch + ", " + maxWaitMillis + ", "
                    + maxUploadBytes + ", " + maxQueue + ", " + port);
        }
        if (token != null && token.isBlank()) {
            throw new IllegalArgumentException("the token is empty");
        }
    }
}
