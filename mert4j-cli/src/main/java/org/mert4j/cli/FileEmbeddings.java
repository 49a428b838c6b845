package org.mert4j.cli;

import java.util.List;
import java.util.function.LongConsumer;

import org.mert4j.model.AudioWindows;
import org.mert4j.model.EmbedOptions;
import org.mert4j.model.MertModel;
import org.mert4j.tensor.FloatArray;

/**
 * Features of a list of files, in order, with decoding overlapping inference. With finite windows each
 * file is streamed: a background thread decodes and resamples a few windows ahead of the encoder, and
 * the next file starts decoding while the current one runs, so memory does not grow with file length.
 * With one window over the whole file ({@code --window none}) files are loaded whole, the next two
 * decoded ahead ({@link AudioPrefetch}).
 *
 * <p>A file that cannot be decoded fails its own {@link #next} call only.
 */
final class FileEmbeddings implements AutoCloseable {
    /** One file's features and its length in seconds. */
    record Result(FloatArray values, double seconds) {}

    private final MertModel mert;
    private final EmbedOptions options;
    private final List<InputFile> files;
    private final AudioPrefetch whole; // null when streaming
    private AudioWindows ahead; // streaming: the next file, already decoding
    private int index;

    FileEmbeddings(MertModel mert, EmbedOptions options, List<InputFile> files) {
        this.mert = mert;
        this.options = options;
        this.files = files;
        this.whole = streams(options) ? null : new AudioPrefetch(files, f -> mert.loadAudio(f.file()), 2);
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
            float[] samples = whole.next();
            return new Result(mert.embed(samples, sr, options), samples.length / (double) sr);
        }
        try (AudioWindows windows = ahead != null ? ahead : mert.openWindows(f.file(), options)) {
            ahead = index < files.size() ? mert.openWindows(files.get(index).file(), options) : null;
            FloatArray values = mert.embed(windows, options, progress);
            return new Result(values, windows.totalSamples() / (double) sr);
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
