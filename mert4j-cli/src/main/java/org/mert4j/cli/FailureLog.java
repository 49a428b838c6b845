package org.mert4j.cli;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * {@code failures.tsv} next to the outputs: one {@code path TAB reason} line per input that failed in the
 * latest run. Failed inputs have no output and are retried by a rerun, so a stale list is removed at the
 * start and the file only exists while something fails.
 */
public final class FailureLog implements AutoCloseable {
    public static final String FILE_NAME = "failures.tsv";

    private final Path file;
    private Writer writer;
    private int count;

    public FailureLog(Path file) throws IOException {
        this.file = file;
        Files.deleteIfExists(file);
    }

    public Path file() {
        return file;
    }

    public int count() {
        return count;
    }

    public void add(String path, String reason) throws IOException {
        if (writer == null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
            writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        }
        writer.write(oneLine(path) + "\t" + oneLine(reason) + "\n");
        writer.flush(); // a killed run still lists what failed so far
        count++;
    }

    /** Tabs and line breaks would break the two-column format. */
    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("[\\t\\r\\n]+", " ").strip();
    }

    @Override
    public void close() throws IOException {
        if (writer != null) {
            writer.close();
        }
    }
}
