package org.mert4j.serve;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The outermost handler: counts every request once it completes, refused ones (401) included, labelled with
 * its route's pattern from the {@link RouteTable} (never the raw path, so the label set stays fixed).
 */
final class MetricsHandler extends Handler.Wrapper {
    private final Metrics metrics;
    private final RouteTable routes;

    MetricsHandler(Metrics metrics, RouteTable routes, Handler next) {
        super(next);
        this.metrics = metrics;
        this.routes = routes;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        long start = System.nanoTime();
        String method = request.getMethod();
        String route = routes.label(request.getHttpURI().getPath());
        Callback counted = new Callback() {
            @Override
            public void succeeded() {
                metrics.request(method, route, response.getStatus(), System.nanoTime() - start);
                callback.succeeded();
            }

            @Override
            public void failed(Throwable x) {
                // a response broken off, or one Jetty ends with its own error
                metrics.request(method, route, response.isCommitted() ? response.getStatus() : 500,
                        System.nanoTime() - start);
                callback.failed(x);
            }

            @Override
            public InvocationType getInvocationType() {
                return callback.getInvocationType();
            }
        };
        return super.handle(request, response, counted);
    }
}
