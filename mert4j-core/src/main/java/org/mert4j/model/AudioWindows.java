package org.mert4j.model;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;

import org.mert4j.audio.AudioStream;
import org.mert4j.audio.StreamingResampler;

/**
 * The windows of an audio file, decoded, mixed to mono and resampled to the model's rate on a background
 * thread while the caller runs the encoder on earlier ones. At most {@code capacity} windows wait in a
 * queue, so memory stays flat however long the file is. The windows equal those of
 * {@code WindowSource.of(model.loadAudio(file), rate, windowSeconds)} exactly.
 *
 * <p>Decoding starts as soon as the object is made. A file that cannot be opened or decoded makes
 * {@link #next} throw the decoder's {@link org.mert4j.audio.AudioDecodeException}, naming the file.
 * {@link #close} stops the thread and frees FFmpeg's objects; it is safe at any point.
 */
public final class AudioWindows implements WindowSource, AutoCloseable {
    private record End(long samples, String lengthWarning) {}

    private record Failure(Throwable error) {}

    private final Path file;
    /** Windows, then an {@link End} or a {@link Failure}. */
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    /** Free places for windows in the queue: the producer waits for one before adding a window. */
    private final Semaphore free;
    private final Thread thread;
    private volatile boolean closed;
    private boolean ended;
    private long total = -1;
    private volatile double declaredSeconds = Double.NaN;
    private String lengthWarning;

    /**
     * @param sampleRate    the model's sample rate
     * @param windowSeconds finite window length, {@code > 0}
     * @param capacity      windows decoded ahead at most, at least 1
     */
    public AudioWindows(Path file, int sampleRate, double windowSeconds, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        WindowCutter cutter = new WindowCutter(sampleRate, windowSeconds); // checks the window first
        this.file = file;
        this.free = new Semaphore(capacity);
        this.thread = new Thread(() -> produce(sampleRate, cutter), "mert-audio-decode");
        thread.setDaemon(true);
        thread.start();
    }

    public Path file() {
        return file;
    }

    private void produce(int sampleRate, WindowCutter cutter) {
        try (AudioStream in = AudioStream.open(file)) {
            declaredSeconds = in.declaredSeconds();
            StreamingResampler resampler = new StreamingResampler(in.sampleRate(), sampleRate);
            for (float[] piece; (piece = in.read()) != null; ) {
                putAll(cutter.push(resampler.push(piece)));
                if (closed) {
                    return;
                }
            }
            putAll(cutter.push(resampler.finish()));
            float[] last = cutter.finish();
            if (last != null) {
                putAll(List.of(last));
            }
            queue.add(new End(cutter.totalSamples(), in.lengthWarning()));
        } catch (InterruptedException e) {
            // closed by the consumer: nobody waits for the rest
        } catch (Throwable t) {
            queue.add(new Failure(t));
        }
    }

    private void putAll(Iterable<float[]> windows) throws InterruptedException {
        for (float[] w : windows) {
            free.acquire();
            queue.add(w);
        }
    }

    @Override
    public float[] next() {
        if (ended) {
            return null;
        }
        if (closed) {
            throw new IllegalStateException(file + ": windows read after close");
        }
        Object o;
        try {
            o = queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(file + ": interrupted while waiting for decoded audio", e);
        }
        if (o instanceof End end) {
            ended = true;
            total = end.samples();
            lengthWarning = end.lengthWarning();
            return null;
        }
        if (o instanceof Failure f) {
            ended = true;
            if (f.error() instanceof RuntimeException r) {
                throw r;
            }
            if (f.error() instanceof Error e) {
                throw e;
            }
            throw new IllegalStateException(file + ": " + f.error(), f.error());
        }
        free.release();
        return (float[]) o;
    }

    /**
     * The duration the file's header declares in seconds, known once {@link #next} has returned a window; NaN
     * before, or when the header declares none. A claim only: the file may hold less (or more).
     */
    public double declaredSeconds() {
        return declaredSeconds;
    }

    /** All samples at the model's rate; -1 until {@link #next} has returned {@code null}. */
    @Override
    public long totalSamples() {
        return total;
    }

    /**
     * Once {@link #next} returned null: a warning if the file held less audio than its header declares (a
     * truncated file, see {@link org.mert4j.audio.DecodedLength}), else null.
     */
    public String lengthWarning() {
        return lengthWarning;
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        queue.clear();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
