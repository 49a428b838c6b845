package org.mert4j.serve;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/** {@code GET /v1/info}: the model, the limits, the index and whether audio is served. */
final class InfoRoute implements Route {
    private final ServeContext ctx;

    InfoRoute(ServeContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void answer(Request request, Response response, String key) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", ctx.modelName());
        body.put("model_fingerprint", ctx.model().fingerprint());
        body.put("hidden_states", ctx.config().numHiddenStates());
        body.put("sample_rate", ctx.config().sampleRate());
        body.put("max_upload_bytes", ctx.settings().maxUploadBytes());
        if (ctx.index() != null) {
            Map<String, Object> idx = new LinkedHashMap<>();
            idx.put("tracks", ctx.index().size());
            idx.put("layer", ctx.index().metadata().layer());
            idx.put("dimension", ctx.index().metadata().dimension());
            body.put("index", idx);
        } else {
            body.put("index", null);
        }
        body.put("audio", ctx.audioRoot() != null);
        Answers.json(response, 200, body);
    }
}
