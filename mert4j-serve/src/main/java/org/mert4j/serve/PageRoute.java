package org.mert4j.serve;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/** One file of the catalogue page, from the jar. */
final class PageRoute implements Route {
    private final PageAssets.Asset asset;

    PageRoute(PageAssets.Asset asset) {
        this.asset = asset;
    }

    @Override
    public void answer(Request request, Response response, String key) {
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        Answers.send(response, 200, asset.contentType(), asset.bytes());
    }
}
