package org.mert4j.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.mert4j.model.EmbedOptions;

class WindowBatcherTest {
    /** An encoder that records its batches and answers each window with {length, first sample}. */
    static final class Recording implements BatchEncoder {
        final List<List<Integer>> batches = Collections.synchronizedList(new ArrayList<>());

        @Override
        public float[] encode(List<float[]> windows, EmbedOptions.Pool pool) {
            List<Integer> lengths = new ArrayList<>();
            float[] out = new float[2 * windows.size()];
            for (int i = 0; i < windows.size(); i++) {
                float[] w = windows.get(i);
                lengths.add(w.length);
                out[2 * i] = w.length;
                out[2 * i + 1] = w[0];
                if (w[0] < 0) {
                    throw new IllegalStateException("negative first sample");
                }
            }
            batches.add(lengths);
            return out;
        }
    }

    static float[] window(int length, float first) {
        float[] w = new float[length];
        w[0] = first;
        return w;
    }

    @Test
    void windowsOfEqualLengthShareAPassOthersWait() throws Exception {
        Recording enc = new Recording();
        // the first window waits (up to 1 s) for three more of its length, whatever arrives in between
        try (WindowBatcher b = new WindowBatcher(enc, 4, 1_000, new Metrics())) {
            List<CompletableFuture<float[]>> f = new ArrayList<>();
            f.add(b.submit(window(10, 1), EmbedOptions.Pool.MEAN));
            f.add(b.submit(window(7, 2), EmbedOptions.Pool.MEAN));   // another length
            f.add(b.submit(window(10, 3), EmbedOptions.Pool.NONE));  // another pooling
            f.add(b.submit(window(10, 4), EmbedOptions.Pool.MEAN));
            f.add(b.submit(window(10, 5), EmbedOptions.Pool.MEAN));
            f.add(b.submit(window(10, 6), EmbedOptions.Pool.MEAN));
            float[][] want = {{10, 1}, {7, 2}, {10, 3}, {10, 4}, {10, 5}, {10, 6}};
            for (int i = 0; i < want.length; i++) {
                assertArrayEquals(want[i], f.get(i).get(30, TimeUnit.SECONDS)); // each gets its own outputs
            }
            assertEquals(List.of(10, 10, 10, 10), enc.batches.get(0)); // a full batch of the first kind at once
            assertEquals(3, enc.batches.size());
        }
    }

    @Test
    void aLoneWindowRunsAfterTheWaitAndAFailingBatchFailsOnlyItsWindows() throws Exception {
        Recording enc = new Recording();
        try (WindowBatcher b = new WindowBatcher(enc, 8, 20, new Metrics())) {
            long t0 = System.nanoTime();
            assertArrayEquals(new float[] {5, 1}, b.submit(window(5, 1), EmbedOptions.Pool.MEAN).get(30, TimeUnit.SECONDS));
            assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(15), "did not wait for company");
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> b.submit(window(5, -1), EmbedOptions.Pool.MEAN).get(30, TimeUnit.SECONDS));
            assertTrue(e.getCause().getMessage().contains("negative"));
            // the thread goes on
            assertArrayEquals(new float[] {5, 2}, b.submit(window(5, 2), EmbedOptions.Pool.MEAN).get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void closingRunsWhatIsQueuedThenRefuses() throws Exception {
        Recording enc = new Recording();
        WindowBatcher b = new WindowBatcher(enc, 8, 10_000, new Metrics());
        CompletableFuture<float[]> queued = b.submit(window(3, 1), EmbedOptions.Pool.MEAN);
        b.close();
        assertArrayEquals(new float[] {3, 1}, queued.get(30, TimeUnit.SECONDS));
        ApiException refused = assertThrows(ApiException.class, () -> b.submit(window(3, 1), EmbedOptions.Pool.MEAN));
        assertEquals(503, refused.status());
    }
}
