package org.mert4j.serve;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.thread.Invocable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A request body saved to a temporary file for FFmpeg (which probes the format from the bytes, whatever the
 * {@code Content-Type}), and deleted on close. Refused with 413 past the size limit, before or while it
 * arrives; with 408 when it takes longer than its deadline in all (however steadily it trickles, so a slow
 * client cannot hold a thread for long); with 400 when it breaks off (shorter than its Content-Length, a
 * malformed chunked encoding, a dropped connection): the client's fault, logged in one line.
 */
final class Upload implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Upload.class);

    private final Path file;

    private Upload(Path file) {
        this.file = file;
    }

    /** @param seconds how long the whole body may take to arrive */
    static Upload read(Request request, Path tempDir, long maxBytes, int seconds) throws IOException {
        long declared = request.getLength();
        if (declared > maxBytes) {
            throw tooLarge(maxBytes);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        Path file = Files.createTempFile(tempDir, "upload-", ".bin");
        Upload upload = new Upload(file);
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE)) {
            long total = 0;
            while (true) {
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    awaitContent(request, deadline, seconds);
                    continue;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    throw brokenOff(request, chunk.getFailure(), seconds);
                }
                boolean last = chunk.isLast(); // read before release: a released chunk may be reused
                try {
                    ByteBuffer bytes = chunk.getByteBuffer();
                    total += bytes.remaining();
                    if (total > maxBytes) {
                        throw tooLarge(maxBytes);
                    }
                    while (bytes.hasRemaining()) {
                        out.write(bytes);
                    }
                } finally {
                    chunk.release();
                }
                if (last) {
                    break;
                }
            }
            if (total == 0) {
                throw new ApiException(400, "empty upload: the request body must hold an audio file's bytes");
            }
            return upload;
        } catch (IOException | RuntimeException e) {
            upload.close();
            throw e;
        }
    }

    /** Waits for more of the body until the deadline. */
    private static void awaitContent(Request request, long deadline, int seconds) {
        CountDownLatch more = new CountDownLatch(1);
        // counting down never blocks: Jetty may run it on its own thread instead of waiting for a free one
        request.demand(Invocable.from(Invocable.InvocationType.NON_BLOCKING, more::countDown));
        try {
            long left = deadline - System.nanoTime();
            if (left > 0 && more.await(left, TimeUnit.NANOSECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // ends the pending demand, so that the connection is closed after the answer
        request.fail(new TimeoutException("upload deadline"));
        throw tooSlow(request, seconds);
    }

    private static ApiException brokenOff(Request request, Throwable failure, int seconds) {
        if (failure instanceof TimeoutException) {
            return tooSlow(request, seconds);
        }
        LOG.info("upload from {} broken off: {}", request.getConnectionMetaData().getRemoteSocketAddress(),
                failure.toString());
        return new ApiException(400, "incomplete upload: the request body broke off (" + failure.getClass()
                .getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage()) + ")");
    }

    private static ApiException tooSlow(Request request, int seconds) {
        LOG.info("upload from {} took longer than {} s", request.getConnectionMetaData().getRemoteSocketAddress(),
                seconds);
        return new ApiException(408, "the upload took longer than " + seconds + " s (--upload-seconds)");
    }

    private static ApiException tooLarge(long maxBytes) {
        return new ApiException(413, "upload larger than the limit of " + maxBytes + " bytes (--max-upload-mb)");
    }

    Path file() {
        return file;
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            file.toFile().deleteOnExit();
        }
    }
}
