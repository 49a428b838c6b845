package org.mert4j.serve;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.mert4j.model.EmbedOptions;

/**
 * Runs the windows of concurrent requests together: one thread takes the oldest waiting window, waits up to
 * {@code maxWait} for more of the same length and pooling (only those can share a forward pass), and runs up
 * to {@code maxBatch} of them in one call of the encoder. The model is only ever called from this thread, so
 * it need not be thread-safe. A failing batch fails the futures of its windows only; the thread goes on.
 */
public final class WindowBatcher implements AutoCloseable {
    private record Job(float[] window, EmbedOptions.Pool pool, CompletableFuture<float[]> result) {
        boolean sameKind(Job o) {
            return window.length == o.window.length && pool == o.pool;
        }
    }

    private final BatchEncoder encoder;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final Metrics metrics;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<Job> queue = new ArrayDeque<>();
    private final Thread thread;
    private boolean closed;

    public WindowBatcher(BatchEncoder encoder, int maxBatch, long maxWaitMillis, Metrics metrics) {
        if (maxBatch < 1 || maxWaitMillis < 0) {
            throw new IllegalArgumentException("maxBatch must be at least 1 and maxWait at least 0");
        }
        this.encoder = encoder;
        this.maxBatch = maxBatch;
        this.maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(maxWaitMillis);
        this.metrics = metrics;
        this.thread = new Thread(this::loop, "mert-serve-batcher");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues one window; the future gets its outputs (all hidden states) or the batch's failure. */
    public CompletableFuture<float[]> submit(float[] window, EmbedOptions.Pool pool) {
        Job job = new Job(window, pool, new CompletableFuture<>());
        lock.lock();
        try {
            if (closed) {
                throw new ApiException(503, "the server is shutting down", "5");
            }
            queue.add(job);
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        return job.result();
    }

    /**
     * Queues the windows of one batch at once, so that the batching thread sees them together (and runs
     * them together, when they fit one of its batches); one future per window, as {@link #submit}.
     */
    public List<CompletableFuture<float[]>> submitAll(List<float[]> windows, EmbedOptions.Pool pool) {
        List<Job> jobs = new ArrayList<>(windows.size());
        windows.forEach(w -> jobs.add(new Job(w, pool, new CompletableFuture<>())));
        lock.lock();
        try {
            if (closed) {
                throw new ApiException(503, "the server is shutting down", "5");
            }
            queue.addAll(jobs);
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        return jobs.stream().map(Job::result).toList();
    }

    /** Windows waiting for the model. */
    public int waiting() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    private void loop() {
        while (true) {
            List<Job> batch;
            try {
                batch = nextBatch();
            } catch (InterruptedException e) {
                return;
            }
            if (batch == null) {
                return;
            }
            run(batch);
        }
    }

    /** The next batch, or null once closed and empty. */
    private List<Job> nextBatch() throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                // the windows of requests that ended meanwhile (client gone, drain over) are not run
                queue.removeIf(j -> j.result().isDone());
                if (!queue.isEmpty()) {
                    break;
                }
                if (closed) {
                    return null;
                }
                arrived.await();
            }
            Job first = queue.peekFirst();
            long deadline = System.nanoTime() + maxWaitNanos;
            for (long left = maxWaitNanos; count(first) < maxBatch && left > 0 && !closed;
                 left = deadline - System.nanoTime()) {
                arrived.awaitNanos(left);
            }
            List<Job> batch = new ArrayList<>(maxBatch);
            for (Iterator<Job> it = queue.iterator(); it.hasNext() && batch.size() < maxBatch; ) {
                Job j = it.next();
                if (j.sameKind(first)) {
                    batch.add(j);
                    it.remove();
                }
            }
            return batch;
        } finally {
            lock.unlock();
        }
    }

    private int count(Job kind) {
        int n = 0;
        for (Job j : queue) {
            if (j.sameKind(kind) && ++n >= maxBatch) {
                break;
            }
        }
        return n;
    }

    private void run(List<Job> batch) {
        try {
            List<float[]> windows = new ArrayList<>(batch.size());
            batch.forEach(j -> windows.add(j.window()));
            float[] out = encoder.encode(windows, batch.get(0).pool());
            if (out.length % batch.size() != 0) {
                throw new IllegalStateException("the encoder gave " + out.length + " values for " + batch.size()
                        + " windows");
            }
            metrics.batch(batch.size());
            int per = out.length / batch.size();
            for (int b = 0; b < batch.size(); b++) {
                batch.get(b).result().complete(Arrays.copyOfRange(out, b * per, (b + 1) * per));
            }
        } catch (Throwable t) {
            // one bad batch fails its requests, never the thread that serves all the others
            batch.forEach(j -> j.result().completeExceptionally(t));
            if (t instanceof VirtualMachineError v && !(t instanceof OutOfMemoryError)) {
                throw v;
            }
        }
    }

    /** Stops taking windows, runs those already queued, and waits for the thread to end. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
