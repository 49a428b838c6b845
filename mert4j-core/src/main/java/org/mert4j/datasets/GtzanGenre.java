package org.mert4j.datasets;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mert4j.probe.Split;
import org.mert4j.probe.TaskType;

/** {@code gtzan}: genre classification on GTZAN (10 genres, accuracy) with MARBLE's fault-filtered split. */
final class GtzanGenre implements DatasetImporter {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        return "gtzan";
    }

    @Override
    public String summary() {
        return "GTZAN genre (genres/*/*.au or Data/genres_original/*/*.wav), fault-filtered split 443/197/290";
    }

    @Override
    public TaskDraft read(Path dir) throws IOException {
        Path root = Gtzan.audioRoot(dir);
        Map<String, Path> audio = Gtzan.audio(root);
        Map<String, Split> split = Gtzan.split();
        ImportReport report = new ImportReport();
        List<TaskDraft.Entry> entries = TaskDraft.newEntries();
        for (Map.Entry<String, Split> e : split.entrySet()) {
            Path file = audio.get(e.getKey());
            if (Gtzan.knownCorrupt(file)) {
                report.skipped(Gtzan.CORRUPT_NOTE);
                continue;
            }
            if (file == null) {
                report.missing(Gtzan.genre(e.getKey()) + "/" + e.getKey());
                continue;
            }
            ObjectNode fields = JSON.createObjectNode().put("label", Gtzan.genre(e.getKey()));
            entries.add(new TaskDraft.Entry(file, e.getValue(), fields));
            report.added(e.getValue());
        }
        audio.keySet().stream().filter(k -> !split.containsKey(k)).forEach(k -> report.unused(Gtzan.genre(k) + "/" + k));
        // MARBLE extracts features of the whole 30 s clip
        return new TaskDraft("gtzan", TaskType.MULTICLASS, 0, "accuracy", Gtzan.GENRES,
                List.of("GTZAN genre classification (Tzanetakis and Cook 2002), audio from " + root, Gtzan.SPLIT_NOTE,
                        "features of the whole clip, as MARBLE extracts them"), entries, report);
    }
}
