package org.mert4j.serve;

import java.io.IOException;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/** One route of the service: answers a request the {@link RouteTable} matched to it, or throws {@link ApiException}. */
interface Route {
    /**
     * @param key the decoded {@code {key}} of the route's pattern, or null when the pattern has none
     */
    void answer(Request request, Response response, String key) throws IOException;
}
