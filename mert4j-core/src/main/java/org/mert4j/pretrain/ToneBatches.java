package org.mert4j.pretrain;

import java.util.Arrays;
import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mert4j.model.MertConfig;

/**
 * Pretraining batches without a dataset: clips of tones whose pitch changes every segment among a few
 * pitches half an octave apart (from 110 Hz), with a little noise. Every label stream labels a frame
 * with the index of the pitch at its centre and the CQT target is a one-hot of it, so a model can learn
 * the task (tests train on it); span masks are drawn as in pretraining. Deterministic in (seed, batch
 * number), like a real source, so a resumed run sees the batches an uninterrupted one would.
 * {@link #prebuilt} serves timing: a few batches built in advance and returned in turn.
 */
public final class ToneBatches implements BatchSource {
    /** CQT-target bins between consecutive pitches' one-hots (wrapping round a narrower target). */
    private static final int BINS_PER_PITCH = 8;

    private final MertConfig encoder;
    private final Settings settings;
    private final int frames;
    private final PretrainBatch[] prebuilt;
    private long cursor;

    /**
     * @param batchSize      clips per batch
     * @param samples        samples per clip, at the encoder's rate
     * @param pitches        how many pitches the tones take; a frame's label is its pitch's index
     * @param seed           with the batch number, all a batch depends on
     * @param streams        label streams (MERT-v1: 8 EnCodec codebooks), all labelled alike
     * @param classes        classes of each stream, at least {@code pitches}
     * @param cqtBins        width of the CQT target
     * @param segmentSeconds how long each pitch lasts
     * @param masking        how frames are masked
     */
    public record Settings(int batchSize, int samples, int pitches, long seed, int streams, int classes, int cqtBins,
                           double segmentSeconds, SpanMasking masking) {
        public Settings {
            if (batchSize < 1 || pitches < 1 || streams < 1 || classes < pitches || cqtBins < 1
                    || !(segmentSeconds > 0)) {
                throw new IllegalArgumentException("tone batches need a clip, a pitch, a stream, at least as many"
                        + " classes as pitches, a CQT bin and segments of some length");
            }
        }

        /** One stream of {@code pitches} classes, a 336-bin CQT target, 0.2 s per pitch, MERT's span masks. */
        public static Settings of(int batchSize, int samples, int pitches, long seed) {
            return new Settings(batchSize, samples, pitches, seed, 1, pitches, 336, 0.2, new SpanMasking(0.8, 5, 2));
        }

        public Settings withLabels(int streams, int classes) {
            return new Settings(batchSize, samples, pitches, seed, streams, classes, cqtBins, segmentSeconds, masking);
        }

        public Settings withCqtBins(int bins) {
            return new Settings(batchSize, samples, pitches, seed, streams, classes, bins, segmentSeconds, masking);
        }

        public Settings withSegmentSeconds(double seconds) {
            return new Settings(batchSize, samples, pitches, seed, streams, classes, cqtBins, seconds, masking);
        }

        public Settings withMasking(SpanMasking m) {
            return new Settings(batchSize, samples, pitches, seed, streams, classes, cqtBins, segmentSeconds, m);
        }
    }

    /** An endless source of tone batches for a model of {@code encoder}'s shape. */
    public ToneBatches(MertConfig encoder, Settings settings) {
        this(encoder, settings, 0);
    }

    private ToneBatches(MertConfig encoder, Settings settings, int prebuild) {
        this.encoder = encoder;
        this.settings = settings;
        this.frames = (int) encoder.framesFor(settings.samples());
        if (frames <= 0) {
            throw new IllegalArgumentException(settings.samples() + " samples give no encoder frame");
        }
        this.prebuilt = prebuild > 0 ? new PretrainBatch[prebuild] : null;
        for (int i = 0; i < prebuild; i++) {
            prebuilt[i] = build(i);
        }
    }

    /**
     * The first {@code count} batches, built now and then returned in turn: for timing a training step
     * without timing how its batch is made.
     */
    public static ToneBatches prebuilt(MertConfig encoder, Settings settings, int count) {
        return new ToneBatches(encoder, settings, count);
    }

    @Override
    public PretrainBatch next() {
        long n = cursor++;
        return prebuilt != null ? prebuilt[(int) (n % prebuilt.length)] : build(n);
    }

    /** Batch number {@code n}. */
    private PretrainBatch build(long n) {
        Settings s = settings;
        SplittableRandom rng = new SplittableRandom(s.seed() * 7919 + n);
        int rate = encoder.sampleRate();
        int segment = (int) (s.segmentSeconds() * rate);
        float[][] waves = new float[s.batchSize()][s.samples()];
        int[][] labels = new int[s.batchSize()][frames];
        float[][][] cqt = new float[s.batchSize()][frames][s.cqtBins()];
        int[] items = new int[s.batchSize()];
        for (int b = 0; b < s.batchSize(); b++) {
            items[b] = (int) (n * s.batchSize() + b);
            int[] pitch = new int[s.samples() / segment + 1];
            for (int i = 0; i < pitch.length; i++) {
                pitch[i] = rng.nextInt(s.pitches());
            }
            double phase = 0;
            for (int i = 0; i < s.samples(); i++) {
                double f = 110.0 * Math.pow(2, pitch[i / segment] / 2.0);
                phase += 2 * Math.PI * f / rate;
                waves[b][i] = (float) (0.5 * Math.sin(phase) + 0.01 * rng.nextGaussian());
            }
            for (int t = 0; t < frames; t++) {
                int centre = Math.min(s.samples() - 1, t * encoder.totalStride() + encoder.receptiveField() / 2);
                labels[b][t] = pitch[centre / segment];
                cqt[b][t][labels[b][t] * BINS_PER_PITCH % s.cqtBins()] = 1f;
            }
        }
        boolean[][] masks = s.masking().sample(s.batchSize(), frames, rng);
        int[][][] streams = new int[s.streams()][][];
        Arrays.fill(streams, labels); // nothing writes to a batch, so the streams can share one array
        return new PretrainBatch(waves, cqt, streams, masks, items);
    }

    @Override
    public ObjectNode position() {
        return new ObjectMapper().createObjectNode().put("cursor", cursor);
    }

    @Override
    public void seek(ObjectNode position) {
        cursor = position.get("cursor").asLong();
    }

    @Override
    public int[] classes() {
        int[] classes = new int[settings.streams()];
        Arrays.fill(classes, settings.classes());
        return classes;
    }
}
