package org.mert4j.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mert4j.model.MertConfig;
import org.mert4j.model.MertModel;
import org.mert4j.synth.TaskGenerator;

/** The whole pipeline on small generated tasks: generate, extract (cached), train, score. */
class ProbePipelineTest {

    @Test
    void cqtProbeFindsPitchOfUnseenInstruments(@TempDir Path dir) throws Exception {
        // 42 programs x 8 of the 24 pitches, 1 s notes; test programs are not in train
        Path file = TaskGenerator.generate("notes-pitch", dir.resolve("task"), new TaskGenerator.Options(5, 8, 1.0, null),
                n -> {});
        Task task = Task.load(file);
        ProbeSettings s = ProbeSettings.marble().withMaxEpochs(60);
        try (SignalFeatures cqt = new SignalFeatures(SignalFeatures.Kind.CQT)) {
            List<ProbeResult> r = ProbeRunner.run(task, cqt, dir.resolve("cache"), "all", s, n -> {});
            double chance = 1.0 / task.classes().size();
            // 32 test notes: chance is 1/24 (4 %); measured 0.19 here and 0.44 outside surefire (few examples: training is chaotic);
            // the pipeline must beat chance by 10 points
            assertTrue(r.get(0).test() >= chance + 0.1, "pitch accuracy " + r.get(0).test() + " vs chance " + chance);
            // second run reads the cache
            long files;
            try (var st = Files.walk(dir.resolve("cache"))) {
                files = st.filter(p -> p.toString().endsWith(".npy")).count();
            }
            assertEquals(task.examples().size(), files);
            List<ProbeResult> again = ProbeRunner.run(task, cqt, dir.resolve("cache"), "all", s, n -> {});
            assertEquals(r.get(0).test(), again.get(0).test(), 0.0, "fixed seeds give the same result");
        }
    }

    @Test
    void mfccProbeBeatsChanceOnInstrumentFamilies(@TempDir Path dir) throws Exception {
        Path file = TaskGenerator.generate("notes-instrument", dir.resolve("task"),
                new TaskGenerator.Options(2, 4, 1.0, null), n -> {});
        Task task = Task.load(file);
        try (SignalFeatures mfcc = new SignalFeatures(SignalFeatures.Kind.MFCC)) {
            List<ProbeResult> r = ProbeRunner.run(task, mfcc, dir.resolve("cache"), "all",
                    ProbeSettings.marble().withMaxEpochs(40), n -> {});
            assertTrue(r.get(0).test() > 0.1 + 0.1, "family accuracy " + r.get(0).test() + " vs chance 0.1");
        }
    }

    @Test
    void sweepOnRandomMertGivesOneResultPerLayerPlusWeighted(@TempDir Path dir) throws Exception {
        Path file = TaskGenerator.generate("key", dir.resolve("task"), new TaskGenerator.Options(1, 1, 3.0, null),
                n -> {});
        Task task = Task.load(file);
        MertConfig config = MertConfig.preset("tiny");
        try (MertFeatures f = new MertFeatures(MertModel.random(config, 0, "cpu"), "preset:tiny", "preset-tiny-0")) {
            List<ProbeResult> r = ProbeRunner.run(task, f, dir.resolve("cache"), "sweep",
                    ProbeSettings.marble().withMaxEpochs(3), n -> {});
            assertEquals(config.numHiddenStates() + 1, r.size());
            assertEquals("all", r.get(r.size() - 1).layers());
            double[] w = r.get(r.size() - 1).layerWeights();
            assertEquals(config.transformer().numLayers(), w.length);
            assertEquals(1.0, java.util.Arrays.stream(w).sum(), 1e-5);
            for (ProbeResult p : r) {
                assertTrue(p.test() >= 0 && p.test() <= 1, "key score out of range: " + p.test());
            }
        }
    }

    @Test
    void beatProbeOnMfccFramesFindsBeats(@TempDir Path dir) throws Exception {
        Path file = TaskGenerator.generate("beat", dir.resolve("task"), new TaskGenerator.Options(4, 12, 9.0, null),
                n -> {});
        Task task = Task.load(file);
        try (SignalFeatures mfcc = new SignalFeatures(SignalFeatures.Kind.MFCC)) {
            List<ProbeResult> r = ProbeRunner.run(task, mfcc, dir.resolve("cache"), "all",
                    ProbeSettings.marble().withMaxEpochs(15), n -> {});
            // drum onsets are loud: a frame probe on MFCC and its frame differences finds most beats
            assertTrue(r.get(0).test() > 0.3, "beat F " + r.get(0).test());
        }
    }

    @Test
    void peakPickingKeepsTheHigherOfClosePeaks() {
        float[] a = new float[30];
        a[1] = 0.9f;
        a[3] = 0.95f;
        a[20] = 0.8f;
        a[25] = 0.4f;
        double[] peaks = ProbeTrainer.pickPeaks(a, 100, 0.5);
        assertEquals(2, peaks.length);
        assertEquals(0.03, peaks[0], 1e-9);
        assertEquals(0.20, peaks[1], 1e-9);
    }
}
