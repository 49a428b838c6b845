package org.mert4j.teacher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import org.mert4j.io.AtomicFiles;

/**
 * One label stream as text, fairseq's convention: line i holds the labels of manifest row i, as decimal
 * integers separated by single spaces, one per encoder frame. A row the teacher could not label is the
 * line {@code #FAILED <reason>}, so that later rows never shift. A clip too short for one frame gives an
 * empty line.
 */
public final class LabelFile {
    public static final String EXTENSION = ".km";
    public static final String FAILED = "#FAILED";

    /** One line: labels, or the reason the row has none. */
    public record Line(int[] labels, String failure) {
        public static Line of(int[] labels) {
            return new Line(labels, null);
        }

        public static Line failed(String reason) {
            return new Line(null, reason);
        }

        public boolean isFailed() {
            return failure != null;
        }
    }

    private LabelFile() {}

    /** The text of a line, without its line break. */
    public static String format(Line line) {
        if (line.isFailed()) {
            return FAILED + " " + oneLine(line.failure());
        }
        int[] l = line.labels();
        StringBuilder s = new StringBuilder(l.length * 4);
        for (int i = 0; i < l.length; i++) {
            if (i > 0) {
                s.append(' ');
            }
            s.append(l[i]);
        }
        return s.toString();
    }

    /** Parses a line (without its line break); throws NumberFormatException naming the bad token. */
    public static Line parse(String text) {
        if (text.startsWith(FAILED)) {
            return Line.failed(text.substring(FAILED.length()).strip());
        }
        if (text.isEmpty()) {
            return Line.of(new int[0]);
        }
        int count = 1;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == ' ') {
                count++;
            }
        }
        int[] out = new int[count];
        int k = 0;
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == ' ') {
                out[k++] = parseLabel(text, start, i);
                start = i + 1;
            }
        }
        return Line.of(out);
    }

    private static int parseLabel(String s, int from, int to) {
        if (from == to || to - from > 10) {
            throw new NumberFormatException("'" + s.substring(from, to) + "' at column " + (from + 1)
                    + " is not a label (non-negative integer)");
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new NumberFormatException("'" + s.substring(from, to) + "' at column " + (from + 1)
                        + " is not a label (non-negative integer)");
            }
            v = v * 10 + (c - '0');
        }
        if (v > Integer.MAX_VALUE) {
            throw new NumberFormatException("label " + v + " at column " + (from + 1) + " is too large");
        }
        return (int) v;
    }

    /** Reads every line of a label file (no checks against a manifest: see {@link LabelSet}). */
    public static List<Line> read(Path file) {
        List<Line> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                try {
                    out.add(parse(line));
                } catch (NumberFormatException e) {
                    throw new LabelFormatException(file + ":" + n + ": " + e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read: " + e.getMessage(), e);
        }
        return out;
    }

    /** Writes a whole label file atomically. */
    public static void write(Path file, List<Line> lines) throws IOException {
        AtomicFiles.write(file, out -> {
            for (Line l : lines) {
                out.write((format(l) + "\n").getBytes(StandardCharsets.UTF_8));
            }
        });
    }

    /**
     * Cuts a label file after its first {@code maxLines} complete lines, dropping a last line without its
     * line break (what an interrupted run leaves); returns how many complete lines remain. A missing file
     * is created empty.
     */
    public static long truncateToCompleteLines(Path file, long maxLines) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            long lines = 0;
            long end = 0; // byte just after the last complete line kept
            long pos = 0;
            InputStream in = new java.io.BufferedInputStream(Channels.newInputStream(ch), 1 << 16);
            int b;
            while (lines < maxLines && (b = in.read()) >= 0) {
                pos++;
                if (b == '\n') {
                    lines++;
                    end = pos;
                }
            }
            if (ch.size() != end) {
                ch.truncate(end);
                ch.force(true);
            }
            return lines;
        }
    }

    /** Makes a reason fit on one line of a label file. */
    static String oneLine(String reason) {
        String r = reason == null || reason.isBlank() ? "unknown error" : reason;
        return r.replace('\r', ' ').replace('\n', ' ').replace('\t', ' ').strip();
    }
}
