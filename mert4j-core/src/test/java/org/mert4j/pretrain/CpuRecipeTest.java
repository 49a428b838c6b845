package org.mert4j.pretrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mert4j.model.MertConfig;

/** The CPU recipe's parts: the preset, labels at the encoder's 25 frames/s, and the linear head learning. */
class CpuRecipeTest {

    @Test
    void presetResolvesToTheSpectrogramFrontAndTheLinearHead() {
        PretrainConfig c = PretrainConfig.load("cpu", null, List.of());
        assertTrue(c.encoderConfig().hasSpectrogramFront());
        assertTrue(c.encoderConfig().transformer().preNorm());
        assertTrue(c.objective().linearHead());
        assertEquals(0.0, c.objective().noise().prob());
        assertEquals(c.optim().totalSteps(), c.run().maxSteps(), "the learning rate decays to zero at the last update");
        assertEquals("linear", c.toJson().get("objective").get("head").asText(), "recorded in the resolved config");
        assertThrows(org.mert4j.model.ConfigException.class,
                () -> PretrainConfig.load("cpu", null, List.of("objective.head=softmax")));
        assertEquals(AcousticHead.COSINE, PretrainConfig.load("small", null, List.of()).objective().acoustic().head());
    }

    @Test
    void anEncoderFrameTakesTheLabelInItsMiddle() {
        int[] labels = new int[40];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i;
        }
        assertArrayEquals(new int[] {7, 10, 13}, ManifestBatchSource.window(labels, 2, 3, 3));
        assertArrayEquals(new int[] {2, 3, 4}, ManifestBatchSource.window(labels, 2, 3, 1));
        assertArrayEquals(new int[] {37, 39, 39}, ManifestBatchSource.window(labels, 12, 3, 3), "a short file repeats its last label");
        assertEquals(3, ManifestBatchSource.labelsPerFrame(75, 25));
        assertEquals(1, ManifestBatchSource.labelsPerFrame(75, 75));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ManifestBatchSource.labelsPerFrame(75, 30))
                .getMessage().contains("whole multiple"));
        assertThrows(IllegalArgumentException.class, () -> ManifestBatchSource.labelsPerFrame(25, 75));
    }

    /** The tone task of TrainerTest on a small spectrogram-front encoder with the linear head: chance is 1/8. */
    @Test
    void linearHeadOnTheSpectrogramFrontLearnsMaskedPitch(@TempDir Path run) {
        PretrainConfig c = PretrainConfig.load("cpu", null, List.of("encoder.hidden_size=64", "encoder.num_hidden_layers=2",
                "encoder.intermediate_size=128", "encoder.num_conv_pos_embedding_groups=4", "data.max_tokens=96000",
                "run.max_steps=60", "run.save_every=1000", "run.log_every=1", "optim.warmup_steps=5",
                "optim.total_steps=60", "optim.lr=0.003", "objective.mask_length=3"));
        MertConfig enc = c.encoderConfig();
        ToneBatches tones = new ToneBatches(enc, ToneBatches.Settings.of(4, 24_000, 8, 1).withCqtBins(84)
                .withSegmentSeconds(0.5).withMasking(new SpanMasking(0.5, 3, 1)));
        List<StepMetrics> seen = new ArrayList<>();
        try (Trainer t = new Trainer(c, run, tones, null, GradientSync.SINGLE, new Trainer.Listener() {
            public void onStep(StepMetrics m) {
                seen.add(m);
            }
        })) {
            t.train();
        }
        double first = seen.subList(0, 5).stream().mapToDouble(StepMetrics::acoustic).average().orElseThrow();
        double last = seen.subList(seen.size() - 10, seen.size()).stream().mapToDouble(StepMetrics::acoustic).average().orElseThrow();
        double acc = seen.subList(seen.size() - 10, seen.size()).stream().mapToDouble(m -> m.accuracy()[0]).average().orElseThrow();
        System.out.printf("spectrogram front, linear head: acoustic loss %.3f -> %.3f, masked accuracy %.3f%n", first, last, acc);
        assertTrue(last < 0.5 * first, "acoustic loss should fall clearly: " + first + " -> " + last);
        assertTrue(acc > 0.125 + 0.3, "masked accuracy " + acc + " should beat chance 0.125 by 0.3");
    }
}
