package org.mert4j.serve;

import java.io.IOException;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;

/**
 * Why a request's model work should stop: the client went away, or the server is ending its drain. Jetty does
 * not read a connection while its request is handled, so a client that hung up is only noticed by looking:
 * {@link #check} reads the connection without waiting (at most every {@value #POLL_MILLIS} ms) and an end of
 * stream means nobody waits for the answer, as JSON or as progress lines.
 */
final class Cancellation {
    static final long POLL_MILLIS = 100;

    private final EndPoint endPoint;
    private final Response response;
    private volatile ApiException reason;
    private long lastPoll;

    private Cancellation(EndPoint endPoint, Response response) {
        this.endPoint = endPoint;
        this.response = response;
    }

    /** Watches the request's connection. */
    static Cancellation of(Request request, Response response) {
        return new Cancellation(request.getConnectionMetaData().getConnection().getEndPoint(), response);
    }

    /** Nothing to watch (tests of the embedder). */
    static Cancellation none() {
        return new Cancellation(null, null);
    }

    /** Stops the work at its next check. */
    void cancel(ApiException why) {
        reason = why;
    }

    /** @throws ApiException the reason, once the work should stop */
    void check() {
        if (reason == null && endPoint != null) {
            long now = System.nanoTime();
            if (now - lastPoll >= POLL_MILLIS * 1_000_000) {
                lastPoll = now;
                poll();
            }
        }
        ApiException r = reason;
        if (r != null) {
            throw r;
        }
    }

    private void poll() {
        try {
            int n = endPoint.fill(BufferUtil.allocate(512)); // an empty buffer in Jetty's sense (flush mode)
            if (n < 0) {
                reason = new ApiException(499, "the client went away");
            } else if (n > 0 && !response.isCommitted()) {
                // a pipelined request, now read: close after this answer, so the client sends it again
                response.getHeaders().put(HttpHeader.CONNECTION, "close");
            }
        } catch (IOException e) {
            reason = new ApiException(499, "the client went away");
        }
    }
}
