package org.mert4j.serve;

import java.io.IOException;
import java.util.Map;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/** {@code GET /healthz}: the server answers (no token needed). */
final class HealthRoute implements Route {
    @Override
    public void answer(Request request, Response response, String key) throws IOException {
        Answers.json(response, 200, Map.of("status", "ok"));
    }
}
