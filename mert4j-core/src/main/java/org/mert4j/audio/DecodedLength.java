package org.mert4j.audio;

import java.util.Locale;

/**
 * Compares the audio decoded from a file with the length its header declares: FFmpeg decodes a truncated
 * FLAC or MP3 without an error, up to where the data ends, so a short result is the only sign of it.
 */
public final class DecodedLength {
    /** Shortfalls below this are decoder padding and priming, not missing audio. */
    private static final double TOLERANCE_SECONDS = 0.1;

    private DecodedLength() {
    }

    /**
     * A warning such as "decoded 3.2 s of the 10.0 s its header declares: the file is truncated or damaged",
     * or null when the decoded length is as declared (or the file declares no length).
     */
    public static String warning(double decodedSeconds, double declaredSeconds) {
        if (!(declaredSeconds > 0)) {
            return null;
        }
        double missing = declaredSeconds - decodedSeconds;
        if (missing <= Math.max(TOLERANCE_SECONDS, 0.005 * declaredSeconds)) {
            return null;
        }
        return String.format(Locale.ROOT, "decoded %.2f s of the %.2f s its header declares (%.0f%%): the file is"
                + " truncated or damaged", decodedSeconds, declaredSeconds, 100 * decodedSeconds / declaredSeconds);
    }
}
