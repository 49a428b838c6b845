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

    /**
     * The one key of {@code sameStem} (the keys sharing the track's file name stem, up to a few).
     * @throws IllegalArgumentException naming the track when none or several keys match
     */
    static String onlyByStem(String track, java.util.List<String> sameStem) {
        if (sameStem.size() == 1) {
            return sameStem.get(0);
        }
        if (sameStem.isEmpty()) {
            throw new IllegalArgumentException(track + ": not in the index (neither as a key nor by file name "
                    + stem(track) + ")");
        }
        throw new IllegalArgumentException(track + ": several tracks share the file name " + stem(track)
                + ", give the full key, one of " + sameStem);
    }
}
