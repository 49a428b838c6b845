package org.mert4j.model;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongConsumer;

import org.mert4j.audio.AudioDecoder;
import org.mert4j.audio.Resampler;
import org.mert4j.audio.Waveform;
import org.mert4j.tensor.FloatArray;

/**
 * The embedding protocol for one recording (docs/model.md, "Embedding protocol"), the one every front-end
 * runs: {@code mert embed}, {@code mert serve}, the Spark job, {@code mert probe} and {@link MertModel#embed}.
 * It decodes the file (streamed window by window when the windows are finite, whole otherwise), cuts the
 * windows, refuses NaN and infinite samples, runs batches of equal-length windows on a {@link WindowEncoder},
 * pools the outputs ({@link WindowPooling}), refuses non-finite features and reports a file shorter than its
 * header declares as a warning. Front-ends differ only in the encoder they plug in (the model, or the
 * service's queue shared by concurrent requests) and in what they check as windows arrive
 * ({@link WindowWatch}).
 *
 * <p>Not thread-safe in itself; the model behind it is. Use one per thread or per request.
 */
public final class FileEmbedder {
    /**
     * One recording's features.
     *
     * @param values  MEAN [layers, H]; NONE [layers, T, H]
     * @param seconds the recording's length, at the model's rate
     * @param warning what is wrong with the audio without stopping it (a truncated file), or null
     */
    public record Result(FloatArray values, double seconds, String warning) {}

    /** A file decoded whole at the model's rate, with the decoder's warning (or null). */
    public record Decoded(float[] samples, String warning) {}

    /** Looks at each window before it is run; may throw to stop the recording (a size limit, a client gone). */
    @FunctionalInterface
    public interface WindowWatch {
        WindowWatch NONE = (offset, samples, declaredSeconds) -> { };

        /**
         * @param offset          samples of the recording before this window
         * @param samples         this window's samples
         * @param declaredSeconds the length the file's header declares, NaN when unknown
         */
        void window(long offset, int samples, double declaredSeconds);
    }

    private final MertConfig config;
    private final WindowEncoder encoder;
    private final EmbedOptions options;
    private final int[] layers;
    private final int maxPendingWindows;

    /** Embeds with {@code options}, running batches on {@code encoder}, one batch at a time. */
    public FileEmbedder(MertConfig config, WindowEncoder encoder, EmbedOptions options) {
        this(config, encoder, options, options.batchSize());
    }

    /**
     * @param maxPendingWindows windows submitted to the encoder and not yet pooled, at most (an asynchronous
     *                          encoder runs one batch while the next is submitted); at least one batch
     * @throws IllegalArgumentException if {@code options} asks for layers the model does not have
     */
    public FileEmbedder(MertConfig config, WindowEncoder encoder, EmbedOptions options, int maxPendingWindows) {
        this.config = config;
        this.encoder = encoder;
        this.options = options;
        this.layers = options.resolveLayers(config.numHiddenStates());
        this.maxPendingWindows = Math.max(maxPendingWindows, options.batchSize());
    }

    public EmbedOptions options() {
        return options;
    }

    /** The hidden-state indices each result holds, in order. */
    public int[] layers() {
        return layers.clone();
    }

    /** Whether files are streamed window by window ({@link #open}) rather than decoded whole ({@link #decode}). */
    public boolean streams() {
        return options.windowSeconds() > 0;
    }

    /** The features of an audio file. */
    public Result embed(Path file) {
        return embed(file, null, WindowWatch.NONE);
    }

    /**
     * The features of an audio file, streamed when {@link #streams()}, else decoded whole.
     *
     * @param progress told the samples (at the model's rate) embedded so far after each batch, or null
     */
    public Result embed(Path file, LongConsumer progress, WindowWatch watch) {
        if (streams()) {
            try (AudioWindows windows = open(file)) {
                return embed(windows, progress, watch);
            }
        }
        return embed(decode(file, config.sampleRate()), progress, watch);
    }

    /**
     * Starts decoding {@code file} into this embedder's windows on a background thread, two batches ahead
     * (the next batch is ready when the encoder finishes the current one). Close it when done.
     *
     * @throws IllegalArgumentException if the windows are not finite ({@link #streams()} is false)
     */
    public AudioWindows open(Path file) {
        return new AudioWindows(file, config.sampleRate(), options.windowSeconds(), 2 * options.batchSize());
    }

    /** Decodes an audio file whole, mixed to mono and resampled to {@code sampleRate}. */
    public static Decoded decode(Path file, int sampleRate) {
        List<String> warnings = new ArrayList<>(1);
        Waveform w = AudioDecoder.decode(file, warnings::add);
        return new Decoded(Resampler.resample(w.mono(), w.sampleRate(), sampleRate),
                warnings.isEmpty() ? null : warnings.get(0));
    }

    /** The features of samples at the model's rate, cut into this embedder's windows. */
    public FloatArray embed(float[] samples) {
        return embed(new Decoded(samples, null), null, WindowWatch.NONE).values();
    }

    /** The features of a file decoded whole. */
    public Result embed(Decoded decoded, LongConsumer progress, WindowWatch watch) {
        float[] s = decoded.samples();
        WindowSource windows = WindowSource.of(s, config.sampleRate(), options.windowSeconds());
        return run(windows, s.length / (double) config.sampleRate(), progress, watch, decoded.warning());
    }

    /** The features of a streamed file; its length warning, if any, comes with them. */
    public Result embed(AudioWindows windows, LongConsumer progress, WindowWatch watch) {
        return run(windows, Double.NaN, progress, watch, null);
    }

    /** The features of windows cut by the caller (no length warning). */
    public Result embed(WindowSource windows, LongConsumer progress) {
        return run(windows, Double.NaN, progress, WindowWatch.NONE, null);
    }

    private record Pending(WindowEncoder.Batch batch, int windows, int samples) {}

    private Result run(WindowSource windows, double declaredSeconds, LongConsumer progress, WindowWatch watch,
                       String warning) {
        WindowPooling pooling = new WindowPooling(config, layers.length, options.pool());
        ArrayDeque<Pending> pending = new ArrayDeque<>();
        int pendingWindows = 0;
        long offset = 0;
        long done = 0;
        // Consecutive windows of equal length run together, up to batchSize of them.
        List<float[]> batch = new ArrayList<>();
        try {
            for (float[] w = windows.next(); ; w = windows.next()) {
                if (w != null) {
                    watch.window(offset, w.length, declared(windows, declaredSeconds));
                    checkFinite(w, offset);
                    offset += w.length;
                    if (config.framesFor(w.length) <= 0) {
                        continue; // only a final remnant can be shorter than one frame
                    }
                }
                boolean full = !batch.isEmpty() && (w == null || batch.size() == options.batchSize()
                        || w.length != batch.get(0).length);
                if (full) {
                    pending.add(new Pending(encoder.submit(List.copyOf(batch), layers, options.pool()), batch.size(),
                            batch.get(0).length));
                    pendingWindows += batch.size();
                    batch.clear();
                    while (pendingWindows > maxPendingWindows || (w == null && !pending.isEmpty())) {
                        Pending p = pending.poll();
                        pooling.add(p.batch().await(), p.windows(), p.samples());
                        pendingWindows -= p.windows();
                        done += (long) p.windows() * p.samples();
                        if (progress != null) {
                            progress.accept(done);
                        }
                    }
                }
                if (w == null) {
                    break;
                }
                batch.add(w);
            }
        } finally {
            pending.forEach(p -> p.batch().cancel());
        }
        if (windows instanceof AudioWindows streamed) {
            warning = streamed.lengthWarning();
        }
        FloatArray values = pooling.result(windows.totalSamples());
        if (FloatArray.firstNonFinite(values.data()) >= 0) {
            throw new NonFiniteAudioException("the model gave non-finite features (NaN or infinity) for this audio");
        }
        return new Result(values, windows.totalSamples() / (double) config.sampleRate(), warning);
    }

    private static double declared(WindowSource windows, double declaredSeconds) {
        return windows instanceof AudioWindows streamed ? streamed.declaredSeconds() : declaredSeconds;
    }

    private void checkFinite(float[] samples, long offset) {
        int bad = FloatArray.firstNonFinite(samples);
        if (bad >= 0) {
            throw new NonFiniteAudioException(String.format(Locale.ROOT, "the audio holds a non-finite sample (%s)"
                    + " at %.3f s: NaN or infinity cannot be embedded", samples[bad],
                    (offset + bad) / (double) config.sampleRate()));
        }
    }
}
