package org.mert4j.datasets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.mert4j.probe.Keys;
import org.mert4j.probe.Split;
import org.mert4j.probe.TaskType;

/**
 * {@code giantsteps-key}: key detection as MARBLE sets it up (after jukemir, Castellon et al. 2021). Test: the
 * GiantSteps Key dataset (604 two-minute previews, {@code annotations/key/<id>.LOFI.key}). Train and valid: the
 * GiantSteps MTG Key dataset ({@code annotations/annotations.txt}), keeping confidence-2, single-key tracks
 * (Korzeniowski and Widmer 2018), split by artist: sha1 of the lower-cased artist name modulo 116, below 100
 * train, else valid, and every collaborator of a valid artist valid (two passes). Both repositories are looked for
 * under the folder given (giantsteps-key-dataset*, giantsteps-mtg-key-dataset*), audio in their {@code audio/}
 * as {@code <id>.LOFI.mp3} (or .wav). MARBLE cuts tracks into 30 s clips; here each track is one clip with 30 s
 * windows, whose predictions are averaged.
 */
final class GiantStepsKey implements DatasetImporter {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        return "giantsteps-key";
    }

    @Override
    public String summary() {
        return "GiantSteps key (test) + GiantSteps MTG key (train/valid by artist), 24 keys, weighted score";
    }

    @Override
    public TaskDraft read(Path dir) throws IOException {
        Path test = repository(dir, "giantsteps-key-dataset");
        Path mtg = repository(dir, "giantsteps-mtg-key-dataset");
        ImportReport report = new ImportReport();
        List<TaskDraft.Entry> entries = TaskDraft.newEntries();
        for (Map.Entry<String, String> e : mtgKeys(mtg, report).entrySet()) {
            String[] idAndKey = e.getValue().split("\t", 2);
            add(mtg, e.getKey(), idAndKey[1], Split.parse(idAndKey[0]), entries, report);
        }
        for (String id : ids(test)) {
            Path keyFile = test.resolve("annotations/key").resolve(id + ".LOFI.key");
            if (!Files.isRegularFile(keyFile)) {
                report.missing("giantsteps-key-dataset/annotations/key/" + id + ".LOFI.key");
                continue;
            }
            add(test, id, Files.readString(keyFile, StandardCharsets.UTF_8).strip(), Split.TEST, entries, report);
        }
        return new TaskDraft("giantsteps-key", TaskType.KEY, 30, "key_weighted", List.of(),
                List.of("test: GiantSteps Key (Knees et al. 2015) from " + test,
                        "train/valid: GiantSteps MTG Key (Korzeniowski and Widmer 2017) from " + mtg
                                + ", confidence 2 and one key only, split by artist as jukemir and MARBLE do",
                        "30 s windows, predictions averaged per track (MARBLE: 30 s clips)"), entries, report);
    }

    private static void add(Path repo, String id, String key, Split split, List<TaskDraft.Entry> entries,
            ImportReport report) {
        try {
            Keys.parse(key);
        } catch (IllegalArgumentException e) {
            report.skipped("not a key: '" + key + "'");
            return;
        }
        Optional<Path> audio = audio(repo, id);
        if (audio.isEmpty()) {
            report.missing(repo.getFileName() + "/audio/" + id + ".LOFI.mp3");
            return;
        }
        entries.add(new TaskDraft.Entry(audio.get(), split, JSON.createObjectNode().put("label", key)));
        report.added(split);
    }

    private static Optional<Path> audio(Path repo, String id) {
        for (String ext : List.of(".LOFI.mp3", ".LOFI.wav", ".mp3", ".wav")) {
            Optional<Path> p = Folders.inside(repo.resolve("audio"), id + ext);
            if (p.isPresent() && Files.isRegularFile(p.get())) {
                return p;
            }
        }
        return Optional.empty();
    }

    private static Path repository(Path dir, String prefix) throws IOException {
        return Folders.find(dir, 2, p -> p.getFileName() != null && p.getFileName().toString().startsWith(prefix)
                && Files.isDirectory(p.resolve("annotations")) && !(prefix.equals("giantsteps-key-dataset")
                && p.getFileName().toString().startsWith("giantsteps-mtg"))).orElseThrow(() -> new IOException(dir
                + ": no " + prefix + " folder found (the GitHub repository GiantSteps/" + prefix + " with its"
                + " annotations/ and the audio its audio_dl.sh downloads into audio/)"));
    }

    /** The track ids a repository lists (its md5/ files, what its download script fetches), in order. */
    private static List<String> ids(Path repo) throws IOException {
        List<String> ids = new ArrayList<>();
        Path md5 = repo.resolve("md5");
        if (Files.isDirectory(md5)) {
            for (Path f : Folders.files(md5)) {
                String n = f.getFileName().toString();
                if (n.endsWith(".md5")) {
                    ids.add(n.substring(0, n.indexOf('.')));
                }
            }
        } else {
            for (Path f : Folders.files(repo.resolve("annotations/key"))) {
                String n = f.getFileName().toString();
                ids.add(n.substring(0, n.indexOf('.')));
            }
        }
        ids.sort((a, b) -> Long.compare(Long.parseLong(a), Long.parseLong(b)));
        return ids;
    }

    /** id to "split\tkey" for the MTG key dataset's usable tracks, in the order of its annotation file. */
    static Map<String, String> mtgKeys(Path mtg, ImportReport report) throws IOException {
        Map<String, List<String>> artistsOf = new LinkedHashMap<>(); // file order: the propagation below chains in it
        for (Map<String, String> row : Tables.read(mtg.resolve("annotations/beatport_metadata.txt"), '\t')) {
            List<String> artists = new ArrayList<>();
            for (String a : PythonStrings.strip(row.getOrDefault("ARTIST", "")).split(",", -1)) {
                artists.add(PythonStrings.strip(a));
            }
            artistsOf.put(PythonStrings.strip(row.get("ID")), artists);
        }
        // each artist's split from a hash of the name, then valid spreads to collaborators (twice: two hops)
        Map<String, Boolean> valid = new HashMap<>();
        for (List<String> artists : artistsOf.values()) {
            for (String a : artists) {
                valid.put(a, !PythonStrings.inFirst(a.toLowerCase(java.util.Locale.ROOT), 100, 116));
            }
        }
        for (int pass = 0; pass < 2; pass++) {
            for (List<String> artists : artistsOf.values()) {
                if (artists.stream().anyMatch(valid::get)) {
                    artists.forEach(a -> valid.put(a, true));
                }
            }
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Tables.Record record : Tables.records(mtg.resolve("annotations/annotations.txt"), '\t', "ID")) {
            Map<String, String> row = record.values();
            String id = PythonStrings.strip(row.getOrDefault("ID", ""));
            if (!id.matches("[0-9A-Za-z_-]+")) { // a track id names a file in audio/: nothing else
                report.rejected("annotations.txt line " + record.line(), "ID '" + id + "' is not a track id");
                continue;
            }
            String key = PythonStrings.strip(row.getOrDefault("MANUAL KEY", ""));
            if (!PythonStrings.strip(row.getOrDefault("C", "")).equals("2")) {
                report.skipped("MTG key confidence below 2");
                continue;
            }
            if (key.contains("/")) {
                report.skipped("MTG key: more than one key");
                continue;
            }
            List<String> artists = artistsOf.get(id);
            if (artists == null) {
                report.skipped("MTG key: no beatport_metadata row");
                continue;
            }
            boolean isValid = artists.stream().anyMatch(valid::get);
            out.put(id, (isValid ? "valid" : "train") + "\t" + key);
        }
        return out;
    }
}
