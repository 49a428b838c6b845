package org.mert4j.audio;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * Decodes the next few files on a background thread while the model works on the current one, so that
 * FFmpeg decoding and resampling overlap with inference. Results come back in input order; a decoding
 * error is rethrown by {@link #next()} for that file only. At most {@code ahead} decoded files wait in
 * memory.
 *
 * @param <F> what names a file (a path, or the caller's record of one)
 * @param <T> what decoding gives
 */
public final class AudioPrefetch<F, T> implements AutoCloseable {
    private final List<F> files;
    private final Function<F, T> decoder;
    private final int ahead;
    private final ExecutorService pool;
    private final Deque<CompletableFuture<T>> queue = new ArrayDeque<>();
    private int submitted;

    public AudioPrefetch(List<F> files, Function<F, T> decoder, int ahead) {
        this.files = files;
        this.decoder = decoder;
        this.ahead = Math.max(1, ahead);
        this.pool = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "mert-audio-decode");
            t.setDaemon(true);
            return t;
        });
        fill();
    }

    /** The decoded next file, in order. */
    public T next() {
        CompletableFuture<T> f = queue.removeFirst();
        fill();
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    private void fill() {
        while (queue.size() < ahead && submitted < files.size()) {
            F f = files.get(submitted++);
            queue.addLast(CompletableFuture.supplyAsync(() -> decoder.apply(f), pool));
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
