package org.mert4j.probe;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The 24 major and minor keys as class indices: 0..11 are C major..B major, 12..23 C minor..B minor.
 * Key names are written as mir_eval reads them: a tonic (C, C#, Db, ...) and a mode, "Eb minor".
 */
public final class Keys {
    private static final String[] TONICS = {"C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"};
    private static final Map<String, Integer> SEMITONES = Map.ofEntries(
            Map.entry("c", 0), Map.entry("c#", 1), Map.entry("db", 1), Map.entry("d", 2), Map.entry("d#", 3),
            Map.entry("eb", 3), Map.entry("e", 4), Map.entry("fb", 4), Map.entry("e#", 5), Map.entry("f", 5),
            Map.entry("f#", 6), Map.entry("gb", 6), Map.entry("g", 7), Map.entry("g#", 8), Map.entry("ab", 8),
            Map.entry("a", 9), Map.entry("a#", 10), Map.entry("bb", 10), Map.entry("b", 11), Map.entry("cb", 11),
            Map.entry("b#", 0));

    public static final int COUNT = 24;

    private Keys() {}

    /** The class names in index order. */
    public static List<String> names() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            out.add(name(i));
        }
        return out;
    }

    public static String name(int index) {
        return TONICS[index % 12] + (index < 12 ? " major" : " minor");
    }

    /** "C# minor", "Db major", "a minor" (any case) -> class index; throws naming the text otherwise. */
    public static int parse(String key) {
        String[] parts = key.strip().split("\\s+");
        Integer tonic = parts.length == 2 ? SEMITONES.get(parts[0].toLowerCase(Locale.ROOT)) : null;
        String mode = parts.length == 2 ? parts[1].toLowerCase(Locale.ROOT) : "";
        if (tonic == null || !(mode.equals("major") || mode.equals("minor"))) {
            throw new IllegalArgumentException("not a key: '" + key + "' (expected a tonic and a mode, e.g."
                    + " 'F# minor' or 'Bb major')");
        }
        return tonic + (mode.equals("minor") ? 12 : 0);
    }

    /**
     * mir_eval.key.weighted_score: 1 same key; 0.5 estimate a perfect fifth above in the same mode; 0.3 relative
     * major/minor; 0.2 parallel major/minor; 0 otherwise.
     */
    public static double weightedScore(int reference, int estimated) {
        int refTonic = reference % 12;
        int estTonic = estimated % 12;
        boolean refMinor = reference >= 12;
        boolean estMinor = estimated >= 12;
        int up = Math.floorMod(estTonic - refTonic, 12);
        if (reference == estimated) {
            return 1.0;
        }
        if (refMinor == estMinor && up == 7) {
            return 0.5;
        }
        if (!refMinor && estMinor && up == 9) {
            return 0.3;
        }
        if (refMinor && !estMinor && up == 3) {
            return 0.3;
        }
        if (refMinor != estMinor && up == 0) {
            return 0.2;
        }
        return 0.0;
    }
}
