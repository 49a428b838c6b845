package org.mert4j.serve;

import java.io.IOException;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.mert4j.index.VectorIndex;
import org.mert4j.model.EmbedOptions;

/** {@code POST /v1/search?k=}: the catalogue's tracks nearest to the uploaded audio. */
final class SearchRoute implements Route {
    private final ServeContext ctx;
    private final ModelGate model;

    SearchRoute(ServeContext ctx, ModelGate model) {
        this.ctx = ctx;
        this.model = model;
    }

    @Override
    public void answer(Request request, Response response, String key) throws IOException {
        int k = Params.k(request);
        VectorIndex index = Results.requireIndex(ctx);
        ProgressStream progress = ProgressStream.of(request, response, ctx.config().sampleRate());
        try {
            float[] v = model.embed(request, response, new int[] {index.metadata().layer()}, EmbedOptions.Pool.MEAN, progress)
                    .row(0);
            ProgressStream.answer(response, progress, Answers.JSON.writeValueAsBytes(Results.of(index.search(v, k))));
        } catch (RuntimeException e) {
            ProgressStream.fail(progress, e);
        }
    }
}
