package org.mert4j.serve;

import java.util.List;

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
 * @param maxSeconds     longest audio, once decoded, that is embedded (longer gets 413)
 * @param maxAnswerBytes largest answer to build (a frame-level one past it gets 422)
 * @param uploadSeconds  how long a request body may take to arrive (slower gets 408)
 * @param allowedHosts   host names the {@code Host} header may carry besides IP addresses and localhost
 */
public record ServeSettings(String host, int port, int maxBatch, long maxWaitMillis, long maxUploadBytes, int maxQueue,
                            String token, int drainSeconds, double maxSeconds, long maxAnswerBytes, int uploadSeconds,
                            List<String> allowedHosts) {
    public static final double DEFAULT_MAX_SECONDS = 1200;
    public static final long DEFAULT_MAX_ANSWER_BYTES = 256L << 20;
    public static final int DEFAULT_UPLOAD_SECONDS = 120;

    public ServeSettings {
        if (maxBatch < 1 || maxWaitMillis < 0 || maxUploadBytes < 1 || maxQueue < 1 || port < 0 || port > 65535
                || drainSeconds < 0 || !(maxSeconds > 0) || maxAnswerBytes < 1 || uploadSeconds < 1) {
            throw new IllegalArgumentException("invalid serve settings: " + maxBatch + ", " + maxWaitMillis + ", "
                    + maxUploadBytes + ", " + maxQueue + ", " + port + ", " + drainSeconds + ", " + maxSeconds + ", "
                    + maxAnswerBytes + ", " + uploadSeconds);
        }
        if (token != null && token.isBlank()) {
            throw new IllegalArgumentException("the token is empty");
        }
        allowedHosts = List.copyOf(allowedHosts);
    }

    /** The settings of the first eight, the rest at their defaults. */
    public ServeSettings(String host, int port, int maxBatch, long maxWaitMillis, long maxUploadBytes, int maxQueue,
                         String token, int drainSeconds) {
        this(host, port, maxBatch, maxWaitMillis, maxUploadBytes, maxQueue, token, drainSeconds, DEFAULT_MAX_SECONDS,
                DEFAULT_MAX_ANSWER_BYTES, DEFAULT_UPLOAD_SECONDS, List.of());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings with {@code mert serve}'s defaults, changed one at a time. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 8765;
        private int maxBatch = 8;
        private long maxWaitMillis = 10;
        private long maxUploadBytes = 50L << 20;
        private int maxQueue = 64;
        private String token;
        private int drainSeconds = 30;
        private double maxSeconds = DEFAULT_MAX_SECONDS;
        private long maxAnswerBytes = DEFAULT_MAX_ANSWER_BYTES;
        private int uploadSeconds = DEFAULT_UPLOAD_SECONDS;
        private List<String> allowedHosts = List.of();

        public Builder host(String v) { host = v; return this; }
        public Builder port(int v) { port = v; return this; }
        public Builder maxBatch(int v) { maxBatch = v; return this; }
        public Builder maxWaitMillis(long v) { maxWaitMillis = v; return this; }
        public Builder maxUploadBytes(long v) { maxUploadBytes = v; return this; }
        public Builder maxQueue(int v) { maxQueue = v; return this; }
        public Builder token(String v) { token = v; return this; }
        public Builder drainSeconds(int v) { drainSeconds = v; return this; }
        public Builder maxSeconds(double v) { maxSeconds = v; return this; }
        public Builder maxAnswerBytes(long v) { maxAnswerBytes = v; return this; }
        public Builder uploadSeconds(int v) { uploadSeconds = v; return this; }
        public Builder allowedHosts(List<String> v) { allowedHosts = v; return this; }

        public ServeSettings build() {
            return new ServeSettings(host, port, maxBatch, maxWaitMillis, maxUploadBytes, maxQueue, token, drainSeconds,
                    maxSeconds, maxAnswerBytes, uploadSeconds, allowedHosts);
        }
    }
}
