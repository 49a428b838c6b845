package org.mert4j.serve;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.mert4j.model.EmbedOptions;
import org.mert4j.tensor.FloatArray;

/**
 * The way of an upload to the model: at most {@code maxQueue} requests are embedding or waiting for the model
 * at once, more get 503 with Retry-After; the work of each stops when its client goes away or the server ends
 * its drain ({@link Cancellation}).
 */
final class ModelGate {
    private static final ApiException SHUTTING_DOWN = new ApiException(503, "the server is shutting down", "5");

    private final UploadEmbedder embedder;
    private final Path tempDir;
    private final ServeSettings settings;
    private final Semaphore admitted;
    private final Set<Cancellation> running = ConcurrentHashMap.newKeySet();
    private volatile boolean closing;
    private final AtomicInteger uploading = new AtomicInteger();

    ModelGate(UploadEmbedder embedder, Path tempDir, ServeSettings settings) {
        this.embedder = embedder;
        this.tempDir = tempDir;
        this.settings = settings;
        this.admitted = new Semaphore(settings.maxQueue());
    }

    /** Requests being embedded or waiting for the model. */
    int inFlight() {
        return settings.maxQueue() - admitted.availablePermits();
    }

    /** Request bodies being read. */
    int uploading() {
        return uploading.get();
    }

    /**
     * The features of the request body. The body is read first, within its deadline, and only then does the
     * request take a place in the queue: a client that uploads slowly holds a thread, never the model.
     */
    FloatArray embed(Request request, Response response, int[] layers, EmbedOptions.Pool pool,
                     ProgressStream progress) throws IOException {
        uploading.incrementAndGet();
        Upload read;
        try {
            read = Upload.read(request, tempDir, settings.maxUploadBytes(), settings.uploadSeconds());
        } finally {
            uploading.decrementAndGet();
        }
        try (Upload upload = read) {
            if (!admitted.tryAcquire()) {
                throw new ApiException(503, "too many requests waiting for the model (" + settings.maxQueue()
                        + ", --max-queue): try again shortly", "1");
            }
            // waiting for the model is the server's slowness, not the client's: the connection's idle timeout
            // must not end it (a client that hangs up is noticed by the cancellation)
            request.addIdleTimeoutListener(timeout -> false);
            Cancellation cancel = Cancellation.of(request, response);
            running.add(cancel);
            try {
                if (closing) {
                    cancel.cancel(SHUTTING_DOWN);
                }
                return embedder.embed(upload.file(), layers, pool, progress == null ? null : progress::progress,
                        cancel);
            } finally {
                running.remove(cancel);
                admitted.release();
            }
        }
    }

    /** Ends the model work of every request at its next check, with a 503 (the end of a drain). */
    void cancelAll() {
        closing = true;
        running.forEach(c -> c.cancel(SHUTTING_DOWN));
    }
}
