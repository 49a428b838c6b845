package org.mert4j.index;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.T_TensorTensor_T;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.mert4j.io.NpyTensors;
import org.mert4j.tensor.Tensors;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * An inverted-file index written by {@link IvfIndexWriter}, held in memory for queries. A query scores the
 * centroids, then scans the vectors of the best {@link IvfParams#probes} lists exactly (one matrix-vector
 * product per list, over the rows as stored, nothing copied), and keeps the top k. Safe for concurrent queries.
 */
final class IvfIndex implements VectorIndex {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final IndexMetadata metadata;
    private final Tensor vectors;
    private final Tensor centroids;
    private final long[] offsets;
    private final float[] norms;
    private final String[] keys;
    private final Map<String, Integer> rowOf;
    /** Rows by file name stem, for {@link #resolve}: up to 6 each (enough to list an ambiguous name). */
    private final Map<String, int[]> byStem;

    private IvfIndex(IndexMetadata metadata, Tensor vectors, Tensor centroids, long[] offsets, float[] norms,
                     String[] keys) {
        this.metadata = metadata;
        this.vectors = vectors;
        this.centroids = centroids;
        this.offsets = offsets;
        this.norms = norms;
        this.keys = keys;
        this.rowOf = new HashMap<>(keys.length * 2);
        this.byStem = new HashMap<>(keys.length * 2);
        for (int i = 0; i < keys.length; i++) {
            rowOf.put(keys[i], i);
            byStem.merge(TrackKeys.stem(keys[i]), new int[] {i}, (a, b) -> a.length >= 6 ? a : append(a, b[0]));
        }
    }

    static IvfIndex open(Path dir, IndexMetadata meta) throws IOException {
        IvfParams p = meta.ivf();
        int d = meta.dimension();
        long n = meta.count();
        Tensor centroids = read(dir, IvfIndexWriter.CENTROIDS, p.lists(), d);
        long[] offsets = Tensors.toLongs(read(dir, IvfIndexWriter.OFFSETS, p.lists() + 1));
        for (int l = 0; l < p.lists(); l++) {
            if (offsets[l] < 0 || offsets[l] > offsets[l + 1]) {
                throw new IOException(dir.resolve(IvfIndexWriter.OFFSETS) + ": list offsets are not ascending");
            }
        }
        if (offsets[0] != 0 || offsets[p.lists()] != n) {
            throw new IOException(dir.resolve(IvfIndexWriter.OFFSETS) + ": the lists hold " + offsets[p.lists()]
                    + " rows, the index " + n);
        }
        float[] norms = Tensors.toFloats(read(dir, IvfIndexWriter.NORMS, n));
        String[] keys = readKeys(dir.resolve(IvfIndexWriter.KEYS), n);
        Tensor vectors = read(dir, IvfIndexWriter.VECTORS, n, d);
        NativeMemory.release();
        return new IvfIndex(meta, vectors, centroids, offsets, norms, keys);
    }

    @Override
    public IndexMetadata metadata() {
        return metadata;
    }

    @Override
    public int size() {
        return keys.length;
    }

    @Override
    public List<Neighbour> search(float[] query, int k, Set<String> exclude) {
        VectorIndex.checkQuery(metadata, query, k);
        int want = Math.min(k + exclude.size(), size());
        if (want == 0) {
            return List.of();
        }
        float[] unit = unit(query);
        List<Neighbour> out = new ArrayList<>(want); // k itself may be any size a user asks for
        try (PointerScope scope = new PointerScope()) {
            Tensor q = Tensors.fromFloats(unit, unit.length);
            int lists = (int) centroids.size(0);
            long[] byCentroid = Tensors.toLongs(centroids.mv(q).topk(lists).get1());
            // the index's probes, and more while they hold fewer rows than wanted
            TensorVector scores = new TensorVector();
            List<long[]> spans = new ArrayList<>(); // {first row, rows} of each scanned list
            long candidates = 0;
            for (int i = 0; i < lists && (i < metadata.ivf().probes() || candidates < want); i++) {
                int l = (int) byCentroid[i];
                long rows = offsets[l + 1] - offsets[l];
                if (rows > 0) {
                    scores.push_back(vectors.narrow(0, offsets[l], rows).mv(q));
                    spans.add(new long[] {offsets[l], rows});
                    candidates += rows;
                }
            }
            T_TensorTensor_T top = torch.cat(scores).topk(want);
            float[] best = Tensors.toFloats(top.get0());
            long[] at = Tensors.toLongs(top.get1());
            for (int j = 0; j < at.length && out.size() < k; j++) {
                String key = keys[rowOfCandidate(spans, at[j])];
                if (!exclude.contains(key)) {
                    out.add(new Neighbour(key, Math.max(-1f, Math.min(1f, best[j]))));
                }
            }
        }
        return out;
    }

    /**
     * Answers the tracks of one list at a time, each scanning exactly the lists its own query would: for every
     * list some of them probe, one matrix product of those tracks against it.
     */
    @Override
    public void allNeighbours(int k, NeighboursSink sink, java.util.function.LongConsumer progress)
            throws IOException {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        int lists = (int) centroids.size(0);
        int probes = Math.min(metadata.ivf().probes(), lists);
        int want = Math.min(k + 1, size()); // the track itself comes back too
        Tensor ct = centroids.t();
        long done = 0;
        for (int l = 0; l < lists; l++) {
            for (long first = offsets[l]; first < offsets[l + 1]; first += BLOCK) {
                int rows = (int) Math.min(BLOCK, offsets[l + 1] - first);
                RunningTopK best = new RunningTopK(rows, want);
                long[] scanned = new long[rows];
                try (PointerScope scope = new PointerScope()) {
                    Tensor q = vectors.narrow(0, first, rows);
                    long[] probed = Tensors.toLongs(q.mm(ct).topk(probes).get1()); // [rows, probes]
                    java.util.Map<Integer, List<Integer>> rowsOf = new java.util.TreeMap<>();
                    for (int r = 0; r < rows; r++) {
                        for (int j = 0; j < probes; j++) {
                            rowsOf.computeIfAbsent((int) probed[r * probes + j], u -> new ArrayList<>()).add(r);
                        }
                    }
                    for (java.util.Map.Entry<Integer, List<Integer>> e : rowsOf.entrySet()) {
                        int u = e.getKey();
                        long n = offsets[u + 1] - offsets[u];
                        if (n == 0) {
                            continue;
                        }
                        List<Integer> who = e.getValue();
                        Tensor sub = who.size() == rows ? q : q.index_select(0, Tensors.fromLongs(
                                who.stream().mapToLong(Integer::longValue).toArray(), who.size()));
                        int top = (int) Math.min(want, n);
                        T_TensorTensor_T t = sub.mm(vectors.narrow(0, offsets[u], n).t()).topk(top);
                        float[] s = Tensors.toFloats(t.get0());
                        long[] at = Tensors.toLongs(t.get1());
                        for (int i = 0; i < who.size(); i++) {
                            int r = who.get(i);
                            scanned[r] += n;
                            for (int j = 0; j < top; j++) {
                                best.offer(r, s[i * top + j], offsets[u] + at[i * top + j]);
                            }
                        }
                    }
                }
                for (int r = 0; r < rows; r++) {
                    String key = keys[(int) (first + r)];
                    if (scanned[r] < want) {
                        // its probes hold too few tracks (a tiny index): one query, which scans on
                        sink.accept(key, search(vectorOf((int) (first + r)), k, Set.of(key)));
                        continue;
                    }
                    List<Neighbour> out = new ArrayList<>(want);
                    for (int j = 0; j < want && out.size() < k; j++) {
                        long row = best.row(r, j);
                        if (row >= 0 && row != first + r) {
                            out.add(new Neighbour(keys[(int) row], Math.max(-1f, Math.min(1f, best.score(r, j)))));
                        }
                    }
                    sink.accept(key, out);
                }
                done += rows;
                progress.accept(done);
            }
            if (l % 64 == 63) {
                NativeMemory.release();
            }
        }
        NativeMemory.release();
    }

    /** Tracks answered per matrix product in {@link #allNeighbours}. */
    private static final int BLOCK = 2048;

    @Override
    public String resolve(String track) {
        if (rowOf.containsKey(track)) {
            return track;
        }
        int[] rows = byStem.getOrDefault(TrackKeys.stem(track), new int[0]);
        return TrackKeys.onlyByStem(track, Arrays.stream(rows).mapToObj(r -> keys[r]).toList());
    }

    @Override
    public float[] vector(String key) {
        Integer row = rowOf.get(key);
        if (row == null) {
            throw new IllegalArgumentException(key + ": not in the index");
        }
        return vectorOf(row);
    }

    @Override
    public void forEachVector(BiConsumer<String, float[]> action) {
        for (int i = 0; i < keys.length; i++) {
            action.accept(keys[i], vectorOf(i));
        }
    }

    /** Row {@code i}'s vector as it was added: its unit vector times its length. */
    private float[] vectorOf(int i) {
        float[] v;
        try (PointerScope scope = new PointerScope()) {
            v = Tensors.toFloats(vectors.select(0, i));
        }
        for (int j = 0; j < v.length; j++) {
            v[j] *= norms[i];
        }
        return v;
    }

    /** The unit vector along {@code query}, refusing one of length 0. */
    private static float[] unit(float[] query) {
        double sum = 0;
        for (float v : query) {
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException("query vector holds a non-finite value (" + v + ")");
            }
            sum += (double) v * v;
        }
        if (sum == 0) {
            throw new IllegalArgumentException("query vector is all zeros, cosine similarity is undefined");
        }
        double scale = 1 / Math.sqrt(sum);
        float[] out = new float[query.length];
        for (int j = 0; j < out.length; j++) {
            out[j] = (float) (query[j] * scale);
        }
        return out;
    }

    private static int rowOfCandidate(List<long[]> spans, long candidate) {
        for (long[] span : spans) {
            if (candidate < span[1]) {
                return (int) (span[0] + candidate);
            }
            candidate -= span[1];
        }
        throw new IllegalStateException("candidate " + candidate + " past the scanned lists");
    }

    private static int[] append(int[] a, int v) {
        int[] out = Arrays.copyOf(a, a.length + 1);
        out[a.length] = v;
        return out;
    }

    /** An array of the index, checked against the shape the metadata implies. */
    private static Tensor read(Path dir, String name, long... shape) throws IOException {
        Path file = dir.resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new IOException(dir + ": the IVF index lacks " + name);
        }
        Tensor t = NpyTensors.read(file);
        if (!Arrays.equals(t.sizes().vec().get(), shape)) {
            throw new IOException(file + ": shape " + Arrays.toString(t.sizes().vec().get()) + ", the index's metadata"
                    + " says " + Arrays.toString(shape));
        }
        return t;
    }

    private static String[] readKeys(Path file, long n) throws IOException {
        String[] keys = new String[(int) n];
        int i = 0;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line; (line = r.readLine()) != null; ) {
                if (i == n) {
                    throw new IOException(file + ": more keys than the index's " + n + " tracks");
                }
                keys[i++] = JSON.readValue(line, String.class);
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(file + ": line " + (i + 1) + " is not a JSON string", e);
        }
        if (i != n) {
            throw new IOException(file + ": " + i + " keys, the index has " + n + " tracks");
        }
        return keys;
    }

    @Override
    public void close() {
        vectors.close();
        centroids.close();
    }
}
