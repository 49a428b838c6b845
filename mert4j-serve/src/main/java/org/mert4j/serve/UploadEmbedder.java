package org.mert4j.serve;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongConsumer;

import org.mert4j.audio.AudioDecodeException;
import org.mert4j.model.AudioWindows;
import org.mert4j.model.EmbedOptions;
import org.mert4j.model.MertConfig;
import org.mert4j.model.WindowPooling;
import org.mert4j.tensor.FloatArray;

/**
 * The features of one uploaded file, as {@code mert embed} computes them (5 s windows, the same decoding,
 * resampling, normalisation and {@link WindowPooling}), with its windows run by the shared
 * {@link WindowBatcher} next to those of other requests. The file is streamed: at most {@code maxBatch} of its
 * windows are decoded ahead or waiting for the model, so memory does not grow with its length.
 */
public final class UploadEmbedder {
    /** The MARBLE window of {@code mert embed}'s default. */
    public static final double WINDOW_SECONDS = 5.0;

    /** What one value of a frame-level answer takes as JSON at most ({@code -1.2345678E-10,}). */
    static final int JSON_BYTES_PER_VALUE = 16;

    private final MertConfig config;
    private final WindowBatcher batcher;
    private final int ahead;
    private final double maxSeconds;
    private final long maxAnswerBytes;

    /**
     * @param maxSeconds     longest audio embedded, counted as it is decoded (a header can claim any length)
     * @param maxAnswerBytes largest JSON answer a frame-level request may need
     */
    public UploadEmbedder(MertConfig config, WindowBatcher batcher, int maxBatch, double maxSeconds,
                          long maxAnswerBytes) {
        this.config = config;
        this.batcher = batcher;
        this.ahead = maxBatch;
        this.maxSeconds = maxSeconds;
        this.maxAnswerBytes = maxAnswerBytes;
    }

    private record Pending(CompletableFuture<float[]> result, int samples) {}

    /**
     * @param layers resolved hidden-state indices, in the order wanted
     * @throws ApiException 400 when the file cannot be decoded, is truncated, too short or not finite
     */
    public FloatArray embed(Path file, int[] layers, EmbedOptions.Pool pool) {
        return embed(file, layers, pool, null, Cancellation.none());
    }

    /**
     * @param progress told the samples (at the model's rate) embedded so far after each window, or null
     * @param cancel   checked between windows and while waiting for the model
     * @throws ApiException 413 past the longest audio, 422 past the largest answer, the cancellation's reason
     */
    FloatArray embed(Path file, int[] layers, EmbedOptions.Pool pool, LongConsumer progress,
                     Cancellation cancel) {
        int states = config.numHiddenStates();
        long maxSamples = (long) Math.floor(maxSeconds * config.sampleRate());
        long valuesPerFrame = (long) layers.length * config.transformer().hiddenSize();
        WindowPooling pooling = new WindowPooling(config, layers.length, pool);
        ArrayDeque<Pending> pending = new ArrayDeque<>();
        try (AudioWindows windows = new AudioWindows(file, config.sampleRate(), WINDOW_SECONDS, ahead)) {
            long offset = 0;
            long done = 0;
            long frames = 0;
            boolean first = true;
            for (float[] w = windows.next(); w != null; w = windows.next()) {
                cancel.check();
                if (first) {
                    // what the header declares refuses a long file before any window runs; what is decoded
                    // is counted below all the same, as a header can claim anything
                    first = false;
                    double declared = windows.declaredSeconds();
                    if (declared > maxSeconds) {
                        throw tooLong();
                    }
                    if (pool == EmbedOptions.Pool.NONE && declared > 0) {
                        checkAnswer(config.framesFor((long) (declared * config.sampleRate())) * valuesPerFrame);
                    }
                }
                checkFinite(w, offset);
                offset += w.length;
                if (offset > maxSamples) {
                    throw tooLong();
                }
                if (config.framesFor(w.length) <= 0) {
                    continue; // only a final remnant can be shorter than one frame (as Embedder skips it)
                }
                if (pool == EmbedOptions.Pool.NONE) {
                    frames += config.framesFor(w.length);
                    checkAnswer(frames * valuesPerFrame);
                }
                pending.add(new Pending(batcher.submit(w, pool), w.length));
                if (pending.size() >= ahead) {
                    done += pool(pending.poll(), pooling, layers, states, cancel);
                    report(progress, done);
                }
            }
            while (!pending.isEmpty()) {
                done += pool(pending.poll(), pooling, layers, states, cancel);
                report(progress, done);
            }
            if (windows.lengthWarning() != null) {
                throw new ApiException(400, "truncated upload: " + windows.lengthWarning());
            }
            try {
                return pooling.result(windows.totalSamples());
            } catch (IllegalArgumentException e) {
                throw new ApiException(400, "audio too short: " + e.getMessage());
            }
        } catch (AudioDecodeException e) {
            throw new ApiException(400, "cannot decode the upload: " + withoutPath(e.getMessage(), file));
        } finally {
            pending.forEach(p -> p.result().cancel(false));
        }
    }

    private static void report(LongConsumer progress, long samples) {
        if (progress != null) {
            progress.accept(samples);
        }
    }

    /**
     * Adds one window's outputs (all hidden states) to the pooling, keeping the rows of {@code layers};
     * returns the window's samples.
     */
    private static int pool(Pending p, WindowPooling pooling, int[] layers, int states, Cancellation cancel) {
        float[] all = null;
        try {
            while (all == null) {
                cancel.check();
                try {
                    all = p.result().get(Cancellation.POLL_MILLIS, TimeUnit.MILLISECONDS);
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
        int row = all.length / states;
        float[] kept = new float[layers.length * row];
        for (int i = 0; i < layers.length; i++) {
            System.arraycopy(all, layers[i] * row, kept, i * row, row);
        }
        pooling.add(kept, 1, p.samples());
        return p.samples();
    }

    private ApiException tooLong() {
        return new ApiException(413, "audio longer than the limit of " + trim(maxSeconds) + " s (--max-seconds)");
    }

    /** A frame-level answer of {@code values} numbers must fit the limit (checked before its windows run). */
    private void checkAnswer(long values) {
        if (values * JSON_BYTES_PER_VALUE > maxAnswerBytes) {
            throw new ApiException(422, String.format(Locale.ROOT, "the answer would exceed the limit of %s MiB"
                    + " (--max-answer-mb; pool=none gives %d values per layer and second): ask for fewer layers,"
                    + " pool=mean or a shorter clip", trim(maxAnswerBytes / 1048576.0),
                    Math.round(config.framesFor(config.sampleRate()) * (double) config.transformer().hiddenSize())));
        }
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.3f", v);
    }

    private void checkFinite(float[] w, long offset) {
        int bad = FloatArray.firstNonFinite(w);
        if (bad >= 0) {
            throw new ApiException(400, String.format(Locale.ROOT, "the audio holds a non-finite sample (%s) at"
                    + " %.3f s: NaN or infinity cannot be embedded", w[bad], (offset + bad) / (double) config.sampleRate()));
        }
    }

    /** Decoder messages start with the (temporary, meaningless to the client) file name. */
    private static String withoutPath(String message, Path file) {
        if (message == null) {
            return "unknown format";
        }
        return message.replace(file.toString() + ": ", "").replace(file.toString(), "upload");
    }
}
