package org.mert4j.serve;

import java.util.List;

import org.mert4j.serve.RouteTable.Entry;

/** The one table of the service's routes. */
final class Routes {
    private Routes() {
    }

    static RouteTable of(ServeContext ctx, ModelGate model) {
        PageAssets page = new PageAssets();
        return new RouteTable(List.of(
                Entry.get("/healthz", new HealthRoute()),
                Entry.get("/", new PageRoute(page.get("/"))),
                Entry.get("/static/app.js", new PageRoute(page.get("/static/app.js"))),
                Entry.get("/static/style.css", new PageRoute(page.get("/static/style.css"))),
                Entry.get("/metrics", new MetricsRoute(ctx.metrics())),
                Entry.get("/v1/info", new InfoRoute(ctx)),
                Entry.post("/v1/embed", new EmbedRoute(ctx, model)),
                Entry.post("/v1/search", new SearchRoute(ctx, model)),
                Entry.get("/v1/map", MapRoute.tracks(ctx)),
                Entry.get("/v1/map/points", MapRoute.points(ctx)),
                Entry.get("/v1/tracks/{key}/neighbours", new NeighboursRoute(ctx)),
                Entry.get("/v1/tracks/{key}/audio", new AudioRoute(ctx.audioRoot()))));
    }
}
