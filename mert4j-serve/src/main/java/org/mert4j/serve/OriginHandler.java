package org.mert4j.serve;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Only requests meant for this server, from its own page or from clients that are not browsers, reach the routes
 * (403 otherwise; {@code /healthz} is always answered):
 * <ul>
 * <li>DNS rebinding: a page of another site whose name was made to resolve to this address sends its own name in
 * {@code Host}. Accepted are IP addresses (a name cannot be rebound to them), {@code localhost}, the bound
 * {@code --host} and the names of {@code --allowed-host}.</li>
 * <li>Cross-site requests: a browser sends a form or a {@code text/plain} POST to any address without asking
 * first. Anything but GET and HEAD is refused when {@code Origin} names another host than {@code Host}, or
 * {@code Sec-Fetch-Site} says the request comes from another site.</li>
 * </ul>
 */
final class OriginHandler extends Handler.Wrapper {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Set<String> OWN_SITE = Set.of("same-origin", "none");

    private final Set<String> names;

    /** @param host the bound address; @param allowed further host names the user allows */
    OriginHandler(String host, List<String> allowed, Handler next) {
        super(next);
        this.names = java.util.stream.Stream.concat(java.util.stream.Stream.of("localhost", host), allowed.stream())
                .map(n -> n.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String refusal = "/healthz".equals(request.getHttpURI().getPath()) ? null : refusal(request);
        if (refusal == null) {
            return super.handle(request, response, callback);
        }
        Answers.error(request, response, new ApiException(403, refusal));
        callback.succeeded();
        return true;
    }

    private String refusal(Request request) {
        String host = request.getHeaders().get(HttpHeader.HOST);
        if (host != null && !allowedHost(hostName(host))) {
            return "Host " + host + " is not a name of this server: start it with --allowed-host "
                    + hostName(host) + " to accept it";
        }
        String method = request.getMethod();
        if (method.equals("GET") || method.equals("HEAD")) {
            return null;
        }
        String site = request.getHeaders().get("Sec-Fetch-Site");
        if (site != null && !OWN_SITE.contains(site.toLowerCase(Locale.ROOT))) {
            return "cross-site " + method + " refused (Sec-Fetch-Site: " + site + ")";
        }
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        if (origin != null && (host == null || !host.equalsIgnoreCase(authority(origin)))) {
            return "cross-site " + method + " refused (Origin " + origin + " is not this server)";
        }
        return null;
    }

    private boolean allowedHost(String name) {
        return names.contains(name) || IPV4.matcher(name).matches() || name.startsWith("[");
    }

    /** The name of a Host header without its port, lower case ({@code [::1]} keeps its brackets). */
    static String hostName(String host) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(0, end + 1);
        }
        int colon = h.lastIndexOf(':');
        return colon < 0 ? h : h.substring(0, colon);
    }

    /** {@code host[:port]} of an Origin, or "" when it is none ({@code null}, malformed). */
    private static String authority(String origin) {
        try {
            String a = URI.create(origin.strip()).getRawAuthority();
            return a == null ? "" : a;
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
