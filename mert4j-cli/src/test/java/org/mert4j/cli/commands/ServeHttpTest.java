package org.mert4j.cli.commands;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mert4j.serve.AudioRoot;
import org.mert4j.serve.MertServer;
import org.mert4j.serve.ServeSettings;
import org.mert4j.index.VectorIndex;
import org.mert4j.io.Npy;
import org.mert4j.model.EmbedOptions;
import org.mert4j.model.MertModel;
import org.mert4j.tensor.FloatArray;

/** {@code mert serve} over HTTP: every route and every error the service promises, with the tiny example model. */
class ServeHttpTest {
    static final String MODEL = Path.of("..", "examples", "tiny-mert").toString();
    static final Path AUDIO = Path.of("..", "examples", "audio");
    static final Path CHORDS = AUDIO.resolve("chords-24k.flac");
    static final Path ARPEGGIO = AUDIO.resolve("arpeggio-44k-stereo.mp3");
    static final ObjectMapper JSON = new ObjectMapper();
    static final long UPLOAD_LIMIT = 1 << 20;

    @TempDir
    static Path tmp;
    static Path feats;
    static Path root;
    static Path secret;
    static MertModel mert;
    static VectorIndex index;
    static MertServer server;
    static String base;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void start() throws Exception {
        feats = tmp.resolve("feats");
        Cli.Result e = Cli.run("embed", "--model", MODEL, "--out", feats.toString(), AUDIO.toString());
        assertEquals(0, e.exitCode(), e.toString());
        Path idx = tmp.resolve("idx");
        Cli.Result b = Cli.run("index", "build", "--embeddings", feats.toString(), "--layer", "-1", "--model", MODEL,
                "--out", idx.toString());
        assertEquals(0, b.exitCode(), b.toString());

        // the audio root: the catalogue's files, and a link that leads out of it to a file beside it
        root = Files.createDirectories(tmp.resolve("music"));
        Files.copy(CHORDS, root.resolve("chords-24k.flac"));
        Files.copy(ARPEGGIO, root.resolve("arpeggio-44k-stereo.mp3"));
        secret = Files.copy(CHORDS, tmp.resolve("secret.flac"));
        Files.createSymbolicLink(root.resolve("escape.flac"), secret.toAbsolutePath());
        Files.createDirectories(root.resolve("sub"));
        Files.createSymbolicLink(root.resolve("sub/out"), tmp.toAbsolutePath());

        mert = MertModel.load(Path.of(MODEL));
        index = VectorIndex.open(idx);
        server = start(new ServeSettings("127.0.0.1", 0, 8, 20, UPLOAD_LIMIT, 32, null, 5), index, new AudioRoot(root));
        base = "http://127.0.0.1:" + server.port();
    }

    static MertServer start(ServeSettings s, VectorIndex idx, AudioRoot audio) throws Exception {
        int[] all = EmbedOptions.MARBLE.resolveLayers(mert.config().numHiddenStates());
        return MertServer.start(s, mert.config(), "tiny-mert", (w, pool) -> mert.encodeWindows(w, all, pool), idx, audio);
    }

    @AfterAll
    static void stop() throws IOException {
        if (server != null) {
            server.close();
        }
        if (index != null) {
            index.close();
        }
        if (mert != null) {
            mert.close();
        }
    }

    static HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (headers.length > 0) {
            r.headers(headers);
        }
        return HTTP.send(r.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<byte[]> getBytes(String path, String... headers) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (headers.length > 0) {
            r.headers(headers);
        }
        return HTTP.send(r.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static HttpResponse<String> post(String path, byte[] body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/x-anything")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> r) throws IOException {
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r::toString);
        return JSON.readTree(r.body());
    }

    /** A 4xx with a JSON {"error"} naming the problem. */
    static void assertError(int status, HttpResponse<String> r, String inMessage) throws IOException {
        assertEquals(status, r.statusCode(), r.body());
        String error = json(r).path("error").asText();
        assertTrue(error.contains(inMessage), error);
    }

    static float[] flatten(JsonNode nested) {
        List<Float> out = new ArrayList<>();
        flatten(nested, out);
        float[] a = new float[out.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = out.get(i);
        }
        return a;
    }

    private static void flatten(JsonNode n, List<Float> out) {
        if (n.isArray()) {
            n.forEach(c -> flatten(c, out));
        } else {
            out.add(n.floatValue());
        }
    }

    static void assertClose(float[] want, float[] got, double tol) {
        assertEquals(want.length, got.length);
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], tol, "value " + i);
        }
    }

    static void assertHealthy() throws Exception {
        HttpResponse<String> h = get("/healthz");
        assertEquals(200, h.statusCode());
        assertEquals("ok", json(h).path("status").asText());
    }

    @Test
    void healthAndPrometheusMetrics() throws Exception {
        assertHealthy();
        assertEquals(200, post("/v1/embed", Files.readAllBytes(CHORDS)).statusCode());
        HttpResponse<String> m = get("/metrics");
        assertEquals(200, m.statusCode());
        assertTrue(m.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        String text = m.body();
        assertTrue(text.contains("mert_requests_total{method=\"POST\",route=\"/v1/embed\",status=\"200\"}"), text);
        for (String family : List.of("mert_request_duration_seconds_bucket{le=\"+Inf\"}", "mert_batch_size_bucket",
                "mert_queue_length ", "mert_windows_total ", "mert_windows_per_second ")) {
            assertTrue(text.contains(family), family + " in\n" + text);
        }
        assertTrue(windowsTotal() >= 2, text); // the 8 s file is two windows
    }

    static long windowsTotal() throws Exception {
        Matcher w = Pattern.compile("(?m)^mert_windows_total (\\d+)(?:\\.0)?$").matcher(get("/metrics").body());
        assertTrue(w.find());
        return Long.parseLong(w.group(1));
    }

    @Test
    void embedEqualsWhatMertEmbedWrites() throws Exception {
        for (Path audio : List.of(CHORDS, ARPEGGIO)) {
            String stem = audio.getFileName().toString().replaceAll("\\.[^.]+$", "");
            FloatArray want = Npy.readFloats(feats.resolve(stem + ".npy")); // mert embed's defaults: all layers, mean
            JsonNode got = json(post("/v1/embed", Files.readAllBytes(audio)));
            assertEquals("tiny-mert", got.path("model").asText());
            assertEquals("[3,64]", got.path("shape").toString());
            assertEquals("[0,1,2]", got.path("layers").toString());
            assertClose(want.data(), flatten(got.path("embedding")), 1e-5);
        }
        // the same options as mert embed --layers -1,0 --pool none: frames of every window, in time order
        Path frames = tmp.resolve("frames.npy");
        Cli.Result r = Cli.run("embed", "--model", MODEL, "--layers", "-1,0", "--pool", "none", "--out", frames.toString(),
                ARPEGGIO.toString());
        assertEquals(0, r.exitCode(), r.toString());
        FloatArray want = Npy.readFloats(frames);
        HttpResponse<String> resp = post("/v1/embed?layers=-1,0&pool=none", Files.readAllBytes(ARPEGGIO));
        assertEquals(200, resp.statusCode(), resp.body());
        JsonNode got = json(resp);
        assertEquals("[2,0]", got.path("layers").toString());
        assertEquals(Arrays.toString(want.shape()).replace(" ", ""), got.path("shape").toString());
        assertClose(want.data(), flatten(got.path("embedding")), 1e-5);
    }

    @Test
    void progressLinesComeBeforeTheAnswerWhenAsked() throws Exception {
        byte[] flac = Files.readAllBytes(CHORDS);
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/embed"))
                .header("Accept", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofByteArray(flac)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("application/x-ndjson", r.headers().firstValue("Content-Type").orElse(""));
        List<String> lines = r.body().lines().toList();
        assertTrue(lines.size() >= 3, r.body()); // two windows, then the answer
        double last = 0;
        for (String line : lines.subList(0, lines.size() - 1)) {
            double seconds = JSON.readTree(line).path("progress").path("seconds").asDouble();
            assertTrue(seconds > last, line);
            last = seconds;
        }
        assertEquals(8.0, last, 1e-3); // the whole 8 s file
        JsonNode answer = JSON.readTree(lines.get(lines.size() - 1));
        JsonNode plain = json(post("/v1/embed", flac));
        assertClose(flatten(plain.path("embedding")), flatten(answer.path("embedding")), 1e-5);

        // a failure before the first window is an ordinary error response
        HttpResponse<String> bad = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/search"))
                .header("Accept", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofByteArray("not audio".getBytes(StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertError(400, bad, "cannot decode");
        HttpResponse<String> search = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/search?k=1"))
                .header("Accept", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofByteArray(flac)).build(),
                HttpResponse.BodyHandlers.ofString());
        List<String> searchLines = search.body().lines().toList();
        assertEquals("chords-24k", JSON.readTree(searchLines.get(searchLines.size() - 1)).path("results").get(0)
                .path("track").asText(), search.body());
    }

    @Test
    void sixteenConcurrentClientsOfFourRequestsAreAllAnsweredAndBatched() throws Exception {
        byte[][] files = {Files.readAllBytes(CHORDS), Files.readAllBytes(ARPEGGIO)};
        long[] windowsOf = new long[2]; // windows of each file, counted on one request alone
        for (int f = 0; f < 2; f++) {
            long before = windowsTotal();
            assertEquals(200, post("/v1/embed", files[f]).statusCode());
            windowsOf[f] = windowsTotal() - before;
        }
        float[][] want = {Npy.readFloats(feats.resolve("chords-24k.npy")).data(),
            Npy.readFloats(feats.resolve("arpeggio-44k-stereo.npy")).data()};
        long batchesBefore = batches();
        long windowsBefore = windowsTotal();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Integer>> clients = new ArrayList<>();
            for (int c = 0; c < 16; c++) {
                int client = c;
                clients.add(pool.submit(() -> {
                    int ok = 0;
                    for (int i = 0; i < 4; i++) {
                        int f = (client + i) % 2;
                        HttpResponse<String> r = post("/v1/embed", files[f]);
                        assertEquals(200, r.statusCode(), r.body());
                        assertClose(want[f], flatten(json(r).path("embedding")), 1e-5);
                        ok++;
                    }
                    return ok;
                }));
            }
            int answered = 0;
            for (Future<Integer> f : clients) {
                answered += f.get(5, TimeUnit.MINUTES);
            }
            assertEquals(64, answered);
        } finally {
            pool.shutdownNow();
        }
        long windows = windowsTotal() - windowsBefore;
        long passes = batches() - batchesBefore;
        assertEquals(32 * windowsOf[0] + 32 * windowsOf[1], windows);
        assertTrue(passes < windows, passes + " forward passes for " + windows + " windows: nothing was batched");
        assertHealthy();
    }

    static long batches() throws Exception {
        Matcher m = Pattern.compile("(?m)^mert_batch_size_count (\\d+)(?:\\.0)?$").matcher(get("/metrics").body());
        assertTrue(m.find());
        return Long.parseLong(m.group(1));
    }

    @Test
    void badUploadsGet4xxAndTheServerStaysHealthy() throws Exception {
        byte[] flac = Files.readAllBytes(CHORDS);
        assertError(400, post("/v1/embed", new byte[0]), "empty upload");
        assertError(400, post("/v1/embed", "just some text, not audio\n".getBytes(StandardCharsets.UTF_8)),
                "cannot decode");
        assertError(400, post("/v1/embed", Arrays.copyOf(flac, 3000)), "truncated");
        assertError(400, post("/v1/embed", Arrays.copyOf(flac, flac.length / 2)), "truncated");
        byte[] wav = Files.readAllBytes(org.mert4j.testing.Wav.write(tmp.resolve("tone.wav"), 3.0, 24000, 3));
        assertError(400, post("/v1/embed", Arrays.copyOf(wav, wav.length * 6 / 10)), "truncated");
        assertError(400, post("/v1/search", Arrays.copyOf(flac, 200)), "");
        byte[] big = new byte[(int) UPLOAD_LIMIT + 1];
        new Random(1).nextBytes(big);
        assertError(413, post("/v1/embed", big), "larger than the limit");
        // without Content-Length (chunked): refused while it arrives
        HttpResponse<String> chunked = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/embed"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertError(413, chunked, "larger than the limit");
        assertError(400, post("/v1/embed?layers=7", flac), "layer");
        assertError(400, post("/v1/embed?pool=max", flac), "pool=max");
        assertError(400, post("/v1/search?k=0", flac), "k=0");
        assertError(405, get("/v1/embed"), "POST");
        assertError(404, get("/v1/nothing"), "no route");
        assertHealthy();
        assertEquals(200, post("/v1/embed", flac).statusCode());
    }

    @Test
    void searchAndNeighboursAnswerWithCatalogueTracks() throws Exception {
        Set<String> catalogue = Set.of("chords-24k", "arpeggio-44k-stereo");
        JsonNode s = json(post("/v1/search?k=5", Files.readAllBytes(CHORDS)));
        JsonNode results = s.path("results");
        assertEquals(2, results.size(), s.toString()); // k is capped at the catalogue's size
        Set<String> seen = new HashSet<>();
        results.forEach(r -> seen.add(r.path("track").asText()));
        assertEquals(catalogue, seen);
        assertEquals("chords-24k", results.get(0).path("track").asText()); // the file finds itself
        assertEquals(1.0, results.get(0).path("score").asDouble(), 1e-4);

        JsonNode n = json(get("/v1/tracks/chords-24k/neighbours?k=10"));
        assertEquals(1, n.path("results").size(), n.toString()); // the track itself is left out
        assertEquals("arpeggio-44k-stereo", n.path("results").get(0).path("track").asText());
        assertError(404, get("/v1/tracks/no-such-track/neighbours"), "not in the index");

        JsonNode map = json(get("/v1/map"));
        assertEquals(2, map.path("count").asInt());
        HttpResponse<byte[]> points = getBytes("/v1/map/points");
        assertEquals(200, points.statusCode());
        assertEquals(2 * 2 * 4, points.body().length); // x, y float32 per track
    }

    @Test
    void audioIsStreamedWithRanges() throws Exception {
        byte[] file = Files.readAllBytes(CHORDS);
        HttpResponse<byte[]> whole = getBytes("/v1/tracks/chords-24k/audio");
        assertEquals(200, whole.statusCode());
        assertEquals("audio/flac", whole.headers().firstValue("Content-Type").orElse(""));
        assertEquals("bytes", whole.headers().firstValue("Accept-Ranges").orElse(""));
        assertArrayEquals(file, whole.body());

        HttpResponse<byte[]> part = getBytes("/v1/tracks/chords-24k/audio", "Range", "bytes=100-199");
        assertEquals(206, part.statusCode());
        assertEquals("bytes 100-199/" + file.length, part.headers().firstValue("Content-Range").orElse(""));
        assertArrayEquals(Arrays.copyOfRange(file, 100, 200), part.body());

        HttpResponse<byte[]> tail = getBytes("/v1/tracks/chords-24k/audio", "Range", "bytes=-10");
        assertEquals(206, tail.statusCode());
        assertArrayEquals(Arrays.copyOfRange(file, file.length - 10, file.length), tail.body());

        HttpResponse<byte[]> open = getBytes("/v1/tracks/chords-24k/audio", "Range", "bytes=" + (file.length - 5) + "-");
        assertEquals(206, open.statusCode());
        assertEquals(5, open.body().length);

        HttpResponse<String> beyond = get("/v1/tracks/chords-24k/audio", "Range", "bytes=" + file.length + "-");
        assertError(416, beyond, "outside the file");
        assertEquals("bytes */" + file.length, beyond.headers().firstValue("Content-Range").orElse(""));
    }

    @Test
    void nothingOutsideTheAudioRootIsRead() throws Exception {
        String abs = secret.toAbsolutePath().toString().replaceAll("\\.flac$", "");
        for (String path : List.of(
                "/v1/tracks/../secret/audio",                                  // a plain dot-dot segment
                "/v1/tracks/..%2Fsecret/audio",                                // an encoded slash
                "/v1/tracks/%2E%2E%2Fsecret/audio",                            // encoded dots too
                "/v1/tracks/sub%2F..%2F..%2Fsecret/audio",                     // down and back out
                "/v1/tracks/" + abs.replace("/", "%2F") + "/audio",            // an absolute path
                "/v1/tracks/" + abs.substring(1) + "/audio",                   // its slashes unencoded
                "/v1/tracks/escape/audio",                                     // a link out of the root
                "/v1/tracks/sub%2Fout%2Fsecret/audio")) {                      // a linked folder out of it
            HttpResponse<String> r = get(path);
            assertEquals(404, r.statusCode(), path + ": " + r.body());
            assertError(404, r, "no audio");
        }
        // a path climbing above the URL's root never reaches a route: the parser refuses it, as JSON too
        assertError(400, get("/v1/tracks/../../../../etc/passwd/audio"), "Bad Request");
        // the control: the same file inside the root is served
        assertEquals(200, getBytes("/v1/tracks/chords-24k/audio").statusCode());
        assertHealthy();
    }

    @Test
    void thePageIsServedFromTheJar() throws Exception {
        HttpResponse<String> page = get("/");
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(page.body().contains("<input id=\"file\" type=\"file\""), page.body());
        assertTrue(page.body().contains("<canvas id=\"map\""), page.body());
        assertTrue(!page.body().contains("http://") && !page.body().contains("https://"), "no CDN");
        assertEquals(200, get("/static/app.js").statusCode());
        assertEquals(200, get("/static/style.css").statusCode());
        assertError(404, get("/static/../pom.xml"), "no route");
        assertError(400, get("/static/../../pom.xml"), "Bad Request"); // above the root: refused by the parser
    }

    @Test
    void aTokenGuardsEveryRouteButHealth() throws Exception {
        try (MertServer guarded = start(new ServeSettings("127.0.0.1", 0, 4, 5, UPLOAD_LIMIT, 4, "s3cret", 5), null,
                new AudioRoot(root))) {
            String b = "http://127.0.0.1:" + guarded.port();
            HttpClient noCookies = HttpClient.newHttpClient();
            for (String path : List.of("/", "/metrics", "/v1/info", "/v1/tracks/chords-24k/audio",
                    "/v1/tracks/chords-24k/neighbours", "/static/app.js")) {
                HttpResponse<String> r = noCookies.send(HttpRequest.newBuilder(URI.create(b + path)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertError(401, r, "token");
                assertEquals("Bearer", r.headers().firstValue("WWW-Authenticate").orElse(""));
                HttpResponse<String> wrong = noCookies.send(HttpRequest.newBuilder(URI.create(b + path))
                        .header("Authorization", "Bearer nope").build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(401, wrong.statusCode());
            }
            HttpResponse<String> post = noCookies.send(HttpRequest.newBuilder(URI.create(b + "/v1/embed"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(Files.readAllBytes(CHORDS))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertError(401, post, "token");
            assertEquals(200, noCookies.send(HttpRequest.newBuilder(URI.create(b + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            HttpResponse<String> embed = noCookies.send(HttpRequest.newBuilder(URI.create(b + "/v1/embed"))
                    .header("Authorization", "Bearer s3cret")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(Files.readAllBytes(CHORDS))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, embed.statusCode(), embed.body());
            // a browser: /?token= once, then a same-site cookie
            HttpResponse<String> login = noCookies.send(HttpRequest.newBuilder(URI.create(b + "/?token=s3cret")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(303, login.statusCode());
            String cookie = login.headers().firstValue("Set-Cookie").orElse("");
            assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), cookie);
            HttpResponse<String> page = noCookies.send(HttpRequest.newBuilder(URI.create(b + "/"))
                    .header("Cookie", cookie.substring(0, cookie.indexOf(';'))).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertEquals(401, noCookies.send(HttpRequest.newBuilder(URI.create(b + "/?token=wrong")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
        }
    }

    @Test
    void aFullQueueAnswers503WithRetryAfter() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        int[] all = EmbedOptions.MARBLE.resolveLayers(mert.config().numHiddenStates());
        // a queue of one request, whose forward pass waits until the test lets it go
        try (MertServer tiny = MertServer.start(new ServeSettings("127.0.0.1", 0, 4, 0, UPLOAD_LIMIT, 1, null, 5),
                mert.config(), "tiny-mert", (w, pool) -> {
                    entered.countDown();
                    try {
                        release.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return mert.encodeWindows(w, all, pool);
                }, null, null)) {
            String b = "http://127.0.0.1:" + tiny.port();
            byte[] flac = Files.readAllBytes(CHORDS);
            var first = HTTP.sendAsync(HttpRequest.newBuilder(URI.create(b + "/v1/embed"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(flac)).build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(entered.await(60, TimeUnit.SECONDS), "the first request never reached the model");
            HttpResponse<String> second = HTTP.send(HttpRequest.newBuilder(URI.create(b + "/v1/embed"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(flac)).build(), HttpResponse.BodyHandlers.ofString());
            assertError(503, second, "too many requests");
            assertEquals("1", second.headers().firstValue("Retry-After").orElse(""));
            release.countDown();
            assertEquals(200, first.get(60, TimeUnit.SECONDS).statusCode());
            // room again once the first is answered
            assertEquals(200, HTTP.send(HttpRequest.newBuilder(URI.create(b + "/v1/embed"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(flac)).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
        } finally {
            release.countDown();
        }
    }
}
