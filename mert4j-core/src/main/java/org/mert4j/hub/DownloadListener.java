package org.mert4j.hub;

import java.io.PrintStream;
import java.util.Locale;

/** Told how a file download goes, to show progress; calls come from the downloading thread. */
public interface DownloadListener {
    /**
     * A download starts (or resumes).
     * @param size        the file's size in bytes, -1 when unknown
     * @param resumedFrom bytes already on disk from an earlier, interrupted download
     */
    void started(String repo, String file, long size, long resumedFrom);

    /** {@code bytes} of the file are on disk now. */
    void progress(long bytes);

    /** The file is complete and verified. */
    void finished();

    /** Something the user should know that does not stop the work (a resumed download, a cached copy used). */
    default void warning(String message) {}

    DownloadListener NONE = new DownloadListener() {
        @Override
        public void started(String repo, String file, long size, long resumedFrom) {}

        @Override
        public void progress(long bytes) {}

        @Override
        public void finished() {}
    };

    /** Plain lines on {@code out}: when a file starts, every {@code seconds} while it downloads, and when done. */
    static DownloadListener lines(PrintStream out, double seconds) {
        return new DownloadListener() {
            private String name;
            private long size;
            private long last;
            private long started;
            private long bytes;

            @Override
            public void started(String repo, String file, long fileSize, long resumedFrom) {
                name = repo + " " + file;
                size = fileSize;
                started = System.nanoTime();
                last = started;
                out.println("mert: downloading " + name + (size >= 0 ? " (" + megabytes(size) + ")" : "")
                        + (resumedFrom > 0 ? ", resuming at " + megabytes(resumedFrom) : ""));
                out.flush();
            }

            @Override
            public void progress(long done) {
                bytes = done;
                long now = System.nanoTime();
                if (now - last >= seconds * 1e9) {
                    last = now;
                    out.println("mert: " + name + ": " + megabytes(done) + (size > 0 ? " of " + megabytes(size)
                            + String.format(Locale.ROOT, " (%d%%)", 100 * done / size) : ""));
                    out.flush();
                }
            }

            @Override
            public void warning(String message) {
                out.println("mert: warning: " + message);
                out.flush();
            }

            @Override
            public void finished() {
                out.println(String.format(Locale.ROOT, "mert: %s: done, %s in %.1f s", name, megabytes(bytes),
                        (System.nanoTime() - started) / 1e9));
                out.flush();
            }
        };
    }

    static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}
