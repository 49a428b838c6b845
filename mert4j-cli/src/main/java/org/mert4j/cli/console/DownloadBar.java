package org.mert4j.cli.console;

import java.io.PrintWriter;
import java.util.Locale;

import org.mert4j.hub.DownloadListener;

/**
 * Progress of a model download from the Hugging Face Hub: on a terminal a redrawn line (bar, megabytes, speed,
 * ETA); otherwise a line when a file starts, one every {@code MERT_PROGRESS_SECONDS} (default 60) while it
 * downloads, and one when it is done.
 */
public final class DownloadBar implements DownloadListener {
    private static final long REDRAW_NANOS = 200_000_000L;
    private static final int BAR = 20;

    private final PrintWriter err;
    private final boolean terminal;
    private final long logNanos;
    private String name;
    private long size;
    private long resumedFrom;
    private long bytes;
    private long start;
    private long last;
    private int shown;

    DownloadBar(PrintWriter err, boolean terminal, double logSeconds) {
        this.err = err;
        this.terminal = terminal;
        this.logNanos = (long) (logSeconds * 1e9);
    }

    public static DownloadBar forCommand(PrintWriter err) {
        return new DownloadBar(err, ProgressBar.interactive(), ProgressBar.logSeconds());
    }

    @Override
    public void started(String repo, String file, long fileSize, long resumed) {
        name = repo + " " + file;
        size = fileSize;
        resumedFrom = resumed;
        bytes = resumed;
        start = System.nanoTime();
        last = start;
        if (!terminal) {
            err.println("mert: downloading " + name + (size >= 0 ? " (" + mb(size) + ")" : "")
                    + (resumed > 0 ? ", resuming at " + mb(resumed) : ""));
            err.flush();
        }
    }

    @Override
    public void progress(long done) {
        bytes = done;
        long now = System.nanoTime();
        if (terminal && now - last >= REDRAW_NANOS) {
            last = now;
            draw(line(now));
        } else if (!terminal && now - last >= logNanos) {
            last = now;
            err.println("mert: " + line(now));
            err.flush();
        }
    }

    @Override
    public void warning(String message) {
        clear();
        err.println("mert: warning: " + message);
        err.flush();
    }

    @Override
    public void finished() {
        clear();
        err.println(String.format(Locale.ROOT, "mert: downloaded %s, %s in %.1f s", name, mb(bytes),
                (System.nanoTime() - start) / 1e9));
        err.flush();
    }

    String line(long now) {
        double seconds = (now - start) / 1e9;
        double rate = seconds > 0 ? (bytes - resumedFrom) / seconds : 0;
        StringBuilder s = new StringBuilder();
        if (size > 0) {
            int filled = (int) (BAR * Math.min(1.0, (double) bytes / size));
            s.append('[').append("#".repeat(filled)).append(".".repeat(BAR - filled)).append("] ");
        }
        s.append(name).append("  ").append(mb(bytes));
        if (size > 0) {
            s.append(" / ").append(mb(size));
        }
        if (rate > 0) {
            s.append(String.format(Locale.ROOT, "  %.1f MB/s", rate / 1e6));
            if (size > 0) {
                s.append("  ETA ").append(Summary.clock((size - bytes) / rate));
            }
        }
        return s.toString();
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

    private void clear() {
        if (terminal && shown > 0) {
            err.print("\r" + " ".repeat(shown) + "\r");
            shown = 0;
        }
    }

    private static String mb(long b) {
        return String.format(Locale.ROOT, "%.1f MB", b / 1e6);
    }
}
