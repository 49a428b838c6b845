package org.mert4j.pretrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mert4j.model.MertConfig;
import org.mert4j.model.MertModel;
import org.mert4j.tensor.Tensors;

class TrainerTest {
    static PretrainConfig tiny(int maxSteps, int saveEvery) {
        return PretrainConfig.load("tiny", null, List.of("run.max_steps=" + maxSteps, "run.save_every=" + saveEvery,
                "run.log_every=1", "optim.warmup_steps=5", "optim.lr=0.003"));
    }

    static final MertConfig TINY = MertConfig.preset("tiny");

    /** Tone batches for the tiny model: clips of {@code seconds} at its 24 kHz, 0.2 s per pitch. */
    static ToneBatches tones(int batch, double seconds, int pitches, long seed) {
        return new ToneBatches(TINY, ToneBatches.Settings.of(batch, (int) (seconds * TINY.sampleRate()), pitches, seed));
    }

    static List<Double> losses(Path runDir) throws Exception {
        List<Double> out = new ArrayList<>();
        for (String line : Files.readAllLines(runDir.resolve("metrics.jsonl"))) {
            var n = PretrainConfig.JSON.readTree(line);
            if (n.has("loss")) {
                out.add(n.get("loss").asDouble());
            }
        }
        return out;
    }

    /**
     * Chance is 1/8 with 8 pitch classes; a tiny model must find the pitch of masked frames from the
     * unmasked frames of the same 0.5 s note.
     */
    @Test
    void lossFallsAndMaskedAccuracyBeatsChance(@TempDir Path run) throws Exception {
        PretrainConfig c = tiny(80, 1000);
        List<StepMetrics> seen = new ArrayList<>();
        try (Trainer t = new Trainer(c, run, new ToneBatches(TINY, ToneBatches.Settings.of(4, 24_000, 8, 1)
                .withSegmentSeconds(0.5).withMasking(new SpanMasking(0.65, 5, 2))), null, GradientSync.SINGLE,
                new Trainer.Listener() {
                    public void onStep(StepMetrics m) {
                        seen.add(m);
                    }
                })) {
            t.train();
        }
        double first = seen.subList(0, 5).stream().mapToDouble(StepMetrics::loss).average().orElseThrow();
        double last = seen.subList(seen.size() - 10, seen.size()).stream().mapToDouble(StepMetrics::loss).average().orElseThrow();
        double acc = seen.subList(seen.size() - 10, seen.size()).stream().mapToDouble(m -> m.accuracy()[0]).average().orElseThrow();
        System.out.printf("tone task: loss %.3f -> %.3f, masked accuracy %.3f (chance 0.125)%n", first, last, acc);
        assertTrue(last < 0.7 * first, "loss should fall clearly: " + first + " -> " + last);
        assertTrue(acc > 0.125 + 0.2, "masked accuracy " + acc + " should beat chance 0.125 by 0.2");
        assertTrue(Files.isDirectory(run.resolve("checkpoints/step-00000080")), "final checkpoint");
    }

    @Test
    void resumedRunFollowsTheSameTrajectory(@TempDir Path tmp) throws Exception {
        Path straight = tmp.resolve("straight");
        Path resumed = tmp.resolve("resumed");
        float[] endStraight;
        try (Trainer t = new Trainer(tiny(8, 4), straight, tones(2, 0.5, 8, 3), null, GradientSync.SINGLE, null)) {
            t.train();
            endStraight = Tensors.toFloats(t.model().encoder().featureProjection().named_parameters().get(0).value());
        }
        try (Trainer t = new Trainer(tiny(4, 4), resumed, tones(2, 0.5, 8, 3), null, GradientSync.SINGLE, null)) {
            t.train();
        }
        // a fresh process would start here: new trainer, new source, same run folder
        try (Trainer t = new Trainer(tiny(8, 4), resumed, tones(2, 0.5, 8, 3), null, GradientSync.SINGLE, null)) {
            assertEquals(4L, t.resume().orElseThrow());
            t.train();
            float[] endResumed = Tensors.toFloats(t.model().encoder().featureProjection().named_parameters().get(0).value());
            float max = 0;
            for (int i = 0; i < endResumed.length; i++) {
                max = Math.max(max, Math.abs(endResumed[i] - endStraight[i]));
            }
            assertEquals(0f, max, 1e-6f, "parameters after resume");
        }
        List<Double> a = losses(straight);
        List<Double> b = losses(resumed);
        assertEquals(8, a.size());
        assertEquals(a.size(), b.size(), "metrics lines after resume");
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i), b.get(i), 1e-6 * Math.abs(a.get(i)), "loss of step " + (i + 1));
        }
    }

    /** bf16 autocast (weights and optimizer in fp32): finite losses that fall as in fp32. */
    @Test
    void bf16AutocastTrains(@TempDir Path run) {
        PretrainConfig c = tiny(25, 100).with("optim.precision=bf16");
        List<StepMetrics> seen = new ArrayList<>();
        try (Trainer t = new Trainer(c, run, tones(2, 0.5, 8, 5), null, GradientSync.SINGLE,
                new Trainer.Listener() {
                    public void onStep(StepMetrics m) {
                        seen.add(m);
                    }
                })) {
            t.train();
        }
        assertTrue(seen.stream().noneMatch(StepMetrics::skipped), "bf16 steps must be finite");
        double first = seen.subList(0, 3).stream().mapToDouble(StepMetrics::loss).average().orElseThrow();
        double last = seen.subList(seen.size() - 3, seen.size()).stream().mapToDouble(StepMetrics::loss).average().orElseThrow();
        System.out.printf("bf16: loss %.3f -> %.3f%n", first, last);
        assertTrue(last < first, "loss should fall: " + first + " -> " + last);
        assertThrows(org.mert4j.model.ConfigException.class, () -> new Trainer(tiny(1, 1).with("optim.precision=fp16"),
                run.resolve("x"), tones(1, 0.5, 4, 1), null, GradientSync.SINGLE, null));
    }

    @Test
    void keepsTheLastCheckpointsOnly(@TempDir Path run) {
        try (Trainer t = new Trainer(tiny(6, 1), run, tones(1, 0.5, 4, 1), null, GradientSync.SINGLE, null)) {
            t.train();
        }
        assertFalse(Files.exists(run.resolve("checkpoints/step-00000003")));
        assertTrue(Files.exists(run.resolve("checkpoints/step-00000004")));
        assertTrue(Files.exists(run.resolve("checkpoints/step-00000006/model.safetensors")));
    }

    @Test
    void nonFiniteLossesAreSkippedThenStopTheRun(@TempDir Path run) {
        ToneBatches good = tones(1, 0.5, 4, 1);
        BatchSource poisoned = new BatchSource() {
            public PretrainBatch next() {
                PretrainBatch b = good.next();
                b.waves()[0][10] = Float.NaN;
                return b;
            }

            public com.fasterxml.jackson.databind.node.ObjectNode position() {
                return good.position();
            }

            public void seek(com.fasterxml.jackson.databind.node.ObjectNode p) {
                good.seek(p);
            }

            public int[] classes() {
                return good.classes();
            }
        };
        PretrainConfig c = tiny(20, 100).with("run.max_bad_steps=3");
        try (Trainer t = new Trainer(c, run, poisoned, null, GradientSync.SINGLE, null)) {
            float[] before = Tensors.toFloats(t.model().encoder().featureProjection().named_parameters().get(0).value());
            StepMetrics m = t.trainStep();
            assertTrue(m.skipped() && m.skippedSteps() == 1);
            float[] after = Tensors.toFloats(t.model().encoder().featureProjection().named_parameters().get(0).value());
            assertEquals(0.0, org.mert4j.model.FixturesAccess.maxAbsDiff(before, after), "a skipped step changes nothing");
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class, t::train);
            assertTrue(e.getMessage().contains("3 updates in a row"), e.getMessage());
        }
    }

    @Test
    void exportedEncoderLoadsForEmbedding(@TempDir Path tmp) {
        try (Trainer t = new Trainer(tiny(2, 100), tmp.resolve("run"), tones(1, 0.5, 4, 1), null,
                GradientSync.SINGLE, null)) {
            t.train();
            t.export(tmp.resolve("hf"));
        }
        try (MertModel m = MertModel.load(tmp.resolve("hf"))) {
            assertEquals(3, m.embed(new float[24000], 24000, org.mert4j.model.EmbedOptions.MARBLE).shape()[0]);
        }
    }
}
