package org.mert4j.datasets;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.mert4j.probe.Split;

/**
 * GTZAN's audio and MARBLE's split of it. The audio is the original archive ({@code genres/<genre>/<genre>.000NN.au})
 * or the common re-packaging ({@code Data/genres_original/<genre>/<genre>.000NN.wav}); the split is the
 * "fault-filtered" one (443 train, 197 valid, 290 test over 10 genres) committed in
 * {@code resources/org/mert4j/datasets/gtzan}, whose files name their source.
 */
final class Gtzan {
    static final List<String> GENRES = List.of("blues", "classical", "country", "disco", "hiphop", "jazz", "metal",
            "pop", "reggae", "rock");
    static final String SPLIT_NOTE = "split: GTZAN fault-filtered (Kereliuk, Sturm and Larsen 2015; lists from"
            + " coreyker/dnn-mgr as MARBLE uses them), 443 train / 197 valid / 290 test";

    static final String CORRUPT_NOTE = "jazz.00054.wav of the Data/genres_original re-packaging, which cannot be"
            + " decoded (MARBLE drops it too)";

    private Gtzan() {}

    /** The one clip of the .wav re-packaging that is known to be damaged. */
    static boolean knownCorrupt(Path file) {
        return file != null && file.getFileName().toString().equals("jazz.00054.wav");
    }

    /** The folder holding the ten genre folders: the given one or one up to three levels below it. */
    static Path audioRoot(Path dir) throws IOException {
        return Folders.find(dir, 3, p -> GENRES.stream().allMatch(g -> Files.isDirectory(p.resolve(g))))
                .orElseThrow(() -> new IOException(dir + ": no GTZAN audio found: expected a folder with the genre"
                        + " folders " + GENRES + " (genres/ of the original archive, or Data/genres_original/)"));
    }

    /** The clips on disk by stem ({@code blues.00042}): {@code .au} or {@code .wav} files in the genre folders. */
    static Map<String, Path> audio(Path root) throws IOException {
        Map<String, Path> out = new TreeMap<>();
        for (String g : GENRES) {
            for (Path f : Folders.files(root.resolve(g))) {
                String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
                if (n.endsWith(".au") || n.endsWith(".wav")) {
                    out.put(Folders.stripExtension(f.getFileName().toString()), f);
                }
            }
        }
        return out;
    }

    /** MARBLE's split: clip stem ({@code blues.00029}) to split, train then valid then test, in list order. */
    static Map<String, Split> split() {
        Map<String, Split> out = new LinkedHashMap<>();
        for (Split s : List.of(Split.TRAIN, Split.VALID, Split.TEST)) {
            String resource = "gtzan/" + s.id() + "_filtered.txt";
            try (InputStream in = Gtzan.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource " + resource);
                }
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                String line;
                while ((line = r.readLine()) != null) {
                    String t = line.strip();
                    if (!t.isEmpty() && !t.startsWith("#")) {
                        String file = t.substring(t.lastIndexOf('/') + 1);
                        out.put(Folders.stripExtension(file), s);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    static String genre(String stem) {
        return stem.substring(0, stem.indexOf('.'));
    }
}
