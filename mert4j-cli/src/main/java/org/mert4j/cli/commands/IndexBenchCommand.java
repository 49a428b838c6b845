package org.mert4j.cli.commands;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.mert4j.cli.bench.Memory;
import org.mert4j.cli.options.ExitCode;
import org.mert4j.cli.options.UsageException;
import org.mert4j.cli.options.VerboseOption;
import org.mert4j.index.HnswParams;
import org.mert4j.index.IndexParams;
import org.mert4j.index.IvfParams;
import org.mert4j.index.Neighbour;
import org.mert4j.index.VectorIndex;
import org.mert4j.index.VectorIndexWriter;
import org.mert4j.io.NpyRowReader;
import org.mert4j.io.NpyTensors;
import org.mert4j.tensor.CpuThreads;
import org.mert4j.tensor.Tensors;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mert index bench}: builds an index over vectors from an {@code .npy} file and measures it against
 * the exact answers, printing one JSON line (the figures {@code tools/bench-search} tabulates beside FAISS).
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {
            "Measures an index: build time, size on disk, peak resident memory, query latency (p50, p99) on one"
                + " thread, queries per second on --threads threads, recall@10 against exact answers, and"
                + " optionally the time and recall of all neighbours. Prints one JSON line.",
            "Track i of --vectors is keyed v<i>; --truth holds the rows of the exact nearest vectors of each"
                + " query, best first (tools/bench-search makes all three files and compares with FAISS)."},
        footer = {
            "",
            "Example:",
            "  mert index bench --vectors base.npy --queries queries.npy --truth truth.npy \\",
            "                   --kind ivf --out bench.idx"})
final class IndexBenchCommand implements Callable<Integer> {
    private static final int K = 10;

    @Spec
    private CommandSpec spec;

    @Option(names = "--vectors", required = true, paramLabel = "NPY", description = "[N, d] float32 vectors to index.")
    private Path vectors;

    @Option(names = "--queries", required = true, paramLabel = "NPY", description = "[Q, d] float32 query vectors.")
    private Path queries;

    @Option(names = "--truth", required = true, paramLabel = "NPY",
            description = "[Q, >=10] int64: rows of --vectors nearest to each query, best first.")
    private Path truth;

    @Option(names = "--kind", paramLabel = "KIND", description = "ivf (default) or hnsw.")
    private String kind = "ivf";

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Index folder to write.")
    private Path out;

    @Option(names = "--threads", paramLabel = "N", description = "Threads for the build and the throughput run"
            + " (default: all cores).")
    private int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--neighbours-rows", paramLabel = "NPY",
            description = "int64 [S]: tracks whose all-neighbours answer is checked; with --neighbours-truth, also"
                    + " times all neighbours of every track.")
    private Path neighboursRows;

    @Option(names = "--neighbours-truth", paramLabel = "NPY",
            description = "int64 [S, >=11]: the exact nearest rows of those tracks, themselves included.")
    private Path neighboursTruth;

    @Mixin
    private VerboseOption verbose;

    @Override
    public Integer call() throws IOException {
        IndexParams params = switch (kind) {
            case "ivf" -> IvfParams.DEFAULT;
            case "hnsw" -> HnswParams.DEFAULT;
            default -> throw new UsageException("--kind " + kind + ": expected ivf or hnsw");
        };
        if ((neighboursRows == null) != (neighboursTruth == null)) {
            throw new UsageException("--neighbours-rows and --neighbours-truth go together");
        }
        PrintWriter err = spec.commandLine().getErr();
        CpuThreads.forTraining(threads);
        long n;
        long start = System.nanoTime();
        try (NpyRowReader in = new NpyRowReader(vectors);
             VectorIndexWriter w = VectorIndexWriter.create(out, in.columns(), 0, null, vectors.toString(), params)) {
            n = in.rows();
            int d = in.columns();
            int block = 4096;
            for (long at = 0; at < n; at += block) {
                int b = (int) Math.min(block, n - at);
                float[] rows = in.read(at, b);
                for (int i = 0; i < b; i++) {
                    w.add("v" + (at + i), Arrays.copyOfRange(rows, i * d, (i + 1) * d));
                }
                if ((at / block) % 25 == 0) {
                    err.printf(Locale.ROOT, "mert index bench: %d of %d added, %.0f s%n", at + b, n,
                            (System.nanoTime() - start) / 1e9);
                    err.flush();
                }
            }
        }
        double buildSeconds = (System.nanoTime() - start) / 1e9;
        long buildPeak = Memory.peakRssBytes();
        long disk;
        try (Stream<Path> s = Files.walk(out)) {
            disk = s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
        float[][] q = rows(queries);
        long[] truthRows = Tensors.toLongs(NpyTensors.read(truth));
        int truthWidth = truthRows.length / q.length;
        if (truthWidth < K || truthRows.length % q.length != 0) {
            throw new UsageException("--truth " + truth + ": needs at least " + K + " rows per query, one line per query");
        }
        StringBuilder json = new StringBuilder();
        long openStart = System.nanoTime();
        try (VectorIndex idx = VectorIndex.open(out)) {
            double openSeconds = (System.nanoTime() - openStart) / 1e9;
            CpuThreads.forTraining(1);
            for (int i = 0; i < Math.min(50, q.length); i++) {
                idx.search(q[i], K); // warm-up
            }
            double[] latency = new double[q.length];
            double hits = 0;
            for (int i = 0; i < q.length; i++) {
                long t = System.nanoTime();
                List<Neighbour> got = idx.search(q[i], K);
                latency[i] = (System.nanoTime() - t) / 1e6;
                Set<String> exact = new HashSet<>();
                for (int j = 0; j < K; j++) {
                    exact.add("v" + truthRows[i * truthWidth + j]);
                }
                hits += got.stream().filter(x -> exact.contains(x.track())).count();
            }
            Arrays.sort(latency);
            double qps = throughput(idx, q, threads);
            json.append(String.format(Locale.ROOT, "{\"kind\":\"%s\",\"n\":%d,\"dim\":%d,\"build_s\":%.2f,"
                            + "\"build_peak_rss_mb\":%.0f,\"disk_mb\":%.1f,\"open_s\":%.2f,\"p50_ms\":%.3f,\"p99_ms\":%.3f,"
                            + "\"qps_threads\":%d,\"qps\":%.1f,\"recall_at_10\":%.4f%s",
                    kind, n, q[0].length, buildSeconds, buildPeak / 1e6, disk / 1e6, openSeconds,
                    latency[latency.length / 2], latency[(int) Math.min(latency.length - 1, Math.ceil(0.99 * latency.length) - 1)],
                    threads, qps, hits / (K * (double) q.length), params instanceof IvfParams
                            ? String.format(Locale.ROOT, ",\"lists\":%d,\"probes\":%d,\"build_recall\":%.4f",
                            idx.metadata().ivf().lists(), idx.metadata().ivf().probes(), idx.metadata().ivf().recall())
                            : ""));
            if (neighboursRows != null) {
                json.append(allNeighbours(idx, err));
            }
        }
        json.append(String.format(Locale.ROOT, ",\"peak_rss_mb\":%.0f}", Memory.peakRssBytes() / 1e6));
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.println(json);
        stdout.flush();
        return ExitCode.OK;
    }

    /** Times all neighbours of every track (k = 10) and checks the sampled tracks against their exact answers. */
    private String allNeighbours(VectorIndex idx, PrintWriter err) throws IOException {
        long[] sample = Tensors.toLongs(NpyTensors.read(neighboursRows));
        long[] exact = Tensors.toLongs(NpyTensors.read(neighboursTruth));
        int width = exact.length / Math.max(1, sample.length);
        if (width < K + 1) {
            throw new UsageException("--neighbours-truth: needs at least " + (K + 1) + " rows per track");
        }
        java.util.Map<String, Integer> wanted = new java.util.HashMap<>();
        for (int i = 0; i < sample.length; i++) {
            wanted.put("v" + sample[i], i);
        }
        CpuThreads.forTraining(threads);
        double[] hits = {0};
        long start = System.nanoTime();
        idx.allNeighbours(K, (track, neighbours) -> {
            Integer i = wanted.get(track);
            if (i != null) {
                Set<String> truthSet = new HashSet<>();
                for (int j = 0, taken = 0; j < width && taken < K; j++) {
                    String key = "v" + exact[i * width + j];
                    if (!key.equals(track)) {
                        truthSet.add(key);
                        taken++;
                    }
                }
                hits[0] += neighbours.stream().filter(x -> truthSet.contains(x.track())).count();
            }
        }, done -> { });
        double seconds = (System.nanoTime() - start) / 1e9;
        err.printf(Locale.ROOT, "mert index bench: all neighbours in %.1f s%n", seconds);
        return String.format(Locale.ROOT, ",\"all_neighbours_s\":%.1f,\"all_neighbours_recall_at_10\":%.4f", seconds,
                hits[0] / (K * (double) sample.length));
    }

    /** Queries per second with {@code threads} threads taking queries from one counter. */
    private static double throughput(VectorIndex idx, float[][] q, int threads) {
        AtomicInteger next = new AtomicInteger();
        List<Thread> workers = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                for (int i; (i = next.getAndIncrement()) < q.length; ) {
                    try {
                        idx.search(q[i], K);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            });
            workers.add(th);
            th.start();
        }
        for (Thread th : workers) {
            try {
                th.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        return q.length / ((System.nanoTime() - start) / 1e9);
    }

    private static float[][] rows(Path file) throws IOException {
        try (NpyRowReader in = new NpyRowReader(file)) {
            float[] all = in.read(0, (int) in.rows());
            float[][] out = new float[(int) in.rows()][];
            for (int i = 0; i < out.length; i++) {
                out[i] = Arrays.copyOfRange(all, i * in.columns(), (i + 1) * in.columns());
            }
            return out;
        }
    }
}
