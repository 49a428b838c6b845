package org.mert4j.serve;

import java.io.IOException;
import java.nio.file.Files;
import java.util.function.Consumer;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.CustomRequestLog;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.mert4j.index.VectorIndex;
import org.mert4j.model.MertConfig;

/**
 * The HTTP service: Jetty's core server with a chain of handlers ({@link MetricsHandler}, {@link OriginHandler},
 * {@link TokenHandler}, then the {@link Router} over the {@link Routes}), the {@link WindowBatcher} feeding the model, and a temporary
 * folder for uploads. {@link #close} drains: the connector stops accepting, requests in
 * flight finish (up to {@link ServeSettings#drainSeconds}; model work still running then ends with a 503), then
 * the batcher ends and the folder goes.
 */
public final class MertServer implements AutoCloseable {
    /** How long requests cancelled at the end of a drain have to send their 503. */
    private static final long CANCEL_GRACE_MILLIS = 5_000;

    private final Server server;
    private final ServerConnector connector;
    private final WindowBatcher batcher;
    private final Path tempDir;
    private final Metrics metrics;
    private final ModelGate model;
    private final int drainSeconds;
    private boolean closed;

    /**
     * Starts serving.
     * @param encoder   runs the model (called from the batching thread only)
     * @param index     the similarity index, or null
     * @param audioRoot where track audio is served from, or null
     */
    public static MertServer start(ServeSettings settings, MertConfig config, String modelName, BatchEncoder encoder,
                                   VectorIndex index, AudioRoot audioRoot) throws Exception {
        return start(settings, config, modelName, encoder, index, audioRoot, null);
    }

    /**
     * As {@link #start(ServeSettings, MertConfig, String, BatchEncoder, VectorIndex, AudioRoot)}, writing one
     * line per request to {@code requestLog}: client, time, method, path (never the query, which may hold the
     * token), status, bytes sent and milliseconds.
     */
    public static MertServer start(ServeSettings settings, MertConfig config, String modelName, BatchEncoder encoder,
                                   VectorIndex index, AudioRoot audioRoot, Consumer<String> requestLog) throws Exception {
        return start(settings, config, new ModelIdentity(modelName, null), encoder, index, audioRoot, requestLog);
    }

    /**
     * As {@link #start(ServeSettings, MertConfig, String, BatchEncoder, VectorIndex, AudioRoot, Consumer)}, with
     * the model's fingerprint for {@code /v1/info}.
     */
    public static MertServer start(ServeSettings settings, MertConfig config, ModelIdentity model, BatchEncoder encoder,
                                   VectorIndex index, AudioRoot audioRoot, Consumer<String> requestLog) throws Exception {
        CatalogueMap map = index == null ? null : CatalogueMap.of(index);
        MertServer s = new MertServer(settings, config, model, encoder, index, map, audioRoot);
        if (requestLog != null) {
            s.server.setRequestLog(new CustomRequestLog(requestLog::accept, REQUEST_LOG_FORMAT));
        }
        try {
            s.server.start();
        } catch (Exception e) {
            s.close();
            throw e;
        }
        return s;
    }

    private static final String REQUEST_LOG_FORMAT = "%{client}a %{yyyy-MM-dd'T'HH:mm:ss.SSSXXX|UTC}t \"%m %U\" %s %O %{ms}Tms";

    private MertServer(ServeSettings settings, MertConfig config, ModelIdentity identity, BatchEncoder encoder,
                       VectorIndex index, CatalogueMap map, AudioRoot audioRoot) throws IOException {
        this.metrics = new Metrics();
        this.tempDir = Files.createTempDirectory("mert-serve-");
        this.batcher = new WindowBatcher(encoder, settings.maxBatch(), settings.maxWaitMillis(), metrics);
        UploadEmbedder embedder = new UploadEmbedder(config, batcher, settings.maxBatch(), settings.maxSeconds(),
                settings.maxAnswerBytes());
        this.model = new ModelGate(embedder, tempDir, settings);
        this.drainSeconds = settings.drainSeconds();
        ServeContext ctx = new ServeContext(settings, metrics, config, identity, index, map, audioRoot);
        RouteTable routes = Routes.of(ctx, model);
        metrics.queueLength(() -> batcher.waiting() + model.inFlight());
        metrics.uploadsReading(model::uploading);

        QueuedThreadPool threads = new QueuedThreadPool(Math.max(64, 2 * settings.maxQueue() + 16), 8);
        threads.setName("mert-serve");
        server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        // percent-encoded slashes and dots reach the routes, which decide (a track key may hold '/', and
        // a key with '..' must be a 404 from the audio route, not a 400 from the parser)
        http.setUriCompliance(UriCompliance.UNSAFE);
        connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(settings.host());
        connector.setPort(settings.port());
        server.addConnector(connector);
        server.setHandler(new GracefulHandler(new MetricsHandler(metrics, routes, new OriginHandler(settings.host(),
                settings.allowedHosts(), new TokenHandler(settings.token(), new Router(routes))))));
        server.setErrorHandler(new JsonErrorHandler());
        // the drain's end cancels the model work still running, whose 503 answers then have CANCEL_GRACE to go out
        server.setStopTimeout(settings.drainSeconds() * 1000L + CANCEL_GRACE_MILLIS);
        server.setStopAtShutdown(false); // the command's shutdown hook stops it, then frees the model
    }

    /** The port listened on (the one chosen when the settings asked for 0). */
    public int port() {
        return connector.getLocalPort();
    }

    public Metrics metrics() {
        return metrics;
    }

    /** Waits until the server stops. */
    public void join() throws InterruptedException {
        server.join();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        Thread drainEnd = new Thread(() -> {
            try {
                Thread.sleep(drainSeconds * 1000L);
                model.cancelAll(); // requests still embedding answer 503 instead of an empty reply
            } catch (InterruptedException e) {
                // everything finished in time
            }
        }, "mert-serve-drain");
        drainEnd.setDaemon(true);
        drainEnd.start();
        if (model.uploading() > 0) {
            // a stopping connector gives every connection a 1 s idle timeout, to close the idle ones soon; an
            // upload in flight may pause longer, so they keep the usual one (idle connections then close at
            // their usual idle timeout, or when the drain ends)
            connector.setShutdownIdleTimeout(connector.getIdleTimeout());
        }
        try {
            server.stop(); // graceful: waits for requests in flight, up to the stop timeout
        } catch (Exception e) {
            org.slf4j.LoggerFactory.getLogger(MertServer.class).warn("stopping the HTTP server: {}", e.toString());
        }
        drainEnd.interrupt();
        batcher.close();
        try (Stream<Path> files = Files.walk(tempDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is harmless
        }
    }
}
