package org.mert4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mert4j.tensor.FloatArray;

class EmbedderTest {
    static MertModel model;

    @BeforeAll
    static void load() {
        model = MertModel.load(Fixtures.ROOT.resolve("postln-group"));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static float[] noise(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (0.1 * r.nextGaussian() + 0.3 * Math.sin(i * 0.05));
        }
        return x;
    }

    @Test
    void windowPlanFollowsMarble() {
        // 12.5 s: two 5 s windows and a 2.5 s remnant (kept: longer than 1 s)
        List<WindowPlan.Window> w = WindowPlan.split(300_000, 24000, 5);
        assertEquals(3, w.size());
        assertEquals(new WindowPlan.Window(240_000, 60_000), w.get(2));
        // 10.5 s: the 0.5 s remnant is dropped
        assertEquals(2, WindowPlan.split(252_000, 24000, 5).size());
        // 0.5 s: the only window is kept
        assertEquals(List.of(new WindowPlan.Window(0, 12_000)), WindowPlan.split(12_000, 24000, 5));
        assertEquals(1, WindowPlan.split(300_000, 24000, 0).size());
        assertTrue(WindowPlan.split(0, 24000, 5).isEmpty());
    }

    @Test
    void meanPoolingAveragesWindowMeans() {
        float[] wave = noise(24000 * 3 + 12000, 1); // 3.5 s; 1 s windows -> 3 full + a 0.5 s remnant dropped
        FloatArray pooled = model.embed(wave, 24000, new EmbedOptions(1.0, EmbedOptions.Pool.MEAN, null, 1));
        int layers = model.config().numHiddenStates();
        int h = model.config().transformer().hiddenSize();
        assertArrayEquals(new long[] {layers, h}, pooled.shape());
        double[] expect = new double[layers * h];
        for (int w = 0; w < 3; w++) {
            float[] win = java.util.Arrays.copyOfRange(wave, w * 24000, (w + 1) * 24000);
            FloatArray hs = model.hiddenStates(win, 24000); // [L+1, T, H]
            int t = (int) hs.shape()[1];
            for (int l = 0; l < layers; l++) {
                for (int f = 0; f < t; f++) {
                    for (int k = 0; k < h; k++) {
                        expect[l * h + k] += hs.data()[(l * t + f) * h + k] / (3.0 * t);
                    }
                }
            }
        }
        float[] e = new float[expect.length];
        for (int i = 0; i < e.length; i++) {
            e[i] = (float) expect[i];
        }
        assertTrue(Fixtures.maxAbsDiff(e, pooled.data()) < 1e-5);
    }

    @Test
    void batchingWindowsChangesNothing() {
        float[] wave = noise(48000 * 2 + 30000, 2);
        EmbedOptions one = new EmbedOptions(2.0, EmbedOptions.Pool.NONE, null, 1);
        FloatArray a = model.embed(wave, 24000, one);
        FloatArray b = model.embed(wave, 24000, one.withBatchSize(3));
        assertArrayEquals(a.shape(), b.shape());
        // two 2 s windows of 149 frames and the 1.25 s remnant of 93 frames
        assertEquals(2 * 149 + 93, a.shape()[1]);
        assertTrue(Fixtures.maxAbsDiff(a.data(), b.data()) < 1e-5);
    }

    @Test
    void layerSelectionKeepsTheChosenStates() {
        float[] wave = noise(24000, 3);
        FloatArray all = model.embed(wave, 24000, EmbedOptions.MARBLE);
        FloatArray last = model.embed(wave, 24000, EmbedOptions.MARBLE.withLayers(new int[] {2}));
        assertArrayEquals(new long[] {1, 32}, last.shape());
        assertArrayEquals(all.row(2), last.row(0), 1e-6f);
        assertThrows(IllegalArgumentException.class,
                () -> model.embed(wave, 24000, EmbedOptions.MARBLE.withLayers(new int[] {3})));
    }

    @Test
    void tooShortInputsAreClearErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model.embed(new float[1], 24000, EmbedOptions.MARBLE));
        assertTrue(e.getMessage().contains("too short"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> model.embed(new float[0], 24000, EmbedOptions.MARBLE));
        assertThrows(IllegalArgumentException.class, () -> model.embed(new float[399], 24000, EmbedOptions.MARBLE));
        assertEquals(1, model.hiddenStates(new float[400], 24000).shape()[1]);
    }

    @Test
    void otherSampleRatesAreResampledFirst() {
        float[] at8k = noise(8000, 4);
        float[] at192k = noise(192000, 5);
        // 1 s at any rate becomes 24000 samples, 74 frames
        assertEquals(74, model.hiddenStates(at8k, 8000).shape()[1]);
        assertEquals(74, model.hiddenStates(at192k, 192000).shape()[1]);
    }

    @Test
    void concurrentCallsAgree() throws Exception {
        float[] wave = noise(24000, 6);
        FloatArray ref = model.embed(wave, 24000, EmbedOptions.MARBLE);
        Thread[] threads = new Thread[4];
        double[] errs = new double[threads.length];
        for (int i = 0; i < threads.length; i++) {
            int k = i;
            threads[i] = new Thread(() -> errs[k] = Fixtures.maxAbsDiff(ref.data(),
                    model.embed(wave, 24000, EmbedOptions.MARBLE).data()));
            threads[i].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        for (double e : errs) {
            assertTrue(e < 1e-6, "concurrent result differs by " + e);
        }
    }
}
