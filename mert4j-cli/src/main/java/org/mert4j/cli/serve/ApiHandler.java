package org.mert4j.cli.serve;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.mert4j.cli.EmbeddingJson;
import org.mert4j.cli.LayerSpec;
import org.mert4j.index.Neighbour;
import org.mert4j.model.EmbedOptions;
import org.mert4j.tensor.FloatArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routes of {@code mert serve}: authorisation, dispatch, JSON errors and request metrics. Every failure of
 * a request ends that request only, as a JSON {@code {"error"}} with a 4xx or 5xx status.
 */
final class ApiHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory JSON_FACTORY = new JsonFactory();
    private static final String TRACKS = "/v1/tracks/";
    static final String TOKEN_COOKIE = "mert_token";
    private static final int MAX_K = 1000;

    private final ServeContext ctx;
    private final Semaphore admitted;
    private final PageAssets page = new PageAssets();

    ApiHandler(ServeContext ctx) {
        this.ctx = ctx;
        this.admitted = new Semaphore(ctx.settings().maxQueue());
    }

    /** Requests being embedded or waiting for the model. */
    int inFlight() {
        return ctx.settings().maxQueue() - admitted.availablePermits();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        long start = System.nanoTime();
        String method = request.getMethod();
        String path = request.getHttpURI().getPath();
        String route = routeOf(path);
        int status;
        boolean errorSent = true;
        try {
            status = dispatch(method, path, request, response);
        } catch (ApiException e) {
            status = e.status();
            errorSent = error(request, response, e);
        } catch (Throwable t) {
            // no request can take the server down: anything unexpected is this request's 500
            LOG.warn("{} {} failed", method, route, t);
            status = 500;
            errorSent = error(request, response, new ApiException(500, "internal error: " + (t.getMessage() == null
                    ? t.getClass().getSimpleName() : t.getMessage())));
        }
        ctx.metrics().request(method, route, status, System.nanoTime() - start);
        if (status >= 400 && response.isCommitted() && !errorSent) {
            callback.failed(new IOException("response broken off")); // a half-sent file: the connection ends
        } else {
            callback.succeeded();
        }
        return true;
    }

    /** The route pattern of a path, for metrics (track keys left out so the label set stays small). */
    static String routeOf(String path) {
        if (path == null) {
            return "other";
        }
        if (path.startsWith(TRACKS)) {
            if (path.endsWith("/neighbours")) {
                return "/v1/tracks/{key}/neighbours";
            }
            if (path.endsWith("/audio")) {
                return "/v1/tracks/{key}/audio";
            }
            return "other";
        }
        return switch (path) {
            case "/", "/static/app.js", "/static/style.css", "/healthz", "/metrics", "/v1/embed", "/v1/search",
                    "/v1/info", "/v1/map", "/v1/map/points" -> path;
            default -> "other";
        };
    }

    private int dispatch(String method, String path, Request request, Response response) throws IOException {
        if (path == null) {
            throw new ApiException(400, "no path");
        }
        if (path.equals("/healthz")) {
            requireGet(method);
            return json(response, 200, Map.of("status", "ok"));
        }
        if (path.equals("/") && ctx.settings().token() != null && tokenParameter(request) != null) {
            return exchangeToken(request, response);
        }
        authorise(request);
        PageAssets.Asset asset = page.get(path);
        if (asset != null) {
            requireGet(method);
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
            return send(response, 200, asset.contentType(), asset.bytes());
        }
        switch (path) {
            case "/metrics" -> {
                requireGet(method);
                return send(response, 200, "text/plain; version=0.0.4; charset=utf-8",
                        ctx.metrics().prometheus().getBytes(StandardCharsets.UTF_8));
            }
            case "/v1/info" -> {
                requireGet(method);
                return json(response, 200, info());
            }
            case "/v1/embed" -> {
                requirePost(method);
                return embed(request, response);
            }
            case "/v1/search" -> {
                requirePost(method);
                return search(request, response);
            }
            case "/v1/map" -> {
                requireGet(method);
                CatalogueMap map = requireMap();
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("count", map.tracks().size());
                body.put("tracks", map.tracks());
                return json(response, 200, body);
            }
            case "/v1/map/points" -> {
                requireGet(method);
                return send(response, 200, "application/octet-stream", requireMap().pointBytes());
            }
            default -> { }
        }
        if (path.startsWith(TRACKS) && path.endsWith("/neighbours")) {
            requireGet(method);
            return neighbours(trackKey(path, "/neighbours"), request, response);
        }
        if (path.startsWith(TRACKS) && path.endsWith("/audio")) {
            if (!method.equals("GET") && !method.equals("HEAD")) {
                throw new ApiException(405, method + " is not allowed here: use GET");
            }
            return audio(trackKey(path, "/audio"), request, response, method.equals("HEAD"));
        }
        throw new ApiException(404, "no route " + path);
    }

    // ---- security

    private void authorise(Request request) {
        String token = ctx.settings().token();
        if (token == null) {
            return;
        }
        String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) && matches(header.substring(7).strip(), token)) {
            return;
        }
        for (HttpCookie c : Request.getCookies(request)) {
            if (c.getName().equals(TOKEN_COOKIE) && matches(c.getValue(), token)) {
                return;
            }
        }
        throw new ApiException(401, "missing or wrong token: send Authorization: Bearer TOKEN");
    }

    /** Constant time, so the token cannot be guessed byte by byte from response times. */
    private static boolean matches(String given, String token) {
        return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8));
    }

    private static String tokenParameter(Request request) {
        return Request.extractQueryParameters(request).getValue("token");
    }

    /**
     * {@code GET /?token=T}: a browser cannot send a bearer header when it opens the page, so the right token
     * becomes a cookie (HttpOnly, SameSite=Strict: other sites' pages cannot use it) and the page reloads
     * without it in the address.
     */
    private int exchangeToken(Request request, Response response) {
        if (!matches(tokenParameter(request), ctx.settings().token())) {
            throw new ApiException(401, "wrong token");
        }
        response.getHeaders().add(HttpHeader.SET_COOKIE, TOKEN_COOKIE + "=" + ctx.settings().token()
                + "; Path=/; HttpOnly; SameSite=Strict");
        response.getHeaders().put(HttpHeader.LOCATION, "/");
        return send(response, 303, "text/plain; charset=utf-8", new byte[0]);
    }

    // ---- routes

    private Map<String, Object> info() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", ctx.modelName());
        body.put("hidden_states", ctx.config().numHiddenStates());
        body.put("sample_rate", ctx.config().sampleRate());
        body.put("max_upload_bytes", ctx.settings().maxUploadBytes());
        if (ctx.index() != null) {
            Map<String, Object> idx = new LinkedHashMap<>();
            idx.put("tracks", ctx.index().size());
            idx.put("layer", ctx.index().metadata().layer());
            idx.put("dimension", ctx.index().metadata().dimension());
            body.put("index", idx);
        } else {
            body.put("index", null);
        }
        body.put("audio", ctx.audioRoot() != null);
        return body;
    }

    private int embed(Request request, Response response) throws IOException {
        Fields q = Request.extractQueryParameters(request);
        int[] layers = layers(q.getValue("layers"));
        EmbedOptions.Pool pool = pool(q.getValue("pool"));
        ProgressStream progress = ProgressStream.of(request, response, ctx.config().sampleRate());
        try {
            FloatArray values = embedUpload(request, layers, pool, progress);
            ByteArrayOutputStream buf = new ByteArrayOutputStream(1 << 14);
            try (JsonGenerator g = JSON_FACTORY.createGenerator(buf)) {
                g.writeStartObject();
                g.writeStringField("model", ctx.modelName());
                EmbeddingJson.writeFields(g, values, layers);
                g.writeEndObject();
            }
            return answer(response, progress, buf.toByteArray());
        } catch (RuntimeException e) {
            return failAfterProgress(progress, e);
        }
    }

    private int search(Request request, Response response) throws IOException {
        int k = k(request);
        var index = requireIndex();
        ProgressStream progress = ProgressStream.of(request, response, ctx.config().sampleRate());
        try {
            float[] v = embedUpload(request, new int[] {index.metadata().layer()}, EmbedOptions.Pool.MEAN, progress)
                    .row(0);
            return answer(response, progress, JSON.writeValueAsBytes(Map.of("results", resultList(index.search(v, k)))));
        } catch (RuntimeException e) {
            return failAfterProgress(progress, e);
        }
    }

    /** The answer: a JSON body, or the last line of a progress stream. */
    private static int answer(Response response, ProgressStream progress, byte[] json) throws IOException {
        if (progress != null && progress.committed()) {
            progress.finish(json);
            return 200;
        }
        return send(response, 200, "application/json", json);
    }

    /** A failure once progress lines went out is the stream's last line; before, an ordinary error. */
    private static int failAfterProgress(ProgressStream progress, RuntimeException e) {
        if (progress == null || !progress.committed()) {
            throw e;
        }
        ApiException a = e instanceof ApiException api ? api : new ApiException(500, "internal error: "
                + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        if (a.status() == 500) {
            LOG.warn("request failed after its progress lines", e);
        }
        progress.fail(a);
        return a.status();
    }

    private int neighbours(String key, Request request, Response response) throws IOException {
        int k = k(request);
        var index = requireIndex();
        List<Neighbour> found;
        try {
            found = index.similarTo(key, k);
        } catch (IllegalArgumentException e) {
            throw new ApiException(404, e.getMessage());
        }
        return results(response, found);
    }

    private int results(Response response, List<Neighbour> found) throws IOException {
        return json(response, 200, Map.of("results", resultList(found)));
    }

    private static List<Map<String, Object>> resultList(List<Neighbour> found) {
        List<Map<String, Object>> list = new java.util.ArrayList<>(found.size());
        for (Neighbour n : found) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("track", n.track());
            r.put("score", n.cosine());
            list.add(r);
        }
        return list;
    }

    /** The features of the request body; admission first, so a full queue answers before the upload is read. */
    private FloatArray embedUpload(Request request, int[] layers, EmbedOptions.Pool pool, ProgressStream progress)
            throws IOException {
        if (!admitted.tryAcquire()) {
            throw new ApiException(503, "too many requests waiting for the model (" + ctx.settings().maxQueue()
                    + ", --max-queue): try again shortly", "1");
        }
        try (Upload upload = Upload.read(request, ctx.tempDir(), ctx.settings().maxUploadBytes())) {
            return ctx.embedder().embed(upload.file(), layers, pool, progress == null ? null : progress::progress);
        } finally {
            admitted.release();
        }
    }

    private int audio(String key, Request request, Response response, boolean head) throws IOException {
        AudioRoot root = ctx.audioRoot();
        if (root == null) {
            throw new ApiException(404, "this server serves no audio (start it with --audio-root)");
        }
        Optional<Path> found = root.find(key);
        if (found.isEmpty()) {
            throw new ApiException(404, "no audio for track " + key + " under the audio root");
        }
        Path file = found.get();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteRange range;
            try {
                range = ByteRange.parse(request.getHeaders().get(HttpHeader.RANGE), size);
            } catch (ApiException e) {
                response.getHeaders().put(HttpHeader.CONTENT_RANGE, "bytes */" + size);
                throw e;
            }
            long first = range == null ? 0 : range.first();
            long length = range == null ? size : range.length();
            int status = range == null ? 200 : 206;
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType(file));
            response.getHeaders().put(HttpHeader.ACCEPT_RANGES, "bytes");
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
            if (range != null) {
                response.getHeaders().put(HttpHeader.CONTENT_RANGE,
                        "bytes " + range.first() + "-" + range.last() + "/" + size);
            }
            try (OutputStream out = Content.Sink.asOutputStream(response)) {
                if (!head) {
                    ByteBuffer buf = ByteBuffer.allocate(1 << 16);
                    long pos = first;
                    long end = first + length;
                    while (pos < end) {
                        buf.clear().limit((int) Math.min(buf.capacity(), end - pos));
                        int n = ch.read(buf, pos);
                        if (n < 0) {
                            break;
                        }
                        out.write(buf.array(), 0, n);
                        pos += n;
                    }
                }
            }
            return status;
        }
    }

    // ---- parameters

    private int[] layers(String text) {
        if (text == null) {
            return LayerSpec.ALL.resolve(ctx.config().numHiddenStates());
        }
        try {
            return LayerSpec.parse(text).resolve(ctx.config().numHiddenStates());
        } catch (RuntimeException e) {
            throw new ApiException(400, e.getMessage().replace("--layers", "layers="));
        }
    }

    private static EmbedOptions.Pool pool(String text) {
        if (text == null || text.equals("mean")) {
            return EmbedOptions.Pool.MEAN;
        }
        if (text.equals("none")) {
            return EmbedOptions.Pool.NONE;
        }
        throw new ApiException(400, "pool=" + text + ": expected mean or none");
    }

    private static int k(Request request) {
        String text = Request.extractQueryParameters(request).getValue("k");
        if (text == null) {
            return 10;
        }
        try {
            int k = Integer.parseInt(text.strip());
            if (k >= 1 && k <= MAX_K) {
                return k;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ApiException(400, "k=" + text + ": expected a whole number from 1 to " + MAX_K);
    }

    private org.mert4j.index.VectorIndex requireIndex() {
        if (ctx.index() == null) {
            throw new ApiException(404, "this server has no index (start it with --index)");
        }
        return ctx.index();
    }

    private CatalogueMap requireMap() {
        requireIndex();
        return ctx.map();
    }

    /** The key between {@code /v1/tracks/} and the suffix, percent-decoded ({@code %2F} is a slash in the key). */
    static String trackKey(String path, String suffix) {
        String raw = path.substring(TRACKS.length(), path.length() - suffix.length());
        StringBuilder b = new StringBuilder(raw.length());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < raw.length(); ) {
            char c = raw.charAt(i);
            if (c == '%') {
                bytes.reset();
                while (i < raw.length() && raw.charAt(i) == '%') {
                    if (i + 2 >= raw.length()) {
                        throw new ApiException(404, "malformed track key " + raw);
                    }
                    int hi = Character.digit(raw.charAt(i + 1), 16);
                    int lo = Character.digit(raw.charAt(i + 2), 16);
                    if (hi < 0 || lo < 0) {
                        throw new ApiException(404, "malformed track key " + raw);
                    }
                    bytes.write(hi * 16 + lo);
                    i += 3;
                }
                b.append(bytes.toString(StandardCharsets.UTF_8));
            } else {
                b.append(c);
                i++;
            }
        }
        return b.toString();
    }

    private static void requireGet(String method) {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            throw new ApiException(405, method + " is not allowed here: use GET");
        }
    }

    private static void requirePost(String method) {
        if (!method.equals("POST")) {
            throw new ApiException(405, method + " is not allowed here: POST the audio file's bytes");
        }
    }

    private static String contentType(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        String ext = name.substring(name.lastIndexOf('.') + 1);
        return switch (ext) {
            case "mp3" -> "audio/mpeg";
            case "flac" -> "audio/flac";
            case "wav" -> "audio/wav";
            case "ogg", "oga", "opus" -> "audio/ogg";
            case "m4a", "aac", "mp4" -> "audio/mp4";
            case "webm" -> "audio/webm";
            case "aiff", "aif" -> "audio/aiff";
            default -> "application/octet-stream";
        };
    }

    // ---- responses

    private static int json(Response response, int status, Object body) throws IOException {
        return send(response, status, "application/json", JSON.writeValueAsBytes(body));
    }

    private static int send(Response response, int status, String type, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        try (OutputStream out = Content.Sink.asOutputStream(response)) {
            out.write(body);
        } catch (IOException e) {
            // the client went away: nothing left to tell it
            LOG.debug("response not sent: {}", e.toString());
        }
        return status;
    }

    /** Sends the error as JSON; false when part of a body was out already (a file being streamed). */
    private static boolean error(Request request, Response response, ApiException e) {
        if (response.isCommitted()) {
            return false;
        }
        if ("POST".equals(request.getMethod())) {
            // the upload may be refused before it was read: Jetty then drops the connection, so tell the client
            // not to send its next request on it (else that request meets a closed socket)
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        if (e.status() == 401) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
        }
        if (e.retryAfter() != null) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, e.retryAfter());
        }
        try {
            send(response, e.status(), "application/json", JSON.writeValueAsBytes(Map.of("error",
                    e.getMessage() == null ? "error" : e.getMessage())));
        } catch (IOException io) {
            LOG.debug("error response not sent: {}", io.toString());
        }
        return true;
    }
}
