package org.mert4j.serve;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.mert4j.model.EmbedOptions;
import org.mert4j.model.WindowEncoder;

/**
 * The {@link WindowBatcher} as the encoder of one request's {@link org.mert4j.model.FileEmbedder}: a batch
 * of the request's windows is queued with those of other requests, and waiting for it looks every
 * {@value Cancellation#POLL_MILLIS} ms whether the client is still there. The batcher keeps every hidden
 * state; the layers the request asked for are picked out here.
 */
final class SharedBatchEncoder implements WindowEncoder {
    private final WindowBatcher batcher;
    private final int hiddenStates;
    private final Cancellation cancel;

    SharedBatchEncoder(WindowBatcher batcher, int hiddenStates, Cancellation cancel) {
        this.batcher = batcher;
        this.hiddenStates = hiddenStates;
        this.cancel = cancel;
    }

    @Override
    public Batch submit(List<float[]> windows, int[] layers, EmbedOptions.Pool pool) {
        List<CompletableFuture<float[]>> results = batcher.submitAll(windows, pool);
        return new Batch() {
            @Override
            public float[] await() {
                float[][] kept = new float[results.size()][];
                int total = 0;
                for (int w = 0; w < kept.length; w++) {
                    kept[w] = keep(waitFor(results.get(w)), layers);
                    total += kept[w].length;
                }
                float[] out = new float[total];
                int at = 0;
                for (float[] k : kept) {
                    System.arraycopy(k, 0, out, at, k.length);
                    at += k.length;
                }
                return out;
            }

            @Override
            public void cancel() {
                results.forEach(r -> r.cancel(false));
            }
        };
    }

    private float[] waitFor(CompletableFuture<float[]> result) {
        try {
            while (true) {
                cancel.check();
                try {
                    return result.get(Cancellation.POLL_MILLIS, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    // still waiting for the model: look again whether anyone waits for the answer
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "interrupted while waiting for the model", "1");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ApiException a) {
                throw a;
            }
            throw new IllegalStateException("the model failed on this audio: " + cause, cause);
        }
    }

    /** The rows of {@code layers} from one window's outputs of every hidden state. */
    private float[] keep(float[] all, int[] layers) {
        int row = all.length / hiddenStates;
        float[] kept = new float[layers.length * row];
        for (int i = 0; i < layers.length; i++) {
            System.arraycopy(all, layers[i] * row, kept, i * row, row);
        }
        return kept;
    }
}
