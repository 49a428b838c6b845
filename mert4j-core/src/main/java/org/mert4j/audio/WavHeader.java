package org.mert4j.audio;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The length a RIFF/WAVE header declares (its {@code data} chunk's size over the {@code fmt } chunk's byte
 * rate). FFmpeg estimates a WAV file's length from the file's size, so a WAV cut short (an interrupted copy
 * or upload) decodes to exactly what FFmpeg declares; the header's own sizes are what tell.
 */
final class WavHeader {
    /** Chunks looked at before {@code data}: real files have a handful (fmt, LIST, fact, ...). */
    private static final int MAX_CHUNKS = 64;

    private WavHeader() {
    }

    /** Seconds the header declares, or NaN for a file that is not RIFF/WAVE or leaves the size open. */
    static double declaredSeconds(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(12);
            if (head.length < 12 || !tag(head, 0, "RIFF") || !tag(head, 8, "WAVE")) {
                return Double.NaN;
            }
            long byteRate = -1;
            for (int i = 0; i < MAX_CHUNKS; i++) {
                byte[] ch = in.readNBytes(8);
                if (ch.length < 8) {
                    return Double.NaN;
                }
                long size = ByteBuffer.wrap(ch, 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
                if (tag(ch, 0, "data")) {
                    // 0 and 0xFFFFFFFF: streaming writers that did not know the length yet
                    return byteRate > 0 && size > 0 && size < 0xffffffffL ? size / (double) byteRate : Double.NaN;
                }
                if (tag(ch, 0, "fmt ")) {
                    byte[] fmt = in.readNBytes((int) Math.min(size, 1 << 16));
                    if (fmt.length < 12) {
                        return Double.NaN;
                    }
                    byteRate = ByteBuffer.wrap(fmt, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
                    in.skipNBytes(size - fmt.length + (size & 1));
                } else {
                    in.skipNBytes(size + (size & 1)); // chunks are padded to an even size
                }
            }
            return Double.NaN;
        } catch (IOException | RuntimeException e) {
            return Double.NaN; // not a header we can read: FFmpeg's view stands
        }
    }

    private static boolean tag(byte[] b, int at, String tag) {
        for (int i = 0; i < 4; i++) {
            if (b[at + i] != tag.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
