package org.mert4j.index;

/** How a track given on the command line is matched to an index key. */
final class TrackKeys {
    private TrackKeys() {
    }

    /** The file name without folders and without its last extension: {@code a/b/song.flac} -> {@code song}. */
    static String stem(String track) {
        String s = track;
        int slash = Math.max(s.lastIndexOf('/'), s.lastIndexOf('\\'));
        if (slash >= 0) {
            s = s.substring(slash + 1);
        }
        int dot = s.lastIndexOf('.');
        return dot > 0 ? s.substring(0, dot) : s;
    }
}
