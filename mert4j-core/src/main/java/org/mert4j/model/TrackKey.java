package org.mert4j.model;

import java.nio.file.Path;

/**
 * What names a track in every output of mert4j (file names below an output folder, index keys, the
 * {@code key} column of the Spark job): the path of the audio file below the folder it was found in, or its
 * bare file name when it was named on its own, {@code /}-separated, without its extension. A track found as
 * {@code music/jazz/take1.flac} under the folder {@code music} is {@code jazz/take1} everywhere.
 */
public final class TrackKey {
    private TrackKey() {
    }

    /** The key of a file at {@code relative} below the folder it was found in (or its bare name). */
    public static String of(Path relative) {
        return of(relative.toString().replace('\\', '/'));
    }

    /** The key of a {@code /}-separated relative path. */
    public static String of(String relative) {
        if (relative.isEmpty() || relative.startsWith("/")) {
            throw new IllegalArgumentException("a track key needs a relative path, got '" + relative + "'");
        }
        int slash = relative.lastIndexOf('/');
        int dot = relative.lastIndexOf('.');
        return dot > slash + 1 ? relative.substring(0, dot) : relative;
    }
}
