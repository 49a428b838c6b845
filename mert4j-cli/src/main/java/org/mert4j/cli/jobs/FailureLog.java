package org.mert4j.cli.jobs;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import org.mert4j.io.AtomicFiles;

/**
 * {@code failures.tsv} next to the outputs: one {@code path TAB reason} line per input that failed.
 * Tabs, line breaks and backslashes inside a field are escaped as {@code \t}, {@code \n}, {@code \r} and
 * {@code \\} (what TSV readers such as PostgreSQL's and pandas' {@code escapechar} expect), so every path
 * comes back intact.
 *
 * <p>A run supersedes the lines of the inputs it processes (they are retried, and listed again if they
 * fail again); lines of other inputs, written by earlier runs into the same folder, are kept. The file
 * only exists while it lists something.
 */
public final class FailureLog implements AutoCloseable {
    public static final String FILE_NAME = "failures.tsv";

    /** One line of the file. */
    public record Entry(String path, String reason) {}

    private final Path file;
    private final List<Entry> kept;
    private Writer writer;
    private int count;

    /**
     * Opens the list in {@code file}, dropping the earlier lines whose path {@code superseded} accepts.
     */
    public FailureLog(Path file, Predicate<String> superseded) throws IOException {
        this.file = file;
        List<Entry> earlier = read(file);
        this.kept = new ArrayList<>();
        for (Entry e : earlier) {
            if (!superseded.test(e.path())) {
                kept.add(e);
            }
        }
        if (kept.isEmpty()) {
            Files.deleteIfExists(file);
        } else if (kept.size() < earlier.size()) {
            AtomicFiles.write(file, out -> out.write(format(kept).getBytes(StandardCharsets.UTF_8)));
        }
    }

    public Path file() {
        return file;
    }

    /** Failures of this run. */
    public int count() {
        return count;
    }

    /** Lines kept from earlier runs (inputs this run did not process). */
    public int keptCount() {
        return kept.size();
    }

    public void add(String path, String reason) throws IOException {
        if (writer == null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
            writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        }
        writer.write(format(List.of(new Entry(path, reason))));
        writer.flush(); // a killed run still lists what failed so far
        count++;
    }

    /** The lines of a failures file (none if it does not exist), fields unescaped. */
    public static List<Entry> read(Path file) throws IOException {
        List<Entry> out = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            return out;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isEmpty()) {
                continue;
            }
            int tab = line.indexOf('\t');
            out.add(tab < 0 ? new Entry(unescape(line), "")
                    : new Entry(unescape(line.substring(0, tab)), unescape(line.substring(tab + 1))));
        }
        return out;
    }

    private static String format(List<Entry> entries) {
        StringBuilder s = new StringBuilder();
        for (Entry e : entries) {
            s.append(escape(e.path())).append('\t').append(escape(e.reason())).append('\n');
        }
        return s.toString();
    }

    /** A field as written: backslash, tab, CR and LF escaped. */
    static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\t' -> b.append("\\t");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    static String unescape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                switch (n) {
                    case 't' -> b.append('\t');
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case '\\' -> b.append('\\');
                    default -> b.append(c).append(n);
                }
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** A message on one line for the terminal: line breaks and tabs become spaces. */
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
