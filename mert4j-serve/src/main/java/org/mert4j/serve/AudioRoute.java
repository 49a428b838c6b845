package org.mert4j.serve;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Optional;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/** {@code GET /v1/tracks/{key}/audio}: a track's audio file from the audio root, whole or one byte range. */
final class AudioRoute implements Route {
    private final AudioRoot root;

    /** @param root where track audio is served from, or null for none (404) */
    AudioRoute(AudioRoot root) {
        this.root = root;
    }

    @Override
    public void answer(Request request, Response response, String key) throws IOException {
        if (root == null) {
            throw new ApiException(404, "this server serves no audio (start it with --audio-root)");
        }
        Optional<Path> found = root.find(key);
        if (found.isEmpty()) {
            throw new ApiException(404, "no audio for track " + key + " under the audio root");
        }
        Path file = found.get();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteRange range;
            try {
                range = ByteRange.parse(request.getHeaders().get(HttpHeader.RANGE), size);
            } catch (ApiException e) {
                response.getHeaders().put(HttpHeader.CONTENT_RANGE, "bytes */" + size);
                throw e;
            }
            long first = range == null ? 0 : range.first();
            long length = range == null ? size : range.length();
            response.setStatus(range == null ? 200 : 206);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType(file));
            response.getHeaders().put(HttpHeader.ACCEPT_RANGES, "bytes");
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
            if (range != null) {
                response.getHeaders().put(HttpHeader.CONTENT_RANGE,
                        "bytes " + range.first() + "-" + range.last() + "/" + size);
            }
            try (OutputStream out = Content.Sink.asOutputStream(response)) {
                if (!"HEAD".equals(request.getMethod())) {
                    copy(ch, first, length, out);
                }
            }
        }
    }

    private static void copy(FileChannel ch, long first, long length, OutputStream out) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        long pos = first;
        long end = first + length;
        while (pos < end) {
            buf.clear().limit((int) Math.min(buf.capacity(), end - pos));
            int n = ch.read(buf, pos);
            if (n < 0) {
                break;
            }
            out.write(buf.array(), 0, n);
            pos += n;
        }
    }

    private static String contentType(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        String ext = name.substring(name.lastIndexOf('.') + 1);
        return switch (ext) {
            case "mp3" -> "audio/mpeg";
            case "flac" -> "audio/flac";
            case "wav" -> "audio/wav";
            case "ogg", "oga", "opus" -> "audio/ogg";
            case "m4a", "aac", "mp4" -> "audio/mp4";
            case "webm" -> "audio/webm";
            case "aiff", "aif" -> "audio/aiff";
            default -> "application/octet-stream";
        };
    }
}
