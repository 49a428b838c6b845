package org.mert4j.serve;

import java.io.IOException;
import java.util.List;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.mert4j.index.Neighbour;

/** {@code GET /v1/tracks/{key}/neighbours?k=}: the catalogue's tracks nearest to one of its tracks. */
final class NeighboursRoute implements Route {
    private final ServeContext ctx;

    NeighboursRoute(ServeContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void answer(Request request, Response response, String key) throws IOException {
        int k = Params.k(request);
        var index = Results.requireIndex(ctx);
        List<Neighbour> found;
        try {
            found = index.similarTo(key, k);
        } catch (IllegalArgumentException e) {
            throw new ApiException(404, e.getMessage());
        }
        Answers.json(response, 200, Results.of(found));
    }
}
