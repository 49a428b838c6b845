package org.mert4j.cli.console;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress display on stderr for interactive runs: files done/total, files/s, audio seconds
 * per second, ETA and the current file. Redrawn in place with a carriage return at most a few times a
 * second. When stderr is not a terminal (a log file, a batch job), a long command gets a plain progress
 * line every {@value #DEFAULT_LOG_SECONDS} s instead ({@code MERT_PROGRESS_SECONDS} or the system property
 * {@code mert.progress.seconds} change the interval); other commands stay quiet.
 */
public final class ProgressBar {
    static final int DEFAULT_LOG_SECONDS = 60;
    private static final long REDRAW_NANOS = 200_000_000L;
    private static final int BAR = 20;

    private final PrintWriter err;
    private final int total;
    private final boolean enabled;
    private final int width;
    private final String logPrefix; // null: no log lines
    private final long logNanos;
    private final long start = System.nanoTime();
    private long lastDraw;
    private long lastLog = start;
    private int shown; // characters on the line now

    public ProgressBar(PrintWriter err, int total, boolean enabled) {
        this(err, total, enabled, null, 0);
    }

    /**
     * @param logPrefix  when not {@code enabled}: the command name that starts each progress log line
     * @param logSeconds seconds between log lines (0: at every update)
     */
    ProgressBar(PrintWriter err, int total, boolean enabled, String logPrefix, double logSeconds) {
        this.err = err;
        this.total = total;
        this.enabled = enabled;
        this.width = terminalWidth();
        this.logPrefix = enabled ? null : logPrefix;
        this.logNanos = (long) (logSeconds * 1e9);
    }

    /** Progress of a long command: a redrawn line on a terminal, else a log line now and then. */
    public static ProgressBar forLongRun(PrintWriter err, int total, String command) {
        return new ProgressBar(err, total, interactive(), command, logSeconds());
    }

    /** Seconds between progress log lines when stderr is not a terminal. */
    static double logSeconds() {
        String v = System.getProperty("mert.progress.seconds", System.getenv("MERT_PROGRESS_SECONDS"));
        if (v != null) {
            try {
                double s = Double.parseDouble(v.strip());
                if (s >= 0) {
                    return s;
                }
            } catch (NumberFormatException ignored) {
                // fall back to the default
            }
        }
        return DEFAULT_LOG_SECONDS;
    }

    /** Whether stderr is a terminal a progress line can be redrawn on. */
    public static boolean interactive() {
        return System.console() != null;
    }

    public void update(int done, double audioSeconds, String current, boolean force) {
        if (!enabled) {
            log(done, audioSeconds, current);
            return;
        }
        long now = System.nanoTime();
        if (!force && now - lastDraw < REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        draw(line(done, audioSeconds, current, (now - start) / 1e9));
    }

    private void log(int done, double audioSeconds, String current) {
        long now = System.nanoTime();
        if (logPrefix == null || done >= total || now - lastLog < logNanos) {
            return;
        }
        lastLog = now;
        double elapsed = (now - start) / 1e9;
        StringBuilder s = new StringBuilder(logPrefix).append(": ").append(done).append('/').append(total)
                .append(String.format(Locale.ROOT, " done (%d%%), ", total == 0 ? 100 : 100L * done / total));
        // work that is not audio (index neighbours) says nothing of audio seconds
        s.append(audioSeconds > 0 ? Summary.clock(audioSeconds) + " of audio in " : "in ").append(Summary.clock(elapsed));
        if (done > 0 && elapsed > 0) {
            s.append(audioSeconds > 0 ? String.format(Locale.ROOT, ", %.1f audio-s/s", audioSeconds / elapsed) : "")
                    .append(", ETA ").append(Summary.clock((total - done) * elapsed / done));
        }
        if (current != null) {
            s.append(", now ").append(current);
        }
        err.println(s);
        err.flush();
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
            s.append(String.format(Locale.ROOT, "  %.2f/s", rate))
                    .append(audioSeconds > 0 ? String.format(Locale.ROOT, "  %.1f audio-s/s", audioSeconds / elapsed) : "")
                    .append("  ETA ").append(Summary.clock((total - done) / rate));
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
