package org.mert4j.datasets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
        Map<String, double[]> targets = new LinkedHashMap<>();
        for (Map<String, String> row : Tables.read(stat, ',')) {
            targets.put(songId(row.get("song_id")), new double[] {
                Double.parseDouble(row.get("mean_arousal").strip()), Double.parseDouble(row.get("mean_valence").strip())});
        }
        record Song(String id, String artist, boolean test) {}
        List<Song> songs = new ArrayList<>();
        for (Map<String, String> row : Tables.read(info, ',')) {
            String set = value(row, "Mediaeval 2013 set");
            songs.add(new Song(songId(row.get("song_id")), value(row, "Artist"), set.equals("evaluation")));
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
        ImportReport report = new ImportReport();
        List<TaskDraft.Entry> entries = TaskDraft.newEntries();
        for (Song s : songs) {
            double[] t = targets.get(s.id());
            if (t == null) {
                report.missing("static_annotations.csv row for song " + s.id());
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

    private static String songId(String raw) {
        return Integer.toString(Integer.parseInt(PythonStrings.strip(raw)));
    }

    /** The artist name as the split hashes it: lower case, ASCII letters and whitespace only, spaces collapsed. */
    static String artistKey(String artist) {
        StringBuilder s = new StringBuilder();
        artist.toLowerCase(Locale.ROOT).codePoints().filter(c -> c < 128 && (Character.isLetter(c)
                || PythonStrings.isSpace(c))).forEach(s::appendCodePoint);
        return String.join(" ", PythonStrings.strip(s.toString()).split("[\\t\\n\\x0B\\f\\r\\x1C-\\x1F ]+"));
    }
}
