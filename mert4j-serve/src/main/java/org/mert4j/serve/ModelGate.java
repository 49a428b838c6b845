package org.mert4j.serve;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;

import org.eclipse.jetty.server.Request;
import org.mert4j.model.EmbedOptions;
import org.mert4j.tensor.FloatArray;

/**
 * The way of an upload to the model: at most {@code maxQueue} requests are embedding or waiting for the model
 * at once, more get 503 with Retry-After.
 */
final class ModelGate {
    private final UploadEmbedder embedder;
    private final Path tempDir;
    private final ServeSettings settings;
    private final Semaphore admitted;

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

    /** The features of the request body; admission first, so a full queue answers before the upload is read. */
    FloatArray embed(Request request, int[] layers, EmbedOptions.Pool pool, ProgressStream progress) throws IOException {
        if (!admitted.tryAcquire()) {
            throw new ApiException(503, "too many requests waiting for the model (" + settings.maxQueue()
                    + ", --max-queue): try again shortly", "1");
        }
        try (Upload upload = Upload.read(request, tempDir, settings.maxUploadBytes())) {
            return embedder.embed(upload.file(), layers, pool, progress == null ? null : progress::progress);
        } finally {
            admitted.release();
        }
    }
}
