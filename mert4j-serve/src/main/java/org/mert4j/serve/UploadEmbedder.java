package org.mert4j.serve;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
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

    private final MertConfig config;
    private final WindowBatcher batcher;
    private final int ahead;

    public UploadEmbedder(MertConfig config, WindowBatcher batcher, int maxBatch) {
        this.config = config;
        this.batcher = batcher;
        this.ahead = maxBatch;
    }

    private record Pending(CompletableFuture<float[]> result, int samples) {}

    /**
     * @param layers resolved hidden-state indices, in the order wanted
     * @throws ApiException 400 when the file cannot be decoded, is truncated, too short or not finite
     */
    public FloatArray embed(Path file, int[] layers, EmbedOptions.Pool pool) {
        return embed(file, layers, pool, null);
    }

    /**
     * @param progress told the samples (at the model's rate) embedded so far after each window, or null
     */
    public FloatArray embed(Path file, int[] layers, EmbedOptions.Pool pool, LongConsumer progress) {
        int states = config.numHiddenStates();
        WindowPooling pooling = new WindowPooling(config, layers.length, pool);
        ArrayDeque<Pending> pending = new ArrayDeque<>();
        try (AudioWindows windows = new AudioWindows(file, config.sampleRate(), WINDOW_SECONDS, ahead)) {
            long offset = 0;
            long done = 0;
            for (float[] w = windows.next(); w != null; w = windows.next()) {
                checkFinite(w, offset);
                offset += w.length;
                if (config.framesFor(w.length) <= 0) {
                    continue; // only a final remnant can be shorter than one frame (as Embedder skips it)
                }
                pending.add(new Pending(batcher.submit(w, pool), w.length));
                if (pending.size() >= ahead) {
                    done += pool(pending.poll(), pooling, layers, states);
                    report(progress, done);
                }
            }
            while (!pending.isEmpty()) {
                done += pool(pending.poll(), pooling, layers, states);
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
    private static int pool(Pending p, WindowPooling pooling, int[] layers, int states) {
        float[] all;
        try {
            all = p.result().get();
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
