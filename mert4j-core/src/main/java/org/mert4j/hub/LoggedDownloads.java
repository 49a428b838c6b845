package org.mert4j.hub;

import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link DownloadListener#logged}: a download's progress as log lines, for callers that show none of their own. */
final class LoggedDownloads implements DownloadListener {
    private static final Logger LOG = LoggerFactory.getLogger(DownloadListener.class);

    private final double seconds;
    private String name;
    private long size;
    private long last;
    private long started;
    private long bytes;

    LoggedDownloads(double seconds) {
        this.seconds = seconds;
    }

    @Override
    public void started(String repo, String file, long fileSize, long resumedFrom) {
        name = repo + " " + file;
        size = fileSize;
        started = System.nanoTime();
        last = started;
        LOG.info("downloading {}{}{}", name, size >= 0 ? " (" + DownloadListener.megabytes(size) + ")" : "",
                resumedFrom > 0 ? ", resuming at " + DownloadListener.megabytes(resumedFrom) : "");
    }

    @Override
    public void progress(long done) {
        bytes = done;
        long now = System.nanoTime();
        if (now - last >= seconds * 1e9) {
            last = now;
            LOG.info("{}: {}{}", name, DownloadListener.megabytes(done), size > 0 ? " of "
                    + DownloadListener.megabytes(size) + String.format(Locale.ROOT, " (%d%%)", 100 * done / size) : "");
        }
    }

    @Override
    public void warning(String message) {
        LOG.warn(message);
    }

    @Override
    public void finished() {
        if (LOG.isInfoEnabled()) {
            LOG.info(String.format(Locale.ROOT, "%s: done, %s in %.1f s", name, DownloadListener.megabytes(bytes),
                    (System.nanoTime() - started) / 1e9));
        }
    }
}
