package org.mert4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * {@code mert serve} against clients that do not play fair, over real HTTP with the tiny example model: odd
 * methods and paths, audio that decodes to hours, frame-level answers past the limit, clients that hang up,
 * slow and broken uploads.
 */
class ServeLimitsTest extends ServeModelTest {

    // ---- /metrics

    @Test
    void oddMethodsAndUnknownPathsShareOneMetricsLabel() throws Exception {
        try (MertServer s = ServeFixture.start(mert, ServeFixture.settings().token("t0k").build())) {
            for (int i = 0; i < 30; i++) {
                RawHttp.Reply r = RawHttp.exchange(s.port(), "M" + i + "X /v1/info HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Connection: close\r\n\r\n", new byte[0]);
                assertEquals(401, r.status(), r.head()); // refused before any route, and still counted
                RawHttp.Reply p = RawHttp.exchange(s.port(), "GET /nothing/" + i + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Authorization: Bearer t0k\r\nConnection: close\r\n\r\n", new byte[0]);
                assertEquals(404, p.status(), p.head());
            }
            String metrics = ServeFixture.HTTP.send(HttpRequest.newBuilder(URI.create(ServeFixture.base(s) + "/metrics"))
                    .header("Authorization", "Bearer t0k").build(), HttpResponse.BodyHandlers.ofString()).body();
            List<String> series = metrics.lines().filter(l -> l.startsWith("mert_requests_total{")).toList();
            assertTrue(series.contains("mert_requests_total{method=\"other\",route=\"/v1/info\",status=\"401\"} 30.0"),
                    metrics);
            assertTrue(series.contains("mert_requests_total{method=\"GET\",route=\"other\",status=\"404\"} 30.0"),
                    metrics);
            assertEquals(2, series.size(), "60 odd requests made new series:\n" + metrics);
            assertFalse(metrics.contains("M1X") || metrics.contains("/nothing"), metrics);
        }
    }

    // ---- long audio, hung-up clients, large answers

    @Test
    void audioLongerThanTheLimitOnceDecodedIs413() throws Exception {
        AtomicInteger windows = new AtomicInteger();
        try (MertServer s = ServeFixture.start(mert, ServeFixture.settings().maxSeconds(60).build(),
                counting(windows))) {
            byte[] wav = ServeFixture.silentWav(1, 20_000); // 40 KB whose header says 1 Hz: 20,000 s of audio
            long start = System.nanoTime();
            HttpResponse<String> r = ServeFixture.post(s, "/v1/embed", wav);
            assertEquals(413, r.statusCode(), r.body());
            assertTrue(ServeFixture.error(r.body()).contains("60 s (--max-seconds)"), r.body());
            assertTrue((System.nanoTime() - start) / 1e9 < 60, "refused only after embedding it");
            assertEquals(0, windows.get(), "windows ran before the refusal");
            assertEquals(200, ServeFixture.post(s, "/v1/embed", chords).statusCode());
        }
    }

    @Test
    void theModelWorkStopsWhenAJsonClientHangsUp() throws Exception {
        modelWorkStopsWhenTheClientHangsUp(false);
    }

    @Test
    void theModelWorkStopsWhenAProgressClientHangsUp() throws Exception {
        modelWorkStopsWhenTheClientHangsUp(true);
    }

    /** The model, counting the windows it is given. */
    private static BatchEncoder counting(AtomicInteger windows) {
        BatchEncoder model = ServeFixture.encoder(mert);
        return (w, pool) -> {
            windows.addAndGet(w.size());
            return model.encode(w, pool);
        };
    }

    private static void modelWorkStopsWhenTheClientHangsUp(boolean progress) throws Exception {
        AtomicInteger windows = new AtomicInteger();
        BatchEncoder model = ServeFixture.encoder(mert);
        BatchEncoder slow = (w, pool) -> {
            windows.addAndGet(w.size());
            ServeFixture.sleep(20);
            return model.encode(w, pool);
        };
        try (MertServer s = ServeFixture.start(mert, ServeFixture.settings().maxBatch(1).build(), slow)) {
            byte[] wav = ServeFixture.silentWav(8, 8 * 600); // 600 s: 120 windows
            try (RawHttp c = new RawHttp(s.port())) {
                c.send(ServeFixture.rawPost("/v1/embed?pool=none&layers=-1", wav.length,
                        progress ? "Accept: application/x-ndjson" : "X-Nothing: 0"));
                c.send(wav);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (windows.get() < 3 && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertTrue(windows.get() >= 3, "the model never started");
            } // the client hangs up
            Thread.sleep(1000);
            int after = windows.get();
            Thread.sleep(1000);
            assertEquals(after, windows.get(), "the model still works for a client that left");
            assertTrue(after < 60, after + " windows of 120 embedded for nobody");
            assertEquals(200, ServeFixture.post(s, "/v1/embed", chords).statusCode());
        }
    }

    @Test
    void aFrameLevelAnswerPastTheLimitIs422() throws Exception {
        // 8 s at 75 frames/s of 64-d states: 3 layers give 115,200 numbers (1.8 MB at 16 bytes), one gives 38,400
        AtomicInteger windows = new AtomicInteger();
        try (MertServer s = ServeFixture.start(mert, ServeFixture.settings().maxAnswerBytes(1 << 20).build(),
                counting(windows))) {
            HttpResponse<String> all = ServeFixture.post(s, "/v1/embed?pool=none", chords);
            assertEquals(422, all.statusCode(), all.body());
            assertTrue(ServeFixture.error(all.body()).contains("limit of 1 MiB (--max-answer-mb"), all.body());
            assertEquals(0, windows.get(), "windows ran before the refusal");
            HttpResponse<String> one = ServeFixture.post(s, "/v1/embed?pool=none&layers=-1", chords);
            assertEquals(200, one.statusCode(), one.body());
            assertTrue(one.body().length() < 1 << 20, "the answer is larger than the limit");
            assertEquals(200, ServeFixture.post(s, "/v1/embed", chords).statusCode());
        }
    }

    // ---- slow and broken uploads

    @Test
    void aSlowUploadHoldsNoModelSlotAndEndsAtItsDeadline() throws Exception {
        try (MertServer s = ServeFixture.start(mert, ServeFixture.settings().maxQueue(1).uploadSeconds(3).build());
             RawHttp slow = new RawHttp(s.port())) {
            long start = System.nanoTime();
            slow.send(ServeFixture.rawPost("/v1/embed", 100_000));
            CompletableFuture<RawHttp.Reply> answer = CompletableFuture.supplyAsync(() -> {
                try {
                    for (int i = 0; i < 100; i++) { // a byte every 100 ms: each one keeps the connection alive
                        slow.send(new byte[1]);
                        Thread.sleep(100);
                    }
                } catch (Exception e) {
                    // the server gave up on it
                }
                try {
                    return slow.reply();
                } catch (Exception e) {
                    return null;
                }
            });
            Thread.sleep(500);
            HttpResponse<String> normal = ServeFixture.post(s, "/v1/embed", chords);
            assertEquals(200, normal.statusCode(), normal.body()); // the trickling upload took no queue place
            RawHttp.Reply r = answer.get(30, TimeUnit.SECONDS);
            assertNotNull(r);
            assertEquals(408, r.status(), r.head() + r.body());
            assertTrue(ServeFixture.error(r.body()).contains("3 s (--upload-seconds)"), r.body());
            // without the deadline the body would be awaited until the idle timeout, 30 s after the last byte
            assertTrue((System.nanoTime() - start) / 1e9 < 25, "the upload was not ended at its deadline");
        }
    }

    @Test
    void clientFaultsAre4xxNot500() throws Exception {
        try (MertServer s = ServeFixture.start(mert, ServeFixture.settings().build())) {
            for (String path : List.of("/v1/tracks/audio", "/v1/tracks/neighbours", "/v1/tracks//audio")) {
                HttpResponse<String> r = ServeFixture.get(s, path);
                assertEquals(404, r.statusCode(), path + ": " + r.body());
            }
            RawHttp.Reply chunked = RawHttp.exchange(s.port(), "POST /v1/embed HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n", "ZZ\r\nnot hex\r\n".getBytes(
                    StandardCharsets.ISO_8859_1));
            assertEquals(400, chunked.status(), chunked.head() + chunked.body());
            try (RawHttp shortBody = new RawHttp(s.port())) {
                shortBody.send(ServeFixture.rawPost("/v1/embed", 1000));
                shortBody.send(Arrays.copyOf(chords, 10));
                shortBody.shutdownOutput(); // 10 bytes of 1000, then the body ends
                RawHttp.Reply r = shortBody.reply();
                assertEquals(400, r.status(), r.head() + r.body());
                assertTrue(ServeFixture.error(r.body()).contains("incomplete upload"), r.body());
            }
            try (RawHttp aborted = new RawHttp(s.port())) {
                aborted.send(ServeFixture.rawPost("/v1/embed", 100_000));
                aborted.send(Arrays.copyOf(chords, 10));
                Thread.sleep(200);
            } // the connection drops mid-upload
            Thread.sleep(500);
            String metrics = ServeFixture.get(s, "/metrics").body();
            assertFalse(metrics.contains("status=\"500\""), metrics);
            assertTrue(metrics.contains("route=\"/v1/embed\",status=\"400\"} 3.0"), metrics);
            assertEquals(200, ServeFixture.post(s, "/v1/embed", chords).statusCode());
        }
    }

}
