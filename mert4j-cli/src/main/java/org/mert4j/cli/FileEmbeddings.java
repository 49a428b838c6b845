package org.mert4j.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongConsumer;

import org.mert4j.model.AudioWindows;
import org.mert4j.model.EmbedOptions;
import org.mert4j.model.MertModel;
import org.mert4j.model.WindowSource;
import org.mert4j.tensor.FloatArray;

/**
 * Features of a list of files, in order, with decoding overlapping inference. With finite windows each
 * file is streamed: a background thread decodes and resamples a few windows ahead of the encoder, and
 * the next file starts decoding while the current one runs, so memory does not grow with file length.
 * With one window over the whole file ({@code --window none}) files are loaded whole, the next two
 * decoded ahead ({@link AudioPrefetch}).
 *
 * <p>A file that cannot be decoded fails its own {@link #next} call only; so does a file whose samples or
 * features are not finite (NaN or infinity), since its features would be meaningless.
 */
final class FileEmbeddings implements AutoCloseable {
    /** One file's features, its length in seconds and a warning about its audio (a truncated file), or null. */
    record Result(FloatArray values, double seconds, String warning) {}

    /** A file's samples decoded whole, with the decoder's warning. */
    private record Decoded(float[] samples, String warning) {}

    private final MertModel mert;
    private final EmbedOptions options;
    private final List<InputFile> files;
    private final AudioPrefetch<Decoded> whole; // null when streaming
    private AudioWindows ahead; // streaming: the next file, already decoding
    private int index;

    FileEmbeddings(MertModel mert, EmbedOptions options, List<InputFile> files) {
        this.mert = mert;
        this.options = options;
        this.files = files;
        this.whole = streams(options) ? null : new AudioPrefetch<>(files, f -> {
            List<String> warnings = new ArrayList<>(1);
            float[] samples = mert.loadAudio(f.file(), warnings::add);
            return new Decoded(samples, warnings.isEmpty() ? null : warnings.get(0));
        }, 2);
    }

    /** Whether files are streamed window by window rather than loaded whole. */
    static boolean streams(EmbedOptions options) {
        return options.windowSeconds() > 0;
    }

    /**
     * Features of the next file.
     *
     * @param progress told the file's samples (at the model's rate) embedded so far, after each batch
     */
    Result next(LongConsumer progress) {
        int sr = mert.sampleRate();
        InputFile f = files.get(index++);
        if (whole != null) {
            Decoded d = whole.next();
            checkFinite(d.samples(), 0, sr);
            return checked(new Result(mert.embed(d.samples(), sr, options), d.samples().length / (double) sr,
                    d.warning()));
        }
        try (AudioWindows windows = ahead != null ? ahead : mert.openWindows(f.file(), options)) {
            ahead = index < files.size() ? mert.openWindows(files.get(index).file(), options) : null;
            FloatArray values = mert.embed(finite(windows, sr), options, progress);
            return checked(new Result(values, windows.totalSamples() / (double) sr, windows.lengthWarning()));
        }
    }

    /** The windows, each checked for NaN and infinity before the model sees it. */
    private static WindowSource finite(WindowSource windows, int sampleRate) {
        return new WindowSource() {
            private long offset;

            @Override
            public float[] next() {
                float[] w = windows.next();
                if (w != null) {
                    checkFinite(w, offset, sampleRate);
                    offset += w.length;
                }
                return w;
            }

            @Override
            public long totalSamples() {
                return windows.totalSamples();
            }
        };
    }

    private static void checkFinite(float[] samples, long offset, int sampleRate) {
        int bad = FloatArray.firstNonFinite(samples);
        if (bad >= 0) {
            throw new NonFiniteException(String.format(Locale.ROOT, "the audio holds a non-finite sample (%s) at"
                    + " %.3f s: NaN or infinity cannot be embedded", samples[bad], (offset + bad) / (double) sampleRate));
        }
    }

    /** Features must be finite: anything else is a failure of the file, never an output. */
    private static Result checked(Result r) {
        if (FloatArray.firstNonFinite(r.values().data()) >= 0) {
            throw new NonFiniteException("the model gave non-finite features (NaN or infinity) for this audio");
        }
        return r;
    }

    /** A file whose samples or features are NaN or infinite. */
    static final class NonFiniteException extends RuntimeException {
        NonFiniteException(String message) {
            super(message);
        }
    }

    @Override
    public void close() {
        if (whole != null) {
            whole.close();
        }
        if (ahead != null) {
            ahead.close();
        }
    }
}
