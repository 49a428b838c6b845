package org.mert4j.index;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.mert4j.io.AtomicFiles;
import org.mert4j.io.NpyTensors;
import org.mert4j.tensor.Tensors;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Builds an inverted-file index ({@link IvfParams}). Vectors are scaled to unit length as they are added and
 * kept in a scratch file; {@link #close} reads them into one tensor, finds the lists by spherical k-means,
 * writes the vectors grouped by list, chooses the probes for the target recall, and writes the metadata
 * last. Files: {@code ivf-vectors.npy} {@code [N, d]} (unit rows, list by list), {@code ivf-norms.npy} (each
 * track's length, to give vectors back as added), {@code ivf-centroids.npy} {@code [lists, d]},
 * {@code ivf-offsets.npy} (where each list starts, and N) and {@code ivf-keys.jsonl} (one JSON string per
 * row).
 */
final class IvfIndexWriter implements VectorIndexWriter {
    static final String VECTORS = "ivf-vectors.npy";
    static final String NORMS = "ivf-norms.npy";
    static final String CENTROIDS = "ivf-centroids.npy";
    static final String OFFSETS = "ivf-offsets.npy";
    static final String KEYS = "ivf-keys.jsonl";
    private static final String SCRATCH = ".ivf-vectors.adding";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Queries drawn from the catalogue to measure recall when choosing the probes. */
    static final int CALIBRATION_QUERIES = 500;
    static final int CALIBRATION_K = 10;
    private static final long SEED = 20231;

    private final Path dir;
    private final IndexMetadata template;
    private final int dimension;
    private final FileChannel scratch;
    private final ByteBuffer buffer;
    private final List<String> keys = new ArrayList<>();
    private final Set<String> seen = new HashSet<>();
    private float[] norms = new float[1024];

    IvfIndexWriter(Path dir, IndexMetadata template) throws IOException {
        this.dir = dir;
        this.template = template;
        this.dimension = template.dimension();
        Files.createDirectories(dir);
        Files.deleteIfExists(dir.resolve(IndexMetadata.FILE_NAME)); // an interrupted build is not an index
        this.scratch = FileChannel.open(dir.resolve(SCRATCH), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ, StandardOpenOption.TRUNCATE_EXISTING);
        this.buffer = ByteBuffer.allocate(Math.max(1 << 20, 4 * dimension)).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public void add(String track, float[] vector) throws IOException {
        double sum = VectorIndexWriter.checkVector(track, vector, dimension);
        if (!seen.add(track)) {
            throw new IllegalArgumentException(track + ": added twice (track keys must be unique)");
        }
        float norm = (float) Math.sqrt(sum);
        if (buffer.remaining() < 4 * dimension) {
            flush();
        }
        double scale = 1 / Math.sqrt(sum);
        for (float v : vector) {
            buffer.putFloat((float) (v * scale));
        }
        if (keys.size() == norms.length) {
            norms = Arrays.copyOf(norms, norms.length * 2);
        }
        norms[keys.size()] = norm;
        keys.add(track);
    }

    @Override
    public long count() {
        return keys.size();
    }

    @Override
    public void close() throws IOException {
        try {
            flush();
            build();
        } finally {
            scratch.close();
            Files.deleteIfExists(dir.resolve(SCRATCH));
        }
    }

    private void flush() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            scratch.write(buffer);
        }
        buffer.clear();
    }

    private void build() throws IOException {
        int n = keys.size();
        IvfParams asked = template.ivf();
        int lists = n == 0 ? 1 : asked.lists() > 0 ? Math.min(asked.lists(), n) : IvfParams.listsFor(n);
        Tensor x = readScratch(n);
        Tensor centroids = n == 0 ? torch.empty(1, dimension).zero_() : SphericalKMeans.train(x, lists, SEED);
        NativeMemory.release();
        long[] list = n == 0 ? new long[0] : SphericalKMeans.assign(x, centroids);
        NativeMemory.release();
        long[] offsets = new long[lists + 1];
        for (long l : list) {
            offsets[(int) l + 1]++;
        }
        for (int l = 0; l < lists; l++) {
            offsets[l + 1] += offsets[l];
        }
        long[] order = new long[n]; // input rows, list by list (stable: input order within a list)
        long[] next = Arrays.copyOf(offsets, lists);
        for (int i = 0; i < n; i++) {
            order[(int) next[(int) list[i]]++] = i;
        }
        NpyTensors.write(dir.resolve(VECTORS), new long[] {n, dimension}, rowsInOrder(x, order));
        float[] sortedNorms = new float[n];
        List<String> sortedKeys = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            sortedNorms[i] = norms[(int) order[i]];
            sortedKeys.add(keys.get((int) order[i]));
        }
        NpyTensors.write(dir.resolve(NORMS), Tensors.fromFloats(sortedNorms, n));
        NpyTensors.write(dir.resolve(CENTROIDS), centroids);
        NpyTensors.write(dir.resolve(OFFSETS), Tensors.fromLongs(offsets, offsets.length));
        AtomicFiles.write(dir.resolve(KEYS), out -> {
            BufferedWriter w = new BufferedWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            for (String key : sortedKeys) {
                w.write(JSON.writeValueAsString(key));
                w.write('\n');
            }
            w.flush();
        });
        IvfParams built;
        if (asked.probes() > 0) {
            int probes = Math.min(asked.probes(), lists);
            built = new IvfParams(lists, probes, ProbeCalibration.recall(x, list, centroids, probes, SEED));
        } else {
            built = ProbeCalibration.choose(x, list, centroids, asked.recall(), SEED);
        }
        x.close();
        NativeMemory.release();
        template.withCount(n).withParams(built).write(dir);
    }

    /** The scratch file's unit rows as one {@code [n, d]} tensor. */
    private Tensor readScratch(int n) throws IOException {
        Tensor x = torch.empty(n, dimension);
        long bytes = 4L * n * dimension;
        if (bytes > 0) {
            try (BytePointer data = new BytePointer(x.data_ptr())) {
                long chunk = 1 << 24;
                for (long at = 0; at < bytes; at += chunk) {
                    ByteBuffer b = NpyTensors.bytes(data, at, Math.min(chunk, bytes - at));
                    while (b.hasRemaining()) {
                        if (scratch.read(b, at + b.position()) < 0) {
                            throw new IOException(dir.resolve(SCRATCH) + ": shorter than the vectors added");
                        }
                    }
                }
            }
        }
        return x;
    }

    /** Blocks of the rows of {@code x} in {@code order}, made one at a time as the writer asks for them. */
    private static Iterable<Tensor> rowsInOrder(Tensor x, long[] order) {
        return () -> new Iterator<>() {
            private int at;
            private Tensor last;

            @Override
            public boolean hasNext() {
                release();
                return at < order.length;
            }

            @Override
            public Tensor next() {
                release();
                int b = Math.min(SphericalKMeans.BLOCK, order.length - at);
                try (Tensor index = Tensors.fromLongs(Arrays.copyOfRange(order, at, at + b), b)) {
                    last = x.index_select(0, index);
                }
                at += b;
                return last;
            }

            /** The block before has been written by now. */
            private void release() {
                if (last != null) {
                    last.close();
                    last = null;
                }
            }
        };
    }
}
