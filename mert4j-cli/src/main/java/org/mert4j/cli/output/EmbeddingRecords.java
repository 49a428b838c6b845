package org.mert4j.cli.output;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.mert4j.cli.options.UsageException;
import org.mert4j.io.SafetensorsReader;
import org.mert4j.model.EmbeddingInfo;

/**
 * The record of how {@code mert embed}'s outputs were made ({@link EmbeddingInfo}), checked against what a
 * rerun would compute before anything is skipped or written. Outputs made otherwise (another model,
 * {@code --layers}, {@code --pool} or {@code --window}) are never taken as done: a single output file or
 * JSON Lines file is refused unless {@code --overwrite} recomputes it; a folder is refused outright, since
 * one folder holds embeddings of one setting (a partly recomputed folder would mix two).
 */
public final class EmbeddingRecords {
    private final OutputLayout layout;
    private final Path out;
    private final OutputFormat format;
    private final EmbeddingInfo wanted;
    private final boolean write;

    private EmbeddingRecords(OutputLayout layout, Path out, OutputFormat format, EmbeddingInfo wanted,
                             boolean write) {
        this.layout = layout;
        this.out = out;
        this.format = format;
        this.wanted = wanted;
        this.write = write;
    }

    /**
     * Compares the outputs' record with {@code wanted}.
     *
     * @throws UsageException naming the differences when the outputs were made otherwise and cannot be redone
     */
    public static EmbeddingRecords check(OutputLayout layout, Path out, OutputFormat format, EmbeddingInfo wanted,
                                  boolean overwrite, PrintWriter err) throws IOException {
        boolean folder = layout == OutputLayout.FOLDER;
        boolean exists = folder ? hasOutputs(out, format) : Files.isRegularFile(out) && Files.size(out) > 0;
        EmbeddingInfo recorded = recorded(layout, out, format);
        if (recorded == null) {
            if (exists) {
                err.println("mert embed: warning: " + out + " holds outputs without a record of how they were made"
                        + " (written by an older mert4j); they are taken as made with these settings"
                        + (folder ? " and no record is written: embed into a new folder to get one" : "")
                        + " (--overwrite recomputes them)");
                err.flush();
            }
            return new EmbeddingRecords(layout, out, format, wanted, !(folder && exists));
        }
        List<String> differences = recorded.differences(wanted);
        if (!differences.isEmpty() && exists) {
            String where = layout == OutputLayout.ONE_FILE && format == OutputFormat.SAFETENSORS
                    ? "its header" : sidecar(layout, out).toString();
            String what = out + " holds embeddings made otherwise (" + String.join("; ", differences)
                    + "; recorded in " + where + ")";
            if (folder) {
                throw new UsageException(what + ": give another --out folder (one folder holds embeddings of one"
                        + " setting, so --overwrite cannot redo part of it; remove the folder to start again)");
            }
            if (!overwrite) {
                throw new UsageException(what + ": give another --out, or --overwrite to recompute it");
            }
        }
        return new EmbeddingRecords(layout, out, format, wanted, true);
    }

    /** The sidecar file of an output, or null where the output's own header holds the record. */
    static Path sidecar(OutputLayout layout, Path out) {
        return EmbeddingInfo.sidecarOf(out, layout == OutputLayout.FOLDER);
    }

    private static EmbeddingInfo recorded(OutputLayout layout, Path out, OutputFormat format) {
        if (layout == OutputLayout.ONE_FILE && format == OutputFormat.SAFETENSORS) {
            return Files.isRegularFile(out) ? EmbeddingInfo.fromMetadata(SafetensorsReader.metadata(out), out) : null;
        }
        return EmbeddingInfo.read(sidecar(layout, out));
    }

    /** Whether the folder holds files of the output format (outputs of an earlier run). */
    private static boolean hasOutputs(Path folder, OutputFormat format) throws IOException {
        if (!Files.isDirectory(folder)) {
            return false;
        }
        try (Stream<Path> s = Files.walk(folder)) {
            return s.anyMatch(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(format.extension()));
        }
    }

    /**
     * Writes the record of a folder or JSON Lines file before its first output (they only ever hold this
     * setting from now on); a single file's record waits for the file ({@link #afterOutput}).
     */
    public void beforeOutputs() throws IOException {
        if (write && layout != OutputLayout.ONE_FILE) {
            wanted.write(sidecar(layout, out));
        }
    }

    /** Writes the record of a single {@code .npy} output once it is written (safetensors carry theirs). */
    public void afterOutput() throws IOException {
        if (write && layout == OutputLayout.ONE_FILE && format == OutputFormat.NPY) {
            wanted.write(sidecar(layout, out));
        }
    }
}
