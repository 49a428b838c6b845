package org.mert4j.serve;

import java.io.IOException;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The innermost handler: finds the request's route in the {@link RouteTable}, checks its method and runs it.
 * Every failure ends this request only, as a JSON {@code {"error"}} with a 4xx or 5xx status.
 */
final class Router extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(Router.class);

    private final RouteTable routes;

    Router(RouteTable routes) {
        this.routes = routes;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String method = request.getMethod();
        String path = request.getHttpURI().getPath();
        boolean failed = false;
        boolean errorSent = true;
        try {
            RouteTable.Match m = routes.match(path);
            if (m == null) {
                throw new ApiException(404, "no route " + path);
            }
            m.entry().checkMethod(method);
            m.entry().route().answer(request, response, m.rawKey() == null ? null : KeySegment.decode(m.rawKey()));
        } catch (ApiException e) {
            failed = true;
            errorSent = Answers.error(request, response, e);
        } catch (Throwable t) {
            // no request can take the server down: anything unexpected is this request's 500
            LOG.warn("{} {} failed", method, routes.label(path), t);
            failed = true;
            errorSent = Answers.error(request, response, new ApiException(500, "internal error: "
                    + (t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage())));
        }
        if (failed && response.isCommitted() && !errorSent) {
            callback.failed(new IOException("response broken off")); // a half-sent file: the connection ends
        } else {
            callback.succeeded();
        }
        return true;
    }
}
