package org.mert4j.cli.bench;

import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mert4j.model.MertConfig;
import org.mert4j.pretrain.BatchSource;
import org.mert4j.pretrain.PretrainBatch;
import org.mert4j.pretrain.SpanMasking;

/**
 * Pretraining batches for timing a training step without a dataset: noisy tones, random labels per
 * codebook, a random CQT target and span masks, built in advance so that building them is not timed.
 * Every call returns the same few batches in turn (the step time does not depend on their values).
 */
public final class SyntheticBatches implements BatchSource {
    private final PretrainBatch[] batches;
    private final int[] classes;
    private long cursor;

    /**
     * @param codebooks label streams (MERT-v1: 8 EnCodec codebooks)
     * @param classesPerCodebook classes of each stream (EnCodec: 1024)
     */
    public SyntheticBatches(MertConfig encoder, int batchSize, int samples, int codebooks, int classesPerCodebook,
                            int cqtBins, double maskProb, int maskLength, int minMasks, long seed) {
        int frames = (int) encoder.framesFor(samples);
        if (frames <= 0) {
            throw new IllegalArgumentException(samples + " samples give no encoder frame");
        }
        this.classes = new int[codebooks];
        java.util.Arrays.fill(classes, classesPerCodebook);
        SpanMasking masking = new SpanMasking(maskProb, maskLength, minMasks);
        SplittableRandom rng = new SplittableRandom(seed);
        this.batches = new PretrainBatch[2];
        for (int i = 0; i < batches.length; i++) {
            float[][] waves = new float[batchSize][samples];
            float[][][] cqt = new float[batchSize][frames][cqtBins];
            int[][][] labels = new int[codebooks][batchSize][frames];
                int[] items = new int[batchSize];
            for (int b = 0; b < batchSize; b++) {
                items[b] = i * batchSize + b;
                double f = 110 * Math.pow(2, rng.nextInt(36) / 12.0);
                for (int n = 0; n < samples; n++) {
                    waves[b][n] = (float) (0.5 * Math.sin(2 * Math.PI * f * n / encoder.sampleRate())
                            + 0.05 * rng.nextGaussian());
                }
                for (int t = 0; t < frames; t++) {
                    for (int k = 0; k < cqtBins; k++) {
                        cqt[b][t][k] = (float) rng.nextDouble();
                    }
                    for (int c = 0; c < codebooks; c++) {
                        labels[c][b][t] = rng.nextInt(classesPerCodebook);
                    }
                }
            }
            boolean[][] masks = masking.sample(batchSize, frames, rng);
            batches[i] = new PretrainBatch(waves, cqt, labels, masks, items);
        }
    }

    @Override
    public PretrainBatch next() {
        return batches[(int) (cursor++ % batches.length)];
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
        return classes.clone();
    }
}
