package org.mert4j.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mert4j.testing.HubStandIn;
import org.mert4j.testing.ScriptedHttpServer;

/** Downloads from servers that misbehave: a stalled body, more bytes than announced, errors, unsafe headers. */
class HubDownloadLimitsTest {
    static final String REPO = "org/model";
    static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
    static final String FILE = "model.safetensors";
    static final byte[] BODY = new byte[1000];

    static {
        for (int i = 0; i < BODY.length; i++) {
            BODY[i] = (byte) (i * 31 + 7);
        }
    }

    private static HubSettings settings(Path cache, String endpoint) {
        return new HubSettings(cache, URI.create(endpoint), null, false, 0, Duration.ZERO);
    }

    private static void write(OutputStream out, String head) throws IOException {
        out.write(ScriptedHttpServer.ascii(head));
    }

    /** The Hub's answer to HEAD for a file with this ETag and size (no body). */
    private static String metadata(String etag, long size) {
        return "HTTP/1.1 200 OK\r\nX-Repo-Commit: " + COMMIT + "\r\nETag: \"" + etag + "\"\r\nContent-Length: " + size
                + "\r\nConnection: close\r\n\r\n";
    }

    private static Path fetch(Path cache, HubSettings s, DownloadListener listener) throws IOException {
        RepoId id = RepoId.parse(REPO);
        return new HubFiles(id, new HubCache(cache, id), new HubClient(s), listener).fetch("main", FILE);
    }

    /** A listener that keeps the largest byte count reported and the warnings. */
    private static final class Seen implements DownloadListener {
        final AtomicLong most = new AtomicLong();
        final List<String> warnings = new ArrayList<>();

        @Override
        public void started(String repo, String file, long size, long resumedFrom) {}

        @Override
        public void progress(long bytes) {
            most.accumulateAndGet(bytes, Math::max);
        }

        @Override
        public void finished() {}

        @Override
        public void warning(String message) {
            warnings.add(message);
        }
    }

    @Test
    void aStalledBodyTimesOutAndKeepsWhatCameForTheNextRun(@TempDir Path tmp) throws Exception {
        String sha = HubStandIn.sha256(BODY);
        try (ScriptedHttpServer hub = ScriptedHttpServer.start((method, path, out) -> {
            if (method.equals("HEAD")) {
                write(out, metadata(sha, BODY.length));
                return;
            }
            write(out, "HTTP/1.1 200 OK\r\nContent-Length: " + BODY.length + "\r\n\r\n");
            out.write(BODY, 0, 500);
            out.flush();
            Thread.sleep(30_000); // half the body, then nothing
        })) {
            HubSettings s = settings(tmp, hub.endpoint()).withReadTimeout(Duration.ofMillis(500));
            HubException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> assertThrows(HubException.class, () -> fetch(tmp, s, DownloadListener.NONE)));
            assertEquals(HubException.Kind.NETWORK, e.kind());
            assertTrue(e.getMessage().contains("nothing received for 0.5 s (HF_HUB_DOWNLOAD_TIMEOUT)"), e.getMessage());
            Path incomplete = tmp.resolve("models--org--model/blobs").resolve(sha + ".incomplete");
            assertEquals(500, Files.size(incomplete)); // kept: the next run resumes from there
        }
        HubSettings fromEnv = HubSettings.from(name -> name.equals("HF_HUB_DOWNLOAD_TIMEOUT") ? "2.5" : null);
        assertEquals(Duration.ofMillis(2500), fromEnv.readTimeout());
        assertEquals(Duration.ofSeconds(10), HubSettings.from(name -> null).readTimeout());
        assertThrows(IllegalArgumentException.class,
                () -> HubSettings.from(name -> name.equals("HF_HUB_DOWNLOAD_TIMEOUT") ? "soon" : null));
    }

    @Test
    void noMoreThanTheAnnouncedSizeIsEverWritten(@TempDir Path tmp) throws Exception {
        String sha = HubStandIn.sha256(BODY);
        long endless = 50L << 20;
        // a body announced longer than the file: refused before a byte is written
        try (ScriptedHttpServer hub = ScriptedHttpServer.start((method, path, out) -> {
            write(out, method.equals("HEAD") ? metadata(sha, BODY.length)
                    : "HTTP/1.1 200 OK\r\nContent-Length: " + endless + "\r\n\r\n");
            for (long sent = 0; method.equals("GET") && sent < endless; sent += BODY.length) {
                out.write(BODY);
            }
        })) {
            Seen seen = new Seen();
            HubException e = assertThrows(HubException.class, () -> fetch(tmp.resolve("a"), settings(tmp.resolve("a"),
                    hub.endpoint()), seen));
            assertEquals(HubException.Kind.CORRUPT, e.kind());
            assertTrue(e.getMessage().contains("announced 1000"), e.getMessage());
            assertEquals(0, seen.most.get());
            try (Stream<Path> files = Files.walk(tmp.resolve("a"))) {
                assertTrue(files.noneMatch(p -> p.toString().contains("blobs") && Files.isRegularFile(p)));
            }
        }
        // a body of no stated length that goes on past the file: the download stops at the announced size
        try (ScriptedHttpServer hub = ScriptedHttpServer.start((method, path, out) -> {
            write(out, method.equals("HEAD") ? metadata(sha, BODY.length) : "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n");
            if (method.equals("GET")) {
                out.write(BODY);
                for (long sent = 0; sent < endless; sent += BODY.length) {
                    out.write(new byte[BODY.length]);
                }
            }
        })) {
            Seen seen = new Seen();
            Path file = fetch(tmp.resolve("b"), settings(tmp.resolve("b"), hub.endpoint()), seen);
            assertArrayEquals(BODY, Files.readAllBytes(file));
            assertEquals(BODY.length, seen.most.get());
        }
    }

    @Test
    void aHubAnsweringServerErrorsFallsBackToACompleteCachedCopy(@TempDir Path tmp) throws Exception {
        Path cache = tmp.resolve("hub");
        String repo = "m-a-p/tiny-test";
        Path snapshot;
        try (HubStandIn hub = HubStandIn.start().serve(repo, HubModelsTest.MODEL)) {
            snapshot = HubModels.snapshot(RepoId.parse(repo), settings(cache, hub.endpoint()), DownloadListener.NONE);
        }
        try (ScriptedHttpServer down = ScriptedHttpServer.start((method, path, out) ->
                write(out, "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"))) {
            Seen seen = new Seen();
            assertEquals(snapshot, HubModels.snapshot(RepoId.parse(repo), settings(cache, down.endpoint()), seen));
            assertTrue(seen.warnings.get(0).contains("500") && seen.warnings.get(0).contains("as cached"),
                    seen.warnings.toString());
            // nothing cached: the error itself, not "cannot reach"
            HubException e = assertThrows(HubException.class, () -> HubModels.snapshot(RepoId.parse(repo),
                    settings(tmp.resolve("empty"), down.endpoint()), DownloadListener.NONE));
            assertEquals(HubException.Kind.BAD_RESPONSE, e.kind());
            assertTrue(e.getMessage().contains("answered 500") && !e.getMessage().contains("cannot reach"),
                    e.getMessage());
        }
    }

    @Test
    void oddRedirectsAndEtagsAreNamedAndLeaveNothingInTheCache(@TempDir Path tmp) throws Exception {
        String longEtag = "a".repeat(300);
        List<String[]> cases = List.of(
                new String[] {"HTTP/1.1 302 Found\r\nLocation: file:///etc/passwd\r\n", "redirect to"
                        + " 'file:///etc/passwd'; only http and https URLs are followed"},
                new String[] {"HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:1/a b\r\n", "with a Location that is"
                        + " not a URL ('http://127.0.0.1:1/a b'"},
                new String[] {"HTTP/1.1 200 OK\r\nX-Repo-Commit: " + COMMIT + "\r\nETag: \".\"\r\n",
                        "answered with the ETag '.', which cannot name a file in the cache"},
                new String[] {"HTTP/1.1 200 OK\r\nX-Repo-Commit: " + COMMIT + "\r\nETag: \"" + longEtag + "\"\r\n",
                        "(300 characters)', which cannot name a file in the cache"});
        int n = 0;
        for (String[] c : cases) {
            Path cache = tmp.resolve("cache" + n++);
            try (ScriptedHttpServer hub = ScriptedHttpServer.start((method, path, out) ->
                    write(out, c[0] + "Content-Length: 0\r\nConnection: close\r\n\r\n"))) {
                HubException e = assertThrows(HubException.class, () -> HubModels.snapshot(RepoId.parse(REPO),
                        settings(cache, hub.endpoint()), DownloadListener.NONE), c[1]);
                assertEquals(HubException.Kind.BAD_RESPONSE, e.kind(), e.getMessage());
                assertTrue(e.getMessage().contains(c[1]), e.getMessage());
                assertFalse(e.getMessage().contains("cannot reach"), e.getMessage());
            }
            assertFalse(Files.exists(cache.resolve("models--org--model/blobs")), c[1]);
            assertFalse(Files.exists(cache.resolve(".locks")), c[1]);
        }
    }

    @Test
    void aShardNameWithANulCharacterIsNamedAsTheProblem(@TempDir Path tmp) throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("nul"));
        Files.copy(HubModelsTest.MODEL.resolve("config.json"), folder.resolve("config.json"));
        Files.writeString(folder.resolve("model.safetensors.index.json"),
                "{\"metadata\": {}, \"weight_map\": {\"w\": \"model\\u0000.safetensors\"}}");
        try (HubStandIn hub = HubStandIn.start().serve("org/nul", folder)) {
            HubException e = assertThrows(HubException.class, () -> HubModels.snapshot(RepoId.parse("org/nul"),
                    settings(tmp.resolve("hub"), hub.endpoint()), DownloadListener.NONE));
            assertEquals(HubException.Kind.CORRUPT, e.kind());
            assertTrue(e.getMessage().contains("shard name 'model?.safetensors' must be a plain file name"),
                    e.getMessage());
        }
    }
}
