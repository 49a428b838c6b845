package org.mert4j.teacher;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.T_TensorTensor_T;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.mert4j.io.SafetensorsReader;
import org.mert4j.io.SafetensorsWriter;
import org.mert4j.io.StateDict;
import org.mert4j.tensor.Devices;
import org.mert4j.tensor.FloatArray;
import org.mert4j.tensor.Tensors;

/**
 * k-means centres and the mini-batch k-means that fits them, as scikit-learn's {@code MiniBatchKMeans} does
 * it: greedy k-means++ initialisation (2 + ln k candidates per centre, the one that lowers the potential
 * most wins), several initialisations judged on a validation sample, then mini-batch steps where each
 * centre moves towards the mean of its batch points with learning rate (points in batch) / (points seen),
 * low-count centres reassigned to random batch points, and early stopping on the smoothed batch inertia.
 *
 * <p>All random draws come from one {@link Random} seeded by {@link KMeansOptions#seed}, and the maths runs
 * on the device of the data, so one seed gives one result on a given device. Distances are squared
 * Euclidean in float32: |x|² - 2 x·c + |c|², clamped at 0.
 */
public final class KMeans implements AutoCloseable {
    /** The safetensors name of the centre matrix [k, D]. */
    public static final String CENTROIDS = "centroids";
    /** Rows per chunk when assigning many points, so that the [rows, k] distance matrix stays small. */
    private static final int CHUNK = 16384;

    private final Tensor centroids;
    private final Tensor centroidNorms;
    private final Map<String, String> metadata;

    private KMeans(Tensor centroids, Map<String, String> metadata) {
        // retained so that a PointerScope of the caller cannot free them; released by close()
        this.centroids = centroids;
        centroids.retainReference();
        this.centroidNorms = centroids.square().sum(1);
        centroidNorms.retainReference();
        this.metadata = Map.copyOf(metadata);
    }

    /** Centres given as a row-major [k, dim] array, on {@code device}. */
    public static KMeans of(float[] centres, int k, int dim, String device) {
        Tensor c = Tensors.fromFloats(centres, k, dim).to(Devices.parse(device), ScalarType.Float);
        return new KMeans(c, Map.of());
    }

    /** Fits k centres to the rows of {@code x} [N, D] (float, any device); the result lives on x's device. */
    public static KMeans fit(Tensor x, KMeansOptions o) {
        if (x.dim() != 2) {
            throw new IllegalArgumentException("k-means needs points as a 2-D tensor [N, D], got shape "
                    + Tensors.shapeString(x));
        }
        long n = x.size(0);
        if (n < o.k()) {
            throw new IllegalArgumentException("k-means with k=" + o.k() + " needs at least " + o.k()
                    + " points, got " + n);
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("k-means fit on " + n + " points: sample at most "
                    + Integer.MAX_VALUE + " (fit on a sample, predict on all)");
        }
        Random rnd = new Random(o.seed());
        Device device = x.device();
        Tensor points = x.to(ScalarType.Float).contiguous();
        Tensor pointNorms = points.square().sum(1);
        int initSize = o.initSizeFor(n);

        Tensor centres = points.narrow(0, 0, o.k()).clone(); // overwritten by the best initialisation
        try (PointerScope scope = new PointerScope()) {
            Tensor validIdx = indexTensor(randomInts(rnd, (int) n, initSize), device);
            Tensor valid = points.index_select(0, validIdx);
            Tensor validNorms = pointNorms.index_select(0, validIdx);
            Tensor best = null;
            double bestInertia = Double.POSITIVE_INFINITY;
            for (int i = 0; i < o.nInit(); i++) {
                Tensor idx = indexTensor(randomInts(rnd, (int) n, initSize), device);
                Tensor c = kMeansPlusPlus(points.index_select(0, idx), pointNorms.index_select(0, idx), o.k(), rnd);
                double inertia = assign(valid, validNorms, c, c.square().sum(1)).inertia;
                if (inertia < bestInertia) {
                    bestInertia = inertia;
                    best = c;
                }
            }
            centres.copy_(best);
        }
        miniBatchSteps(points, pointNorms, centres, o, rnd);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "mert4j-kmeans");
        meta.put("k", Integer.toString(o.k()));
        meta.put("dim", Long.toString(points.size(1)));
        meta.put("seed", Long.toString(o.seed()));
        meta.put("batch_size", Integer.toString(o.batchSize()));
        meta.put("n_init", Integer.toString(o.nInit()));
        meta.put("fit_points", Long.toString(n));
        return new KMeans(centres, meta);
    }

    private static void miniBatchSteps(Tensor points, Tensor pointNorms, Tensor centres, KMeansOptions o, Random rnd) {
        int n = (int) points.size(0);
        int k = o.k();
        Device device = points.device();
        double[] counts = new double[k];
        long steps = (long) o.maxIter() * n / o.batchSize();
        long sinceReassign = 0;
        double ewa = Double.NaN;
        double ewaMin = Double.NaN;
        int noImprovement = 0;
        double alpha = Math.min(1.0, o.batchSize() * 2.0 / (n + 1));
        for (long step = 0; step < steps; step++) {
            // scikit-learn's _random_reassign: every 10 k points seen, or whenever a centre is still empty
            sinceReassign += o.batchSize();
            boolean reassign = false;
            if (sinceReassign >= 10L * k || Arrays.stream(counts).anyMatch(c -> c == 0)) {
                sinceReassign = 0;
                reassign = true;
            }
            double batchInertia;
            try (PointerScope scope = new PointerScope()) {
                Tensor idx = indexTensor(randomInts(rnd, n, o.batchSize()), device);
                Tensor batch = points.index_select(0, idx);
                Assignment a = assign(batch, pointNorms.index_select(0, idx), centres, centres.square().sum(1));
                batchInertia = a.inertia;
                long[] labels = a.labels;
                long[] inBatch = new long[k];
                for (long l : labels) {
                    inBatch[(int) l]++;
                }
                // centre = (centre * seen + sum of its batch points) / (seen + in batch)
                float[] keep = new float[k];
                float[] add = new float[k];
                for (int j = 0; j < k; j++) {
                    if (inBatch[j] > 0) {
                        double total = counts[j] + inBatch[j];
                        keep[j] = (float) (counts[j] / total);
                        add[j] = (float) (1.0 / total);
                        counts[j] = total;
                    } else {
                        keep[j] = 1f;
                    }
                }
                Tensor sums = torch.zeros_like(centres).index_add_(0, a.labelTensor, batch);
                Tensor updated = centres.mul(column(keep, device)).add(sums.mul(column(add, device)));
                if (reassign && o.reassignmentRatio() > 0) {
                    reassignLowCounts(updated, batch, counts, o.reassignmentRatio(), rnd);
                }
                centres.copy_(updated);
            }
            // scikit-learn's _mini_batch_convergence (the first step's inertia is from the init: ignored)
            if (step == 0) {
                continue;
            }
            double mean = batchInertia / o.batchSize();
            ewa = Double.isNaN(ewa) ? mean : ewa * (1 - alpha) + mean * alpha;
            if (Double.isNaN(ewaMin) || ewa < ewaMin) {
                noImprovement = 0;
                ewaMin = ewa;
            } else {
                noImprovement++;
            }
            if (o.maxNoImprovement() > 0 && noImprovement >= o.maxNoImprovement()) {
                break;
            }
        }
    }

    /** Moves centres seen less than ratio × the largest count onto random distinct batch points. */
    private static void reassignLowCounts(Tensor centres, Tensor batch, double[] counts, double ratio, Random rnd) {
        int k = counts.length;
        double max = Arrays.stream(counts).max().orElse(0);
        boolean[] move = new boolean[k];
        int moving = 0;
        for (int j = 0; j < k; j++) {
            if (counts[j] < ratio * max) {
                move[j] = true;
                moving++;
            }
        }
        int batchSize = (int) batch.size(0);
        int limit = (int) (0.5 * batchSize);
        if (moving > 0.5 * batchSize) {
            // keep only the `limit` lowest counts (stable order, like numpy's argsort)
            Integer[] order = new Integer[k];
            for (int j = 0; j < k; j++) {
                order[j] = j;
            }
            Arrays.sort(order, (a, b) -> Double.compare(counts[a], counts[b]));
            for (int r = limit; r < k; r++) {
                move[order[r]] = false;
            }
            moving = limit;
        }
        if (moving == 0 || moving == k) {
            return;
        }
        int[] rows = distinctRandomInts(rnd, batchSize, moving);
        long[] targets = new long[moving];
        double minKept = Double.POSITIVE_INFINITY;
        for (int j = 0, t = 0; j < k; j++) {
            if (move[j]) {
                targets[t++] = j;
            } else {
                minKept = Math.min(minKept, counts[j]);
            }
        }
        Device device = centres.device();
        centres.index_copy_(0, Tensor.create(targets).to(device, ScalarType.Long),
                batch.index_select(0, indexTensor(rows, device)));
        // not reset to 0, which would reassign them again at once (scikit-learn's rule)
        for (long j : targets) {
            counts[(int) j] = minKept;
        }
    }

    /** Greedy k-means++ on a sample [m, D]: returns new centres [k, D] on the sample's device. */
    private static Tensor kMeansPlusPlus(Tensor sample, Tensor norms, int k, Random rnd) {
        int m = (int) sample.size(0);
        int trials = 2 + (int) Math.log(k);
        Device device = sample.device();
        int[] chosen = new int[k];
        chosen[0] = rnd.nextInt(m);
        double[] closest = Tensors.toDoubles(squaredDistances(sample, norms, new int[] {chosen[0]}));
        double potential = sum(closest);
        double[] cumulative = new double[m];
        for (int c = 1; c < k; c++) {
            double run = 0;
            for (int i = 0; i < m; i++) {
                run += closest[i];
                cumulative[i] = run;
            }
            int[] candidates = new int[trials];
            for (int t = 0; t < trials; t++) {
                candidates[t] = Math.min(searchSorted(cumulative, rnd.nextDouble() * potential), m - 1);
            }
            double[] d = Tensors.toDoubles(squaredDistances(sample, norms, candidates));
            int best = -1;
            double bestPotential = Double.POSITIVE_INFINITY;
            for (int t = 0; t < trials; t++) {
                double p = 0;
                for (int i = 0; i < m; i++) {
                    p += Math.min(closest[i], d[t * m + i]);
                }
                if (p < bestPotential) {
                    bestPotential = p;
                    best = t;
                }
            }
            for (int i = 0; i < m; i++) {
                closest[i] = Math.min(closest[i], d[best * m + i]);
            }
            potential = bestPotential;
            chosen[c] = candidates[best];
        }
        return sample.index_select(0, indexTensor(chosen, device)).clone();
    }

    /** Squared distances [rows.length, m] from the sample rows {@code rows} to every sample row. */
    private static Tensor squaredDistances(Tensor sample, Tensor norms, int[] rows) {
        Tensor idx = indexTensor(rows, sample.device());
        Tensor r = sample.index_select(0, idx);
        return norms.index_select(0, idx).unsqueeze(1).add(norms.unsqueeze(0))
                .sub(r.matmul(sample.t()).mul(new org.bytedeco.pytorch.Scalar(2.0))).clamp_min(
                        new org.bytedeco.pytorch.Scalar(0.0));
    }

    /** numpy's searchsorted(side='left'): the first index whose value is >= v. */
    private static int searchSorted(double[] sorted, double v) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private record Assignment(Tensor labelTensor, long[] labels, double inertia) {}

    /** Nearest centre of each point and the sum of squared distances. */
    private static Assignment assign(Tensor x, Tensor xNorms, Tensor c, Tensor cNorms) {
        Tensor d = xNorms.unsqueeze(1).add(cNorms.unsqueeze(0))
                .sub(x.matmul(c.t()).mul(new org.bytedeco.pytorch.Scalar(2.0)));
        T_TensorTensor_T min = d.min(1);
        Tensor labels = min.get1();
        double inertia = min.get0().clamp_min(new org.bytedeco.pytorch.Scalar(0.0)).to(ScalarType.Double).sum()
                .item_double();
        return new Assignment(labels, Tensors.toLongs(labels), inertia);
    }

    /** The index of the nearest centre of every row of {@code x} [N, D] (any device; moved to the centres'). */
    public int[] predict(Tensor x) {
        checkPoints(x);
        long n = x.size(0);
        int[] out = new int[Math.toIntExact(n)];
        for (long start = 0; start < n; start += CHUNK) {
            try (PointerScope scope = new PointerScope()) {
                Tensor chunk = chunk(x, start, Math.min(n, start + CHUNK));
                long[] l = assign(chunk, chunk.square().sum(1), centroids, centroidNorms).labels;
                for (int i = 0; i < l.length; i++) {
                    out[(int) start + i] = (int) l[i];
                }
            }
        }
        return out;
    }

    /** Sum over the rows of {@code x} of the squared distance to the nearest centre (scikit-learn's inertia). */
    public double inertia(Tensor x) {
        checkPoints(x);
        long n = x.size(0);
        double total = 0;
        for (long start = 0; start < n; start += CHUNK) {
            try (PointerScope scope = new PointerScope()) {
                Tensor chunk = chunk(x, start, Math.min(n, start + CHUNK));
                total += assign(chunk, chunk.square().sum(1), centroids, centroidNorms).inertia;
            }
        }
        return total;
    }

    private Tensor chunk(Tensor x, long from, long to) {
        return x.narrow(0, from, to - from).to(centroids.device(), ScalarType.Float).contiguous();
    }

    private void checkPoints(Tensor x) {
        if (x.dim() != 2 || x.size(1) != dim()) {
            throw new IllegalArgumentException("k-means with " + k() + " centres of dimension " + dim()
                    + " needs points [N, " + dim() + "], got shape " + Tensors.shapeString(x));
        }
    }

    public int k() {
        return (int) centroids.size(0);
    }

    public int dim() {
        return (int) centroids.size(1);
    }

    /** The centres as a [k, D] array. */
    public FloatArray centroids() {
        return new FloatArray(Tensors.toFloats(centroids), new long[] {k(), dim()});
    }

    /** What the fit recorded (k, dim, seed, ...) plus what the file it was loaded from said. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Writes the centres as safetensors ({@value #CENTROIDS}: float32 [k, D]) with this k-means' metadata and {@code extra}. */
    public void save(Path file, Map<String, String> extra) {
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        meta.put("format", "mert4j-kmeans");
        meta.put("k", Integer.toString(k()));
        meta.put("dim", Integer.toString(dim()));
        meta.putAll(extra);
        try (PointerScope scope = new PointerScope()) {
            Tensor cpu = centroids.to(new Device("cpu"), ScalarType.Float).contiguous();
            SafetensorsWriter.write(file, Map.of(CENTROIDS, cpu), meta);
        }
    }

    /** Reads centres written by {@link #save} (or any safetensors file with a 2-D {@value #CENTROIDS}). */
    public static KMeans load(Path file, String device) {
        Map<String, String> meta = SafetensorsReader.metadata(file);
        try (StateDict state = SafetensorsReader.read(file)) {
            if (!state.contains(CENTROIDS)) {
                throw new IllegalArgumentException(file + ": not a k-means file: no tensor '" + CENTROIDS
                        + "' (found " + state.names() + ")");
            }
            Tensor c = state.get(CENTROIDS);
            if (c.dim() != 2 || c.size(0) < 1 || c.size(1) < 1) {
                throw new IllegalArgumentException(file + ": '" + CENTROIDS + "' must be [k, D], got "
                        + Tensors.shapeString(c));
            }
            Tensor moved = c.to(Devices.parse(device), ScalarType.Float).clone();
            return new KMeans(moved, meta == null ? Map.of() : meta);
        }
    }

    @Override
    public void close() {
        centroidNorms.releaseReference();
        centroids.releaseReference();
    }

    // ---- small helpers -------------------------------------------------------------------------------

    private static int[] randomInts(Random rnd, int bound, int count) {
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            out[i] = rnd.nextInt(bound);
        }
        return out;
    }

    /** {@code count} distinct values of [0, bound), by a partial Fisher-Yates shuffle. */
    static int[] distinctRandomInts(Random rnd, int bound, int count) {
        int[] all = new int[bound];
        for (int i = 0; i < bound; i++) {
            all[i] = i;
        }
        for (int i = 0; i < count; i++) {
            int j = i + rnd.nextInt(bound - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        return Arrays.copyOf(all, count);
    }

    private static Tensor indexTensor(int[] idx, Device device) {
        long[] l = new long[idx.length];
        for (int i = 0; i < idx.length; i++) {
            l[i] = idx[i];
        }
        return Tensor.create(l).to(device, ScalarType.Long);
    }

    private static Tensor column(float[] v, Device device) {
        return Tensor.create(v).to(device, ScalarType.Float).unsqueeze(1);
    }

    private static double sum(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s;
    }
}
