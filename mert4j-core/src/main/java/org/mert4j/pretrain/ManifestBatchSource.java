package org.mert4j.pretrain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mert4j.dsp.Cqt;
import org.mert4j.model.MertConfig;
import org.mert4j.teacher.LabelSet;
import org.mert4j.teacher.Manifest;
import org.mert4j.teacher.TeacherAudio;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pretraining batches from a manifest and its label folder (docs/pretraining.md, "Data"): each epoch shuffles the
 * labelled rows long enough to train on (seeded by epoch), ranks take every world-th row, a batch holds
 * {@code max_tokens / crop samples} clips cut at random to the shortest of them (at most the crop
 * length, starting on a frame boundary so labels stay aligned), the CQT target is computed from the
 * clean crops, then spans are masked and the in-batch noise mixture is added.
 * Batches are built ahead by background threads; batch k is a function of (seed, rank, k) only, so the
 * order of threads never changes what training sees and a saved position resumes exactly.
 */
public final class ManifestBatchSource implements BatchSource {
    private static final Logger LOG = LoggerFactory.getLogger(ManifestBatchSource.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Manifest manifest;
    private final LabelSet labels;
    private final MertConfig encoder;
    private final Objective objective;
    private final int rank;
    private final int world;
    private final long seed;
    private final int clipsPerBatch;
    private final int cropSamples;
    private final int stride;
    private final int labelsPerFrame;
    private final int[] eligible;
    private final Cqt cqt;
    private final SpanMasking masking;
    private final NoiseMixture noise;
    private final ExecutorService workers;
    private final int ahead;
    private final Map<Long, CompletableFuture<PretrainBatch>> pending = new HashMap<>();
    private final Map<Integer, float[]> audioCache;
    private long audioCacheValues;
    private final long audioCacheLimit;
    private final Map<Integer, String> badRows = new LinkedHashMap<>();
    private long next;
    private double waitSeconds;

    public ManifestBatchSource(Manifest manifest, LabelSet labels, PretrainConfig config, int rank, int world) {
        this.manifest = manifest;
        this.labels = labels;
        this.encoder = config.encoderConfig();
        if (manifest.sampleRate() != encoder.sampleRate()) {
            throw new IllegalArgumentException("manifest lengths are at " + manifest.sampleRate()
                    + " Hz but the encoder runs at " + encoder.sampleRate() + " Hz: make the manifest with --sample-rate "
                    + encoder.sampleRate());
        }
        this.objective = config.objective();
        this.rank = rank;
        this.world = world;
        this.seed = config.data().seed();
        this.stride = encoder.totalStride();
        this.cropSamples = (int) Math.round(config.data().cropSeconds() * encoder.sampleRate());
        this.clipsPerBatch = Math.max(1, config.data().maxTokens() / cropSamples);
        long minSamples = Math.round(config.data().minSeconds() * encoder.sampleRate());
        List<Integer> rows = new ArrayList<>();
        for (int r : labels.labelledRows()) {
            if (manifest.get(r).numSamples() >= Math.max(minSamples, encoder.receptiveField())) {
                rows.add(r);
            }
        }
        if (rows.size() < world) {
            throw new IllegalArgumentException("only " + rows.size() + " labelled rows of at least "
                    + config.data().minSeconds() + " s in " + manifest.root() + " for " + world + " rank(s)");
        }
        this.eligible = rows.stream().mapToInt(Integer::intValue).toArray();
        this.labelsPerFrame = labelsPerFrame(labels.info().frameRate(), encoder.frameRate());
        this.cqt = objective.cqt().weight() > 0
                ? new Cqt(MertPretrainModel.cqtTargetConfig(encoder, objective.cqt().bins())) : null;
        this.masking = objective.masking().spans();
        this.noise = new NoiseMixture(objective.noise().prob(), objective.noise().maxSegments(),
                objective.noise().minSeconds(), objective.noise().maxSeconds(), encoder.sampleRate());
        this.ahead = Math.max(0, config.data().prefetch());
        this.workers = Executors.newFixedThreadPool(Math.max(1, ahead), r -> {
            Thread t = new Thread(r, "mert-batches");
            t.setDaemon(true);
            return t;
        });
        // small corpora are decoded once: keep up to 256 M samples (1 GB) of decoded audio
        this.audioCacheLimit = 256L << 20;
        this.audioCache = new LinkedHashMap<>(16, 0.75f, true);
    }

    @Override
    public int[] classes() {
        return labels.streams().stream().mapToInt(s -> s.classes()).toArray();
    }

    /** Rows that could not be decoded, with the reason (reported, then skipped). */
    public synchronized Map<Integer, String> badRows() {
        return new LinkedHashMap<>(badRows);
    }

    @Override
    public double waitSeconds() {
        return waitSeconds;
    }

    @Override
    public PretrainBatch next() {
        for (long k = next; k <= next + ahead; k++) {
            long index = k;
            pending.computeIfAbsent(index, i -> CompletableFuture.supplyAsync(() -> build(index), workers));
        }
        long t0 = System.nanoTime();
        try {
            PretrainBatch b = pending.remove(next).get();
            next++;
            waitSeconds += (System.nanoTime() - t0) / 1e9;
            return b == null ? next() : b; // a batch whose every file failed to decode is skipped
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a batch", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("building batch " + next + " failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    @Override
    public ObjectNode position() {
        return JSON.createObjectNode().put("batch", next).put("seed", seed).put("rank", rank).put("world", world);
    }

    @Override
    public void seek(ObjectNode position) {
        if (position.path("world").asInt(world) != world) {
            throw new IllegalArgumentException("checkpoint was made with " + position.path("world").asInt()
                    + " rank(s); resume with the same number (--nproc)");
        }
        pending.values().forEach(f -> f.cancel(false));
        pending.clear();
        next = position.path("batch").asLong(0);
    }

    /** Batch {@code index} of this rank: a pure function of (seed, rank, index) and the data. */
    private PretrainBatch build(long index) {
        int perEpoch = Math.max(1, eligible.length / world / clipsPerBatch);
        long epoch = index / perEpoch;
        int inEpoch = (int) (index % perEpoch);
        int[] order = epochOrder(epoch);
        List<Integer> rows = new ArrayList<>();
        List<float[]> audio = new ArrayList<>();
        for (int c = 0; c < clipsPerBatch; c++) {
            int pos = ((inEpoch * clipsPerBatch + c) * world + rank) % order.length;
            int row = order[pos];
            float[] a = decode(row);
            if (a != null && a.length >= encoder.receptiveField()) {
                rows.add(row);
                audio.add(a);
            }
        }
        if (rows.isEmpty()) {
            return null;
        }
        SplittableRandom rng = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (index * world + rank + 1)));
        int shortest = audio.stream().mapToInt(a -> a.length).min().orElseThrow();
        int len = Math.min(cropSamples, shortest);
        int frames = (int) encoder.framesFor(len);
        int b = rows.size();
        float[][] clean = new float[b][];
        int[][][] lab = new int[classes().length][b][];
        for (int i = 0; i < b; i++) {
            float[] a = audio.get(i);
            int startFrame = rng.nextInt((a.length - len) / stride + 1);
            int start = startFrame * stride;
            clean[i] = Arrays.copyOfRange(a, start, start + len);
            int[][] rowLabels = labels.labels(rows.get(i));
            for (int s = 0; s < rowLabels.length; s++) {
                lab[s][i] = window(rowLabels[s], startFrame, frames, labelsPerFrame);
            }
        }
        boolean[][] masks = masking.sample(b, frames, rng);
        float[][][] target = cqt == null ? null : MertPretrainModel.cqtTarget(cqt, clean, frames, objective.cqt().target() == CqtTarget.LOG);
        float[][] noisy = noise.apply(clean, rng);
        return new PretrainBatch(noisy, target, lab, masks, rows.stream().mapToInt(Integer::intValue).toArray());
    }

    private int[] epochOrder(long epoch) {
        int[] order = eligible.clone();
        SplittableRandom rng = new SplittableRandom(seed * 31 + epoch);
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /**
     * Labels of encoder frames [start, start + frames). With {@code per} label frames per encoder frame (labels at
     * 75 Hz, a spectrogram front at 25 Hz) an encoder frame takes the label in its middle. A label file up to 2 frames
     * short repeats its last label.
     */
    static int[] window(int[] labels, int start, int frames, int per) {
        int[] out = new int[frames];
        for (int t = 0; t < frames; t++) {
            out[t] = labels[Math.min(labels.length - 1, (start + t) * per + per / 2)];
        }
        return out;
    }

    /** Label frames per encoder frame: a whole number, or the labels cannot be aligned with the encoder. */
    static int labelsPerFrame(double labelRate, double encoderRate) {
        double ratio = labelRate / encoderRate;
        long whole = Math.round(ratio);
        if (whole < 1 || Math.abs(ratio - whole) > 1e-6) {
            throw new IllegalArgumentException("labels at " + labelRate + " frames/s cannot be aligned with the"
                    + " encoder's " + encoderRate + " frames/s: the label rate must be a whole multiple of the"
                    + " encoder's");
        }
        return (int) whole;
    }

    private float[] decode(int row) {
        synchronized (this) {
            float[] cached = audioCache.get(row);
            if (cached != null) {
                return cached;
            }
            if (badRows.containsKey(row)) {
                return null;
            }
        }
        float[] a;
        try {
            a = TeacherAudio.load(manifest.file(row), manifest.sampleRate());
        } catch (RuntimeException e) {
            synchronized (this) {
                if (badRows.put(row, e.getMessage()) == null) {
                    LOG.warn("skipping {}: {}", manifest.file(row), e.getMessage());
                }
            }
            return null;
        }
        synchronized (this) {
            if (a.length <= audioCacheLimit) {
                audioCache.put(row, a);
                audioCacheValues += a.length;
                var it = audioCache.entrySet().iterator();
                while (audioCacheValues > audioCacheLimit && it.hasNext()) {
                    audioCacheValues -= it.next().getValue().length;
                    it.remove();
                }
            }
        }
        return a;
    }

    @Override
    public void close() {
        workers.shutdownNow();
        labels.close();
    }
}
