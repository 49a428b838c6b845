package org.mert4j.serve;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.mert4j.io.EmbeddingJson;
import org.mert4j.model.EmbedOptions;
import org.mert4j.tensor.FloatArray;

/** {@code POST /v1/embed?layers=&pool=}: the upload's features, as {@code mert embed} computes them. */
final class EmbedRoute implements Route {
    private static final JsonFactory JSON_FACTORY = new JsonFactory();

    private final ServeContext ctx;
    private final ModelGate model;

    EmbedRoute(ServeContext ctx, ModelGate model) {
        this.ctx = ctx;
        this.model = model;
    }

    @Override
    public void answer(Request request, Response response, String key) throws IOException {
        int[] layers = Params.layers(request, ctx.config().numHiddenStates());
        EmbedOptions.Pool pool = Params.pool(request);
        ProgressStream progress = ProgressStream.of(request, response, ctx.config().sampleRate());
        try {
            FloatArray values = model.embed(request, response, layers, pool, progress);
            ByteArrayOutputStream buf = new ByteArrayOutputStream(1 << 14);
            try (JsonGenerator g = JSON_FACTORY.createGenerator(buf)) {
                g.writeStartObject();
                g.writeStringField("model", ctx.modelName());
                EmbeddingJson.writeFields(g, values, layers);
                g.writeEndObject();
            }
            ProgressStream.answer(response, progress, buf.toByteArray());
        } catch (RuntimeException e) {
            ProgressStream.fail(progress, e);
        }
    }
}
