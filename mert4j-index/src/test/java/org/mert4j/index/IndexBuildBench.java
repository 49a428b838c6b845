package org.mert4j.index;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Benchmark, not a test: builds an index of N synthetic vectors (default 768-d, Gaussian around 1000
 * random centres, as embeddings of a catalogue cluster by style) with the default graph settings, and
 * prints the build time, the index size on disk and the process's peak resident memory.
 * Arguments: N INDEX_DIR [DIMENSION].
 */
public final class IndexBuildBench {
    private IndexBuildBench() {
    }

    public static void main(String[] args) throws IOException {
        int n = Integer.parseInt(args[0]);
        Path dir = Path.of(args[1]);
        int dim = args.length > 2 ? Integer.parseInt(args[2]) : 768;
        Random rnd = new Random(42);
        int centres = 1000;
        float[][] c = new float[centres][dim];
        for (float[] row : c) {
            for (int j = 0; j < dim; j++) {
                row[j] = (float) rnd.nextGaussian();
            }
        }
        float[] v = new float[dim];
        long t0 = System.nanoTime();
        long addNanos;
        try (VectorIndexWriter w = new VectorIndexWriter(dir, dim, 6, null, "synthetic", HnswParams.DEFAULT)) {
            for (int i = 0; i < n; i++) {
                float[] centre = c[rnd.nextInt(centres)];
                for (int j = 0; j < dim; j++) {
                    v[j] = centre[j] + 0.5f * (float) rnd.nextGaussian();
                }
                w.add(String.format(Locale.ROOT, "track-%07d.flac", i), v);
                if ((i + 1) % 100_000 == 0) {
                    System.out.printf(Locale.ROOT, "%d added, %.0f s%n", i + 1, (System.nanoTime() - t0) / 1e9);
                }
            }
            addNanos = System.nanoTime() - t0;
        } // close: merge into one segment (one graph), commit
        double total = (System.nanoTime() - t0) / 1e9;
        long bytes;
        try (Stream<Path> s = Files.walk(dir)) {
            bytes = s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
        String hwm = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM"))
                .findFirst().orElse("VmHWM: ?").replaceAll("\\s+", " ");
        System.out.printf(Locale.ROOT, "%d vectors x %d: build %.1f s (adding %.1f s, final merge %.1f s),"
                + " index %.1f MB (%.0f bytes/vector), peak RSS %s, max heap %d MB%n", n, dim, total,
                addNanos / 1e9, total - addNanos / 1e9, bytes / 1e6, (double) bytes / n, hwm.substring(7),
                Runtime.getRuntime().maxMemory() >> 20);
    }
}
