package org.mert4j.hub;

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

    /**
     * Lines through SLF4J (logger {@code org.mert4j.hub.DownloadListener}): at INFO when a file starts, every
     * {@code seconds} while it downloads and when done; warnings at WARN.
     */
    static DownloadListener logged(double seconds) {
        return new LoggedDownloads(seconds);
    }

    static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}
