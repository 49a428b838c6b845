package org.mert4j.datasets;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mert4j.probe.Split;
import org.mert4j.probe.TaskType;

/**
 * {@code gtzan-beat}: beat tracking on GTZAN with the beat annotations of GTZAN-Rhythm v2 (Marchand and Peeters,
 * ISMIR 2015 LBD), as MARBLE uses them: JAMS files {@code jams/<genre>.000NN.wav.jams} (the {@code beat} annotation),
 * or the same beats as text from TempoBeatDownbeat/gtzan_tempo_beat ({@code beats/gtzan_<genre>_000NN.beats}, time
 * and beat position per line). Looked for anywhere under the folder given; MARBLE's fault-filtered split.
 */
final class GtzanBeat implements DatasetImporter {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        return "gtzan-beat";
    }

    @Override
    public String summary() {
        return "GTZAN beat tracking (GTZAN-Rhythm v2 *.wav.jams or gtzan_tempo_beat *.beats), fault-filtered split";
    }

    @Override
    public TaskDraft read(Path dir) throws IOException {
        Path root = Gtzan.audioRoot(dir);
        Map<String, Path> audio = Gtzan.audio(root);
        Map<String, Path> annotations = new TreeMap<>();
        for (Path f : Folders.files(dir)) {
            String n = f.getFileName().toString();
            if (n.endsWith(".wav.jams")) {
                annotations.put(n.substring(0, n.length() - ".wav.jams".length()), f);
            } else if (n.matches("gtzan_[a-z]+_\\d{5}\\.beats")) {
                String[] p = n.substring("gtzan_".length(), n.length() - ".beats".length()).split("_");
                annotations.putIfAbsent(p[0] + "." + p[1], f);
            }
        }
        if (annotations.isEmpty()) {
            throw new IOException(dir + ": no GTZAN beat annotations found (GTZAN-Rhythm_v2_ismir2015_lbd/jams/"
                    + "<genre>.000NN.wav.jams, or beats/gtzan_<genre>_000NN.beats)");
        }
        Map<String, Split> split = Gtzan.split();
        ImportReport report = new ImportReport();
        List<TaskDraft.Entry> entries = TaskDraft.newEntries();
        for (Map.Entry<String, Split> e : split.entrySet()) {
            String name = Gtzan.genre(e.getKey()) + "/" + e.getKey();
            Path file = audio.get(e.getKey());
            Path beats = annotations.get(e.getKey());
            if (Gtzan.knownCorrupt(file)) {
                report.skipped(Gtzan.CORRUPT_NOTE);
                continue;
            }
            if (file == null) {
                report.missing(name);
                continue;
            }
            if (beats == null) {
                report.missing(name + " (beat annotation)");
                continue;
            }
            ArrayNode times = JSON.createArrayNode();
            beats(beats).forEach(times::add);
            ObjectNode fields = JSON.createObjectNode();
            fields.set("beats", times);
            entries.add(new TaskDraft.Entry(file, e.getValue(), fields));
            report.added(e.getValue());
        }
        audio.keySet().stream().filter(k -> !split.containsKey(k)).forEach(k -> report.unused(Gtzan.genre(k) + "/" + k));
        return new TaskDraft("gtzan-beat", TaskType.BEAT, 0, "beat_f", List.of(),
                List.of("GTZAN beat tracking, audio from " + root, "beats: GTZAN-Rhythm v2 (Marchand and Peeters 2015)",
                        Gtzan.SPLIT_NOTE), entries, report);
    }

    /** Beat times in seconds: a JAMS file's beat annotation, or the first column of a text file. */
    static List<Double> beats(Path file) throws IOException {
        List<Double> out = new ArrayList<>();
        if (file.getFileName().toString().endsWith(".jams")) {
            JsonNode root = JSON.readTree(file.toFile());
            JsonNode chosen = null;
            for (JsonNode a : root.path("annotations")) {
                if (!a.path("namespace").asText().equals("beat")) {
                    continue;
                }
                String kind = a.path("sandbox").path("annotation_type").asText("");
                if (kind.equals("beat") || (chosen == null && kind.isEmpty())) {
                    chosen = a; // MARBLE takes the annotation marked "beat" (the file also holds downbeats)
                    if (kind.equals("beat")) {
                        break;
                    }
                }
            }
            if (chosen == null) {
                throw new IOException(file + ": no beat annotation (namespace \"beat\")");
            }
            JsonNode data = chosen.path("data");
            if (data.isArray()) {
                data.forEach(o -> out.add(o.path("time").asDouble()));
            } else {
                data.path("time").forEach(t -> out.add(t.asDouble())); // JAMS' column form
            }
        } else {
            for (String line : java.nio.file.Files.readAllLines(file)) {
                String[] cols = line.strip().split("\\s+");
                if (!cols[0].isEmpty() && !cols[0].startsWith("#")) {
                    out.add(Double.parseDouble(cols[0]));
                }
            }
        }
        out.sort(Double::compare);
        return out;
    }
}
