package org.mert4j.cli.serve;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * The service's counters, written in the Prometheus text format (version 0.0.4) for {@code GET /metrics}:
 * requests by route and status, request latency and batch size histograms, the queue length, windows
 * embedded and their recent rate. Thread-safe and lock-free on the request path.
 */
public final class Metrics {
    /** Latency bucket bounds in seconds. */
    private static final double[] LATENCY = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
    private static final double[] BATCH = {1, 2, 4, 8, 16, 32, 64};
    /** Window of the windows-per-second gauge. */
    private static final long RATE_NANOS = 10_000_000_000L;

    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final Histogram latency = new Histogram(LATENCY);
    private final Histogram batches = new Histogram(BATCH);
    private final LongAdder windows = new LongAdder();
    private final AtomicLong rateStart = new AtomicLong(System.nanoTime());
    private final LongAdder rateCount = new LongAdder();
    private volatile double windowsPerSecond;
    private volatile IntSupplier queueLength = () -> 0;

    /** Counts a finished request of {@code route} (a pattern such as {@code /v1/tracks/{key}/audio}). */
    public void request(String method, String route, int status, long nanos) {
        requests.computeIfAbsent(method + " " + route + " " + status, k -> new LongAdder()).increment();
        latency.observe(nanos / 1e9);
    }

    /** Counts one forward pass of {@code size} windows. */
    public void batch(int size) {
        batches.observe(size);
        windows.add(size);
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

    public long windows() {
        return windows.sum();
    }

    /** The Prometheus text exposition. */
    public String prometheus() {
        StringBuilder b = new StringBuilder(4096);
        b.append("# HELP mert_requests_total HTTP requests by route and status.\n");
        b.append("# TYPE mert_requests_total counter\n");
        for (Map.Entry<String, Long> e : snapshot().entrySet()) {
            String[] k = e.getKey().split(" ", 3);
            b.append("mert_requests_total{method=\"").append(k[0]).append("\",route=\"").append(escape(k[1]))
                    .append("\",status=\"").append(k[2]).append("\"} ").append(e.getValue()).append('\n');
        }
        latency.write(b, "mert_request_duration_seconds", "Request latency in seconds.");
        batches.write(b, "mert_batch_size", "Windows per forward pass.");
        b.append("# HELP mert_queue_length Windows and requests waiting for the model.\n");
        b.append("# TYPE mert_queue_length gauge\n");
        b.append("mert_queue_length ").append(queueLength.getAsInt()).append('\n');
        b.append("# HELP mert_windows_total Audio windows embedded.\n");
        b.append("# TYPE mert_windows_total counter\n");
        b.append("mert_windows_total ").append(windows.sum()).append('\n');
        b.append("# HELP mert_windows_per_second Windows embedded per second over the last completed 10 s.\n");
        b.append("# TYPE mert_windows_per_second gauge\n");
        b.append("mert_windows_per_second ").append(format(windowsPerSecond)).append('\n');
        return b.toString();
    }

    private Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        requests.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /** A cumulative histogram with fixed bucket bounds. */
    private static final class Histogram {
        private final double[] bounds;
        private final LongAdder[] counts;
        private final LongAdder count = new LongAdder();
        private final java.util.concurrent.atomic.DoubleAdder sum = new java.util.concurrent.atomic.DoubleAdder();

        Histogram(double[] bounds) {
            this.bounds = bounds;
            this.counts = new LongAdder[bounds.length];
            for (int i = 0; i < bounds.length; i++) {
                counts[i] = new LongAdder();
            }
        }

        void observe(double v) {
            for (int i = 0; i < bounds.length; i++) {
                if (v <= bounds[i]) {
                    counts[i].increment();
                    break;
                }
            }
            count.increment();
            sum.add(v);
        }

        void write(StringBuilder b, String name, String help) {
            b.append("# HELP ").append(name).append(' ').append(help).append('\n');
            b.append("# TYPE ").append(name).append(" histogram\n");
            long cumulative = 0;
            for (int i = 0; i < bounds.length; i++) {
                cumulative += counts[i].sum();
                b.append(name).append("_bucket{le=\"").append(format(bounds[i])).append("\"} ").append(cumulative)
                        .append('\n');
            }
            long n = count.sum();
            b.append(name).append("_bucket{le=\"+Inf\"} ").append(n).append('\n');
            b.append(name).append("_sum ").append(format(sum.sum())).append('\n');
            b.append(name).append("_count ").append(n).append('\n');
        }
    }
}
