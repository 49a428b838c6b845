package org.mert4j.serve;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/** The page's files, read once from the jar: a fixed list, so no request path ever names a resource. */
final class PageAssets {
    record Asset(byte[] bytes, String contentType) {}

    private static final String DIR = "/org/mert4j/serve/page/";
    private final Map<String, Asset> assets;

    PageAssets() {
        assets = Map.of(
                "/", load("index.html", "text/html; charset=utf-8"),
                "/static/app.js", load("app.js", "text/javascript; charset=utf-8"),
                "/static/style.css", load("style.css", "text/css; charset=utf-8"));
    }

    /** The asset served at {@code path}, or null. */
    Asset get(String path) {
        return assets.get(path);
    }

    private static Asset load(String name, String type) {
        try (InputStream in = PageAssets.class.getResourceAsStream(DIR + name)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks " + DIR + name);
            }
            return new Asset(in.readAllBytes(), type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
