package org.mert4j.model;

import java.nio.file.Path;
import java.util.List;
import java.util.function.LongConsumer;

import org.mert4j.audio.AudioPrefetch;

/**
 * The features of a list of files, in order, with decoding overlapping inference: while the encoder runs on
 * one file, the next one is already decoding. With finite windows each file is streamed
 * ({@link FileEmbedder#open}), so memory does not grow with file length; with one window over the whole file
 * the next two files are decoded whole ahead ({@link AudioPrefetch}). A file that cannot be decoded, or whose
 * samples or features are not finite, fails its own {@link #next} call only.
 */
public final class FileSequenceEmbedder implements AutoCloseable {
    private final FileEmbedder embedder;
    private final List<Path> files;
    private final AudioPrefetch<Path, FileEmbedder.Decoded> whole; // null when streaming
    private AudioWindows ahead; // streaming: the next file, already decoding
    private int index;

    public FileSequenceEmbedder(FileEmbedder embedder, int sampleRate, List<Path> files) {
        this.embedder = embedder;
        this.files = List.copyOf(files);
        this.whole = embedder.streams() ? null
                : new AudioPrefetch<>(this.files, f -> FileEmbedder.decode(f, sampleRate), 2);
    }

    /**
     * The features of the next file.
     *
     * @param progress told the file's samples (at the model's rate) embedded so far, after each batch, or null
     */
    public FileEmbedder.Result next(LongConsumer progress) {
        Path f = files.get(index++);
        if (whole != null) {
            return embedder.embed(whole.next(), progress, FileEmbedder.WindowWatch.NONE);
        }
        try (AudioWindows windows = ahead != null ? ahead : embedder.open(f)) {
            ahead = index < files.size() ? embedder.open(files.get(index)) : null;
            return embedder.embed(windows, progress, FileEmbedder.WindowWatch.NONE);
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
