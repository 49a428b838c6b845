package org.mert4j.serve;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.LoggerFactory;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/**
 * The answer to a client that asks for progress ({@code Accept: application/x-ndjson}): one JSON line per
 * embedded window, {@code {"progress": {"seconds": S}}} (audio embedded so far), then the answer's object
 * as the last line. The 200 status goes out with the first progress line, so a failure after it is a last
 * line {@code {"error"}} instead of an error status; a failure before it (an upload that cannot be decoded
 * fails at its first window) is an ordinary error response.
 */
final class ProgressStream {
    static final String TYPE = "application/x-ndjson";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Response response;
    private final int sampleRate;
    private OutputStream out;

    private ProgressStream(Response response, int sampleRate) {
        this.response = response;
        this.sampleRate = sampleRate;
    }

    /** A progress stream if the request asks for one, else null. */
    static ProgressStream of(Request request, Response response, int sampleRate) {
        String accept = request.getHeaders().get(HttpHeader.ACCEPT);
        return accept != null && accept.contains(TYPE) ? new ProgressStream(response, sampleRate) : null;
    }

    /** After each window: the samples (at the model's rate) embedded so far. */
    void progress(long samples) {
        try {
            line(String.format(Locale.ROOT, "{\"progress\":{\"seconds\":%.3f}}", samples / (double) sampleRate)
                    .getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ApiException(499, "the client went away");
        }
    }

    boolean committed() {
        return out != null;
    }

    /** The answer's object as the last line. */
    void finish(byte[] json) throws IOException {
        line(json);
        out.close();
    }

    /** A failure after the status went out, as the last line. */
    void fail(ApiException e) {
        try {
            line(JSON.writeValueAsBytes(Map.of("error", e.getMessage())));
            out.close();
        } catch (IOException io) {
            // the client went away: nothing left to tell it
        }
    }

    /** The answer: a JSON body, or the last line of the progress stream when there is one. */
    static void answer(Response response, ProgressStream progress, byte[] json) throws IOException {
        if (progress != null && progress.committed()) {
            progress.finish(json);
        } else {
            Answers.send(response, 200, "application/json", json);
        }
    }

    /** A failure once progress lines went out is the stream's last line; before, it is thrown on. */
    static void fail(ProgressStream progress, RuntimeException e) {
        if (progress == null || !progress.committed()) {
            throw e;
        }
        ApiException a = e instanceof ApiException api ? api : new ApiException(500, "internal error: "
                + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        if (a.status() == 500) {
            LoggerFactory.getLogger(ProgressStream.class).warn("request failed after its progress lines", e);
        }
        progress.fail(a);
    }

    private void line(byte[] json) throws IOException {
        if (out == null) {
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, TYPE);
            out = Content.Sink.asOutputStream(response);
        }
        out.write(json);
        out.write('\n');
        out.flush();
    }
}
