package org.mert4j.serve;

import java.nio.file.Path;
import java.util.Locale;
import java.util.function.LongConsumer;

import org.mert4j.audio.AudioDecodeException;
import org.mert4j.model.AudioTooShortException;
import org.mert4j.model.EmbedOptions;
import org.mert4j.model.FileEmbedder;
import org.mert4j.model.MertConfig;
import org.mert4j.model.NonFiniteAudioException;
import org.mert4j.tensor.FloatArray;

/**
 * The features of one uploaded file by the embedding protocol {@code mert embed} runs ({@link FileEmbedder}:
 * 5 s windows, batches of {@code maxBatch}), with its batches run by the shared {@link WindowBatcher} next to
 * those of other requests ({@link SharedBatchEncoder}) and the service's limits checked on each window. The
 * file is streamed: a few batches of its windows are decoded ahead or waiting for the model, so memory does
 * not grow with its length. What is only a warning to {@code mert embed} (a truncated file) is a 400 here.
 */
public final class UploadEmbedder {
    /** The MARBLE window of {@code mert embed}'s default. */
    public static final double WINDOW_SECONDS = 5.0;

    /** What one value of a frame-level answer takes as JSON at most ({@code -1.2345678E-10,}). */
    static final int JSON_BYTES_PER_VALUE = 16;

    private final MertConfig config;
    private final WindowBatcher batcher;
    private final int batch;
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
        this.batch = maxBatch;
        this.maxSeconds = maxSeconds;
        this.maxAnswerBytes = maxAnswerBytes;
    }

    /**
     * @param layers resolved hidden-state indices, in the order wanted
     * @throws ApiException 400 when the file cannot be decoded, is truncated, too short or not finite
     */
    public FloatArray embed(Path file, int[] layers, EmbedOptions.Pool pool) {
        return embed(file, layers, pool, null, Cancellation.none());
    }

    /**
     * @param progress told the samples (at the model's rate) embedded so far after each batch, or null
     * @param cancel   checked between windows and while waiting for the model
     * @throws ApiException 413 past the longest audio, 422 past the largest answer, the cancellation's reason
     */
    FloatArray embed(Path file, int[] layers, EmbedOptions.Pool pool, LongConsumer progress,
                     Cancellation cancel) {
        EmbedOptions options = new EmbedOptions(WINDOW_SECONDS, pool, layers, batch);
        FileEmbedder embedder = new FileEmbedder(config,
                new SharedBatchEncoder(batcher, config.numHiddenStates(), cancel), options, batch);
        try {
            FileEmbedder.Result r = embedder.embed(file, progress, limits(layers.length, pool, cancel));
            if (r.warning() != null) {
                throw new ApiException(400, "truncated upload: " + r.warning());
            }
            return r.values();
        } catch (AudioTooShortException e) {
            throw new ApiException(400, "audio too short: " + e.getMessage());
        } catch (NonFiniteAudioException e) {
            throw new ApiException(400, e.getMessage());
        } catch (AudioDecodeException e) {
            throw new ApiException(400, "cannot decode the upload: " + withoutPath(e.getMessage(), file));
        }
    }

    /**
     * The service's limits, checked on each window before it runs: the length the header declares refuses a
     * long file before any window runs, and what is decoded is counted all the same, as a header can claim
     * anything; a frame-level answer must fit {@code --max-answer-mb}.
     */
    private FileEmbedder.WindowWatch limits(int numLayers, EmbedOptions.Pool pool, Cancellation cancel) {
        long maxSamples = (long) Math.floor(maxSeconds * config.sampleRate());
        long valuesPerFrame = (long) numLayers * config.transformer().hiddenSize();
        long[] frames = {0};
        return (offset, samples, declaredSeconds) -> {
            cancel.check();
            if (offset == 0) {
                if (declaredSeconds > maxSeconds) {
                    throw tooLong();
                }
                if (pool == EmbedOptions.Pool.NONE && declaredSeconds > 0) {
                    checkAnswer(config.framesFor((long) (declaredSeconds * config.sampleRate())) * valuesPerFrame);
                }
            }
            if (offset + samples > maxSamples) {
                throw tooLong();
            }
            if (pool == EmbedOptions.Pool.NONE && config.framesFor(samples) > 0) {
                frames[0] += config.framesFor(samples);
                checkAnswer(frames[0] * valuesPerFrame);
            }
        };
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

    /** Decoder messages start with the (temporary, meaningless to the client) file name. */
    private static String withoutPath(String message, Path file) {
        if (message == null) {
            return "unknown format";
        }
        return message.replace(file.toString() + ": ", "").replace(file.toString(), "upload");
    }
}
