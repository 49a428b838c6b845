package org.mert4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** {@code mert serve} stopping while requests are in flight, over real HTTP with the tiny example model. */
class ServeDrainTest extends ServeModelTest {

    // ---- shutdown

    @Test
    void anUploadPausingDuringTheDrainIsStillAnswered() throws Exception {
        MertServer s = ServeFixture.start(mert, ServeFixture.settings().drainSeconds(6).build());
        try (RawHttp c = new RawHttp(s.port())) {
            c.send(ServeFixture.rawPost("/v1/embed", chords.length));
            c.send(Arrays.copyOf(chords, chords.length / 2));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (ServeFixture.metric(s, "mert_uploads_reading") < 1 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(1.0, ServeFixture.metric(s, "mert_uploads_reading"), "the upload never started");
            CompletableFuture<Void> closing = CompletableFuture.runAsync(s::close);
            Thread.sleep(2500); // longer than Jetty's 1 s idle timeout of a stopping connector
            assertFalse(closing.isDone(), "the server stopped with an upload in flight");
            c.send(Arrays.copyOfRange(chords, chords.length / 2, chords.length));
            RawHttp.Reply r = c.reply();
            assertNotNull(r, "the connection was cut");
            assertEquals(200, r.status(), r.head() + r.body());
            closing.get(30, TimeUnit.SECONDS);
        } finally {
            s.close();
        }
    }

    @Test
    void anEmbedStillRunningWhenTheDrainEndsGets503() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        BatchEncoder model = ServeFixture.encoder(mert);
        BatchEncoder stuck = (w, pool) -> {
            entered.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return model.encode(w, pool);
        };
        MertServer s = ServeFixture.start(mert, ServeFixture.settings().drainSeconds(1).build(), stuck);
        try {
            CompletableFuture<HttpResponse<String>> inFlight = ServeFixture.HTTP.sendAsync(HttpRequest.newBuilder(
                    URI.create(ServeFixture.base(s) + "/v1/embed")).timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(chords)).build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(entered.await(30, TimeUnit.SECONDS), "the request never reached the model");
            CompletableFuture<Void> closing = CompletableFuture.runAsync(s::close);
            HttpResponse<String> r = inFlight.get(30, TimeUnit.SECONDS);
            assertEquals(503, r.statusCode(), r.body());
            assertTrue(ServeFixture.error(r.body()).contains("shutting down"), r.body());
            release.countDown();
            closing.get(30, TimeUnit.SECONDS);
        } finally {
            release.countDown();
            s.close();
        }
    }
}
