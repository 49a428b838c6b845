package org.mert4j.serve;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The bearer token every route but {@code /healthz} needs when the server has one: a request without it is
 * answered 401 here, before any route runs. A browser cannot send a bearer header when it opens the page, so
 * {@code GET /?token=T} exchanges the right token for a cookie (HttpOnly, SameSite=Strict: other sites' pages
 * cannot use it) and reloads the page without it in the address.
 */
final class TokenHandler extends Handler.Wrapper {
    static final String COOKIE = "mert_token";

    private final String token;

    /** @param token the token, or null to let every request through */
    TokenHandler(String token, Handler next) {
        super(next);
        this.token = token;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = request.getHttpURI().getPath();
        if (token == null || "/healthz".equals(path)) {
            return super.handle(request, response, callback);
        }
        String given = Request.extractQueryParameters(request).getValue("token");
        if ("/".equals(path) && given != null) {
            exchange(given, request, response);
        } else if (authorised(request)) {
            return super.handle(request, response, callback);
        } else {
            Answers.error(request, response, new ApiException(401,
                    "missing or wrong token: send Authorization: Bearer TOKEN"));
        }
        callback.succeeded();
        return true;
    }

    private boolean authorised(Request request) {
        String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) && matches(header.substring(7).strip())) {
            return true;
        }
        for (HttpCookie c : Request.getCookies(request)) {
            if (c.getName().equals(COOKIE) && matches(c.getValue())) {
                return true;
            }
        }
        return false;
    }

    private void exchange(String given, Request request, Response response) {
        if (!matches(given)) {
            Answers.error(request, response, new ApiException(401, "wrong token"));
            return;
        }
        response.getHeaders().add(HttpHeader.SET_COOKIE, COOKIE + "=" + token + "; Path=/; HttpOnly; SameSite=Strict");
        response.getHeaders().put(HttpHeader.LOCATION, "/");
        Answers.send(response, 303, "text/plain; charset=utf-8", new byte[0]);
    }

    /** Constant time, so the token cannot be guessed byte by byte from response times. */
    private boolean matches(String given) {
        return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8));
    }
}
