package org.mert4j.pretrain;

import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A learnable toy teacher: clips of tones whose pitch changes every 0.2 s among {@code classes}
 * pitches; the label of a frame is its pitch index, the "CQT" target a one-hot of it. Deterministic
 * in (seed, batch number), like a real source.
 */
final class ToneBatches implements BatchSource {
    static final int RATE = 24000;
    private final int batchSize;
    private final int samples;
    private final int classes;
    private final long seed;
    private final SpanMasking masking;
    private final int segment;
    private long cursor;

    ToneBatches(int batchSize, double seconds, int classes, long seed) {
        this(batchSize, seconds, classes, seed, 0.2, 0.8);
    }

    /** @param segmentSeconds how long each pitch lasts; @param maskProb span-masking probability */
    ToneBatches(int batchSize, double seconds, int classes, long seed, double segmentSeconds, double maskProb) {
        this.masking = new SpanMasking(maskProb, 5, 2);
        this.segment = (int) (segmentSeconds * RATE);
        this.batchSize = batchSize;
        this.samples = (int) (seconds * RATE);
        this.classes = classes;
        this.seed = seed;
    }

    @Override
    public PretrainBatch next() {
        SplittableRandom rng = new SplittableRandom(seed * 7919 + cursor);
        int frames = (samples - 400) / 320 + 1;
        float[][] waves = new float[batchSize][samples];
        int[][] labels = new int[batchSize][frames];
        float[][][] cqt = new float[batchSize][frames][336];
        int[] items = new int[batchSize];
        for (int b = 0; b < batchSize; b++) {
            items[b] = (int) (cursor * batchSize + b);
            int[] pitch = new int[samples / segment + 1];
            for (int s = 0; s < pitch.length; s++) {
                pitch[s] = rng.nextInt(classes);
            }
            double phase = 0;
            for (int i = 0; i < samples; i++) {
                double f = 110.0 * Math.pow(2, pitch[i / segment] / 2.0);
                phase += 2 * Math.PI * f / RATE;
                waves[b][i] = (float) (0.5 * Math.sin(phase) + 0.01 * rng.nextGaussian());
            }
            for (int t = 0; t < frames; t++) {
                int centre = Math.min(samples - 1, t * 320 + 200);
                labels[b][t] = pitch[centre / segment];
                cqt[b][t][labels[b][t] * 8] = 1f;
            }
        }
        boolean[][] masks = masking.sample(batchSize, frames, rng);
        cursor++;
        return new PretrainBatch(waves, cqt, new int[][][] {labels}, masks, items);
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
        return new int[] {classes};
    }
}
