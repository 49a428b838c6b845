package org.mert4j.serve;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * A request body saved to a temporary file for FFmpeg (which probes the format from the bytes, whatever the
 * {@code Content-Type}), refused with 413 past the size limit before or while it arrives, and deleted on close.
 */
final class Upload implements AutoCloseable {
    private final Path file;

    private Upload(Path file) {
        this.file = file;
    }

    static Upload read(Request request, Path tempDir, long maxBytes) throws IOException {
        long declared = request.getLength();
        if (declared > maxBytes) {
            throw tooLarge(maxBytes);
        }
        Path file = Files.createTempFile(tempDir, "upload-", ".bin");
        Upload upload = new Upload(file);
        try {
            long total = 0;
            try (InputStream in = Content.Source.asInputStream(request); OutputStream out = Files.newOutputStream(file)) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) >= 0; ) {
                    total += n;
                    if (total > maxBytes) {
                        throw tooLarge(maxBytes);
                    }
                    out.write(buf, 0, n);
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
