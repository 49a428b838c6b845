package org.mert4j.serve;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The service's metrics for {@code GET /metrics}, kept by the Prometheus Java client in a registry of their own:
 * requests by method, route and status, request latency and batch size histograms, the queue length, windows
 * embedded and their recent rate, uploads being read. Every label takes values from a fixed set only (unknown methods and
 * routes are {@value #OTHER}), so no client can make the exposition grow.
 */
public final class Metrics {
    /** The label of every method and route outside the known ones. */
    public static final String OTHER = "other";
    /** The content type of the exposition (Prometheus text format 0.0.4). */
    public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH");
    /** Latency bucket bounds in seconds. */
    private static final double[] LATENCY = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
    private static final double[] BATCH = {1, 2, 4, 8, 16, 32, 64};
    /** Window of the windows-per-second gauge. */
    private static final long RATE_NANOS = 10_000_000_000L;

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter requests = Counter.builder().name("mert_requests_total")
            .help("HTTP requests by method, route and status.").labelNames("method", "route", "status")
            .register(registry);
    private final Histogram latency = Histogram.builder().name("mert_request_duration_seconds")
            .help("Request latency in seconds.").classicOnly().classicUpperBounds(LATENCY).register(registry);
    private final Histogram batches = Histogram.builder().name("mert_batch_size")
            .help("Windows per forward pass.").classicOnly().classicUpperBounds(BATCH).register(registry);
    private final Counter windows = Counter.builder().name("mert_windows_total").help("Audio windows embedded.")
            .register(registry);
    private final AtomicLong rateStart = new AtomicLong(System.nanoTime());
    private final LongAdder rateCount = new LongAdder();
    private volatile double windowsPerSecond;
    private volatile IntSupplier queueLength = () -> 0;
    private volatile IntSupplier uploadsReading = () -> 0;

    public Metrics() {
        GaugeWithCallback.builder().name("mert_queue_length").help("Windows and requests waiting for the model.")
                .callback(c -> c.call(queueLength.getAsInt())).register(registry);
        GaugeWithCallback.builder().name("mert_uploads_reading").help("Request bodies being read.")
                .callback(c -> c.call(uploadsReading.getAsInt())).register(registry);
        GaugeWithCallback.builder().name("mert_windows_per_second")
                .help("Windows embedded per second over the last completed 10 s.")
                .callback(c -> c.call(windowsPerSecond)).register(registry);
    }

    /**
     * Counts a finished request.
     * @param route the route's pattern (such as {@code /v1/tracks/{key}/audio}) or {@link #OTHER}
     */
    public void request(String method, String route, int status, long nanos) {
        requests.labelValues(METHODS.contains(method) ? method : OTHER, route,
                status >= 100 && status <= 599 ? Integer.toString(status) : OTHER).inc();
        latency.observe(nanos / 1e9);
    }

    /** Counts one forward pass of {@code size} windows. */
    public void batch(int size) {
        batches.observe(size);
        windows.inc(size);
        rateCount.add(size);
        long start = rateStart.get();
        long now = System.nanoTime();
        if (now - start >= RATE_NANOS && rateStart.compareAndSet(start, now)) {
            windowsPerSecond = rateCount.sumThenReset() / ((now - start) / 1e9);
        }
    }

    /** Where the queue length comes from (windows and requests waiting for the model). */
    public void queueLength(IntSupplier supplier) {
        queueLength = supplier;
    }

    /** Where the number of request bodies being read comes from. */
    public void uploadsReading(IntSupplier supplier) {
        uploadsReading = supplier;
    }

    public long windows() {
        return (long) windows.get();
    }

    /** The Prometheus text exposition. */
    public byte[] prometheus() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return out.toByteArray();
    }
}
