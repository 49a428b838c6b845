package org.mert4j.teacher;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.mert4j.audio.AudioDecoder;
import org.mert4j.audio.AudioFiles;
import org.mert4j.audio.Waveform;

/**
 * The {@link Manifest} of an audio folder, built one file at a time: {@link #audioFiles} lists the folder,
 * {@link #measure} decodes one file to its row (its length after mixing to mono and resampling to the
 * manifest's rate), and {@link #add} keeps the rows long enough. Callers show progress and report a file
 * that fails between files, and go on with the others.
 */
public final class ManifestBuilder {
    private final Path folder;
    private final Path root;
    private final int sampleRate;
    private final long minSamples;
    private final List<Manifest.Entry> entries = new ArrayList<>();
    private int tooShort;

    /**
     * @param folder     the folder whose audio files the manifest lists (recursively); its absolute path is
     *                   the manifest's root
     * @param sampleRate the rate lengths are counted at: the rate of the model to train
     * @param minSeconds files shorter than this are left out ({@link #tooShort}); empty files always are
     */
    public ManifestBuilder(Path folder, int sampleRate, double minSeconds) {
        if (sampleRate < 1) {
            throw new IllegalArgumentException("sample rate must be positive, got " + sampleRate);
        }
        this.folder = folder;
        this.root = folder.toAbsolutePath().normalize();
        this.sampleRate = sampleRate;
        this.minSamples = (long) Math.ceil(minSeconds * sampleRate);
    }

    /** The manifest's root: the folder's absolute path. */
    public Path root() {
        return root;
    }

    /**
     * The folder's audio files, by audio extension, recursively and in a stable order; entries that cannot be
     * files to decode (dangling links, FIFOs) go to {@code problems}.
     */
    public List<Path> audioFiles(Consumer<AudioFiles.Problem> problems) {
        return AudioFiles.expand(List.of(folder.toString()), problems);
    }

    /**
     * The row of one audio file of the folder: its path below the root and its length in samples at the
     * manifest's rate. Decoding warnings (a file shorter than its header declares) go to {@code warnings}.
     *
     * @throws ManifestException when the path holds a tab or line break, which a row cannot hold
     * @throws RuntimeException  as {@link AudioDecoder#decode} throws it, when the file cannot be decoded
     */
    public Manifest.Entry measure(Path file, Consumer<String> warnings) {
        String rel = root.relativize(file.toAbsolutePath().normalize()).toString().replace('\\', '/');
        if (rel.matches("(?s).*[\\t\\r\\n].*")) {
            throw new ManifestException("the file name holds a tab or line break, which a manifest row"
                    + " (path<TAB>num_samples, one per line) cannot hold: rename the file");
        }
        Waveform w = AudioDecoder.decode(file, warnings);
        return new Manifest.Entry(rel, Manifest.samplesAt(w.numSamples(), w.sampleRate(), sampleRate));
    }

    /** Keeps a measured row; a row shorter than the minimum, or empty, is left out and counted instead. */
    public boolean add(Manifest.Entry entry) {
        if (entry.numSamples() < minSamples || entry.numSamples() == 0) {
            tooShort++;
            return false;
        }
        entries.add(entry);
        return true;
    }

    /** Rows left out as shorter than the minimum (or empty). */
    public int tooShort() {
        return tooShort;
    }

    /** The manifest of the rows kept so far, in the order they were added. */
    public Manifest build() {
        return new Manifest(root, sampleRate, entries);
    }
}
