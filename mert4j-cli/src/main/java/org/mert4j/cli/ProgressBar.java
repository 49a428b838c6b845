package org.mert4j.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress display on stderr for interactive runs: files done/total, files/s, audio seconds
 * per second, ETA and the current file. Redrawn in place with a carriage return at most a few times a
 * second; when disabled (output redirected) every call is a no-op so logs stay clean.
 */
public final class ProgressBar {
    private static final long REDRAW_NANOS = 200_000_000L;
    private static final int BAR = 20;

    private final PrintWriter err;
    private final int total;
    private final boolean enabled;
    private final int width;
    private final long start = System.nanoTime();
    private long lastDraw;
    private int shown; // characters on the line now

    public ProgressBar(PrintWriter err, int total, boolean enabled) {
        this.err = err;
        this.total = total;
        this.enabled = enabled;
        this.width = terminalWidth();
    }

    /** Whether stderr is a terminal a progress line can be redrawn on. */
    public static boolean interactive() {
        return System.console() != null;
    }

    public void update(int done, double audioSeconds, String current, boolean force) {
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        if (!force && now - lastDraw < REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        draw(line(done, audioSeconds, current, (now - start) / 1e9));
    }

    /** Removes the line, e.g. before printing an error message, so that messages do not mix with it. */
    public void clear() {
        if (enabled && shown > 0) {
            err.print("\r" + " ".repeat(shown) + "\r");
            err.flush();
            shown = 0;
        }
    }

    String line(int done, double audioSeconds, String current, double elapsed) {
        int filled = total == 0 ? BAR : (int) ((long) BAR * done / total);
        StringBuilder s = new StringBuilder();
        s.append('[').append("#".repeat(filled)).append(".".repeat(BAR - filled)).append("] ");
        s.append(done).append('/').append(total);
        if (elapsed > 0 && done > 0) {
            double rate = done / elapsed;
            s.append(String.format(Locale.ROOT, "  %.2f files/s  %.1f audio-s/s  ETA %s", rate, audioSeconds / elapsed,
                    Summary.clock((total - done) / rate)));
        } else if (elapsed > 0 && audioSeconds > 0) {
            // Part-way through the first file (a long one): the audio rate is already known.
            s.append(String.format(Locale.ROOT, "  %.1f audio-s/s", audioSeconds / elapsed));
        }
        if (current != null) {
            s.append("  ").append(current);
        }
        String text = s.toString();
        return text.length() > width - 1 ? text.substring(0, width - 1) : text;
    }

    private void draw(String text) {
        StringBuilder s = new StringBuilder("\r").append(text);
        if (text.length() < shown) {
            s.append(" ".repeat(shown - text.length()));
        }
        err.print(s);
        err.flush();
        shown = text.length();
    }

    private static int terminalWidth() {
        try {
            int c = Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "100"));
            return c >= 40 ? c : 100;
        } catch (NumberFormatException e) {
            return 100;
        }
    }
}
