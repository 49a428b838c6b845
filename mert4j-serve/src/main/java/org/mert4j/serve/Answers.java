package org.mert4j.serve;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writing answers: a whole body at once, JSON, or an error as JSON {@code {"error"}}. */
final class Answers {
    private static final Logger LOG = LoggerFactory.getLogger(Answers.class);
    static final ObjectMapper JSON = new ObjectMapper();

    private Answers() {
    }

    static void json(Response response, int status, Object body) throws IOException {
        send(response, status, "application/json", JSON.writeValueAsBytes(body));
    }

    static void send(Response response, int status, String type, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        try (OutputStream out = Content.Sink.asOutputStream(response)) {
            out.write(body);
        } catch (IOException e) {
            // the client went away: nothing left to tell it
            LOG.debug("response not sent: {}", e.toString());
        }
    }

    /** Bodies up to this size are read before an error answer to a POST (see {@link #error}). */
    private static final long SMALL_BODY = 1 << 20;

    /** Sends the error as JSON; false when part of a body was out already (a file being streamed). */
    static boolean error(Request request, Response response, ApiException e) {
        if (response.isCommitted()) {
            return false;
        }
        if ("POST".equals(request.getMethod())) {
            long declared = request.getLength();
            if (declared >= 0 && declared <= SMALL_BODY) {
                // a small upload refused before it was read (a missing token) is read to its end first: a client
                // still sending it when the connection closes gets its socket reset and loses this answer
                try {
                    Content.Source.consumeAll(request);
                } catch (IOException | RuntimeException ignored) {
                    // the client went away or sent less: the answer below is all that is left to try
                }
            }
            // the upload may be refused before it was read: Jetty then drops the connection, so tell the client
            // not to send its next request on it (else that request meets a closed socket)
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        if (e.status() == 401) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
        }
        if (e.retryAfter() != null) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, e.retryAfter());
        }
        try {
            send(response, e.status(), "application/json", JSON.writeValueAsBytes(Map.of("error",
                    e.getMessage() == null ? "error" : e.getMessage())));
        } catch (IOException io) {
            LOG.debug("error response not sent: {}", io.toString());
        }
        return true;
    }
}
