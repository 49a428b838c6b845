package org.mert4j.serve;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/**
 * The catalogue's 2-D map: {@code GET /v1/map} its track keys as JSON, {@code GET /v1/map/points} their
 * points as little-endian float32 pairs.
 */
final class MapRoute implements Route {
    private final ServeContext ctx;
    private final boolean points;

    private MapRoute(ServeContext ctx, boolean points) {
        this.ctx = ctx;
        this.points = points;
    }

    static MapRoute tracks(ServeContext ctx) {
        return new MapRoute(ctx, false);
    }

    static MapRoute points(ServeContext ctx) {
        return new MapRoute(ctx, true);
    }

    @Override
    public void answer(Request request, Response response, String key) throws IOException {
        Results.requireIndex(ctx);
        CatalogueMap map = ctx.map();
        if (points) {
            Answers.send(response, 200, "application/octet-stream", map.pointBytes());
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("count", map.tracks().size());
        body.put("tracks", map.tracks());
        Answers.json(response, 200, body);
    }
}
