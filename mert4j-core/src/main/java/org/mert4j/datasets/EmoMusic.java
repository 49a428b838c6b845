package org.mert4j.datasets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mert4j.probe.Split;
import org.mert4j.probe.TaskType;

/**
 * {@code emomusic}: emotion regression on EmoMusic (Soleymani et al. 2013, "1000 songs"): the static
 * {@code mean_arousal} and {@code mean_valence} of {@code static_annotations.csv} per 45 s clip
 * ({@code clips_45seconds/<song_id>.mp3}), in that order, standardised by the mean and standard deviation of the
 * development set; scored by R² per target. Split as jukemir and MARBLE: the "evaluation" set of
 * {@code songs_info.csv} is the test split; the "development" set is split by artist (letters and spaces of the
 * lower-cased name, sha1 modulo 10: below 8 train, else valid).
 */
final class EmoMusic implements DatasetImporter {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        return "emomusic";
    }

    @Override
    public String summary() {
        return "EmoMusic arousal/valence regression (songs_info.csv, static_annotations.csv, clips_45seconds/), R2";
    }

    @Override
    public TaskDraft read(Path dir) throws IOException {
        Path info = Folders.findFile(dir, 3, "songs_info.csv").orElseThrow(() -> new IOException(dir
                + ": no songs_info.csv found (EmoMusic's annotations)"));
        Path stat = Folders.findFile(dir, 3, "static_annotations.csv").orElseThrow(() -> new IOException(dir
                + ": no static_annotations.csv found (EmoMusic's annotations)"));
        Path clips = Folders.find(dir, 3, p -> p.getFileName() != null
                && p.getFileName().toString().startsWith("clips_45sec")).orElseThrow(() -> new IOException(dir
                + ": no clips_45seconds/ folder found (EmoMusic's audio)"));
        ImportReport report = new ImportReport();
        Map<String, double[]> targets = new LinkedHashMap<>();
        Map<String, Integer> targetLine = new HashMap<>();
        for (Tables.Record row : Tables.records(stat, ',', "song_id", "mean_arousal", "mean_valence")) {
            String where = stat.getFileName() + " line " + row.line();
            String id = songId(row.get("song_id"));
            if (id == null) {
                report.rejected(where, "song_id '" + row.get("song_id") + "' is not a number");
                continue;
            }
            double[] t = new double[2];
            String bad = null;
            for (int j = 0; j < 2 && bad == null; j++) {
                String column = j == 0 ? "mean_arousal" : "mean_valence";
                String raw = PythonStrings.strip(row.get(column));
                t[j] = finite(raw);
                bad = Double.isNaN(t[j]) ? column + " is '" + raw + "', not a finite number" : null;
            }
            if (bad != null) {
                report.rejected(where, "song " + id + ": " + bad);
                continue;
            }
            Integer first = targetLine.putIfAbsent(id, row.line());
            if (first != null) {
                report.rejected(where, "song " + id + " again (first on line " + first + ", which is kept)");
                continue;
            }
            targets.put(id, t);
        }
        record Song(String id, String artist, boolean test) {}
        List<Song> songs = new ArrayList<>();
        Map<String, Integer> songLine = new HashMap<>();
        for (Tables.Record row : Tables.records(info, ',', "song_id", "Artist", "Mediaeval 2013 set")) {
            String where = info.getFileName() + " line " + row.line();
            String id = songId(row.get("song_id"));
            if (id == null) {
                report.rejected(where, "song_id '" + row.get("song_id") + "' is not a number");
                continue;
            }
            Integer first = songLine.putIfAbsent(id, row.line());
            if (first != null) {
                report.rejected(where, "song " + id + " again (first on line " + first + ", which is kept)");
                continue;
            }
            String set = value(row.values(), "Mediaeval 2013 set");
            songs.add(new Song(id, value(row.values(), "Artist"), set.equals("evaluation")));
        }
        // standardise with the development set's statistics (numpy's population std)
        double[] mean = new double[2];
        double[] sq = new double[2];
        int n = 0;
        for (Song s : songs) {
            double[] t = targets.get(s.id());
            if (!s.test() && t != null) {
                n++;
                for (int j = 0; j < 2; j++) {
                    mean[j] += t[j];
                    sq[j] += t[j] * t[j];
                }
            }
        }
        double[] std = new double[2];
        for (int j = 0; j < 2 && n > 0; j++) {
            mean[j] /= n;
            std[j] = Math.sqrt(Math.max(sq[j] / n - mean[j] * mean[j], 0));
        }
        List<TaskDraft.Entry> entries = TaskDraft.newEntries();
        for (Song s : songs) {
            double[] t = targets.get(s.id());
            if (t == null) {
                report.missing("static_annotations.csv row (a usable one) for song " + s.id());
                continue;
            }
            Path audio = clips.resolve(Integer.parseInt(s.id()) + ".mp3");
            if (!Files.isRegularFile(audio)) {
                report.missing(clips.getFileName() + "/" + audio.getFileName());
                continue;
            }
            Split split = s.test() ? Split.TEST : PythonStrings.inFirst(artistKey(s.artist()), 8, 10) ? Split.TRAIN
                    : Split.VALID;
            ArrayNode values = JSON.createArrayNode();
            for (int j = 0; j < 2; j++) {
                values.add(std[j] > 0 ? (t[j] - mean[j]) / std[j] : t[j] - mean[j]);
            }
            ObjectNode fields = JSON.createObjectNode();
            fields.set("targets", values);
            entries.add(new TaskDraft.Entry(audio, split, fields));
            report.added(split);
        }
        return new TaskDraft("emomusic", TaskType.REGRESSION, 5, "r2", List.of(),
                List.of("EmoMusic (Soleymani et al. 2013) from " + clips.getParent(),
                        "targets: [arousal, valence] (r2_0 is arousal, r2_1 valence), standardised on the development set",
                        "split: evaluation set = test; development set by artist hash, 8:2 train/valid (jukemir, MARBLE)",
                        "5 s windows over the 45 s clip (MARBLE crops the clip to 30 s first)"), entries, report);
    }

    private static String value(Map<String, String> row, String column) {
        String v = row.get(column);
        return v == null ? "" : PythonStrings.strip(v);
    }

    /** The song id as a plain number ("0012" is 12), or null when it is not one. */
    private static String songId(String raw) {
        try {
            return Integer.toString(Integer.parseInt(PythonStrings.strip(raw)));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The number, or NaN when it is not a finite one ("Infinity", "NaN", "", "n/a"). */
    private static double finite(String raw) {
        try {
            double v = Double.parseDouble(raw);
            return Double.isFinite(v) ? v : Double.NaN;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** The artist name as the split hashes it: lower case, ASCII letters and whitespace only, spaces collapsed. */
    static String artistKey(String artist) {
        StringBuilder s = new StringBuilder();
        artist.toLowerCase(Locale.ROOT).codePoints().filter(c -> c < 128 && (Character.isLetter(c)
                || PythonStrings.isSpace(c))).forEach(s::appendCodePoint);
        return String.join(" ", PythonStrings.strip(s.toString()).split("[\\t\\n\\x0B\\f\\r\\x1C-\\x1F ]+"));
    }
}
