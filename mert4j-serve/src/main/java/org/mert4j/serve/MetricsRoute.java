package org.mert4j.serve;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/** {@code GET /metrics}: the Prometheus text exposition. */
final class MetricsRoute implements Route {
    private final Metrics metrics;

    MetricsRoute(Metrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void answer(Request request, Response response, String key) {
        Answers.send(response, 200, Metrics.CONTENT_TYPE, metrics.prometheus());
    }
}
