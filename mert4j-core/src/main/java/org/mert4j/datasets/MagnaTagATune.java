package org.mert4j.datasets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mert4j.probe.Split;
import org.mert4j.probe.TaskType;

/**
 * {@code mtat}: MagnaTagATune (Law et al. 2009) auto-tagging with the 50 most frequent of the 188 tags of
 * {@code annotations_final.csv} (tab-separated: clip_id, the tags as 0/1, mp3_path), multilabel, scored by macro
 * ROC-AUC and average precision. The split is the standard one by the first hexadecimal digit of the clip's folder
 * (0..b train, c valid, d..f test; Dieleman and Schrauwen 2014), as in MARBLE, which also keeps clips with none of
 * the 50 tags. Audio: the {@code mp3/} folder of the unpacked archive, {@code <hex>/<name>.mp3}.
 */
final class MagnaTagATune implements DatasetImporter {
    static final int TOP = 50;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        return "mtat";
    }

    @Override
    public String summary() {
        return "MagnaTagATune top-50 tags (annotations_final.csv + mp3/), split by folder 0-b/c/d-f, ROC-AUC and AP";
    }

    @Override
    public TaskDraft read(Path dir) throws IOException {
        Path csv = Folders.findFile(dir, 2, "annotations_final.csv").orElseThrow(() -> new IOException(dir
                + ": no annotations_final.csv found (the MagnaTagATune annotation file)"));
        List<Tables.Row> rows = Tables.lines(Files.readString(csv, StandardCharsets.UTF_8), '\t');
        List<String> header = rows.isEmpty() ? List.of() : rows.get(0).fields();
        int pathColumn = header.indexOf("mp3_path");
        if (pathColumn < 0 || header.size() < 3) {
            throw new IOException(csv + ": " + (rows.isEmpty() ? "empty" : "no mp3_path column in the header row")
                    + ", expected the columns clip_id, the tags, mp3_path (tab-separated)");
        }
        List<String> tags = header.subList(1, pathColumn);
        Path audioRoot = Folders.find(dir, 3, p -> Files.isDirectory(p.resolve("0")) && Files.isDirectory(p.resolve("f")))
                .orElseThrow(() -> new IOException(dir + ": no MagnaTagATune audio found (a folder with the"
                        + " sub-folders 0..9 and a..f of mp3 files, as the mp3.zip archive unpacks)"));
        ImportReport report = new ImportReport();
        List<Clip> clips = clips(csv, rows, header.size(), tags, pathColumn, audioRoot, report);
        long[] counts = new long[tags.size()];
        for (Clip c : clips) {
            for (int t = 0; t < tags.size(); t++) {
                counts[t] += c.tags()[t] ? 1 : 0;
            }
        }
        // the 50 most frequent tags, most frequent first (ties: the earlier column first)
        List<Integer> top = IntStream.range(0, tags.size()).boxed()
                .sorted(Comparator.comparingLong((Integer t) -> -counts[t]).thenComparing(t -> t)).limit(TOP).toList();
        List<TaskDraft.Entry> entries = TaskDraft.newEntries();
        Set<String> listed = new HashSet<>();
        for (Clip c : clips) {
            listed.add(c.path());
            if (!Files.isRegularFile(c.audio())) {
                report.missing(c.path());
                continue;
            }
            if (Files.size(c.audio()) == 0) {
                report.skipped("empty mp3 file (known in MagnaTagATune)");
                continue;
            }
            int folder = Character.digit(c.path().charAt(0), 16);
            Split split = folder < 12 ? Split.TRAIN : folder == 12 ? Split.VALID : Split.TEST;
            ArrayNode labels = JSON.createArrayNode();
            for (int t : top) {
                if (c.tags()[t]) {
                    labels.add(tags.get(t));
                }
            }
            ObjectNode fields = JSON.createObjectNode();
            fields.set("labels", labels);
            entries.add(new TaskDraft.Entry(c.audio(), split, fields));
            report.added(split);
        }
        for (Path f : Folders.files(audioRoot)) {
            String rel = audioRoot.relativize(f).toString().replace('\\', '/');
            if (rel.endsWith(".mp3") && !listed.contains(rel)) {
                report.unused(rel);
            }
        }
        List<String> classes = new ArrayList<>();
        top.forEach(t -> classes.add(tags.get(t)));
        return new TaskDraft("mtat", TaskType.MULTILABEL, 0, "roc_auc", classes,
                List.of("MagnaTagATune (Law et al. 2009) from " + csv.getParent() + ", the 50 most frequent tags",
                        "split by folder: 0-b train, c valid, d-f test (Dieleman and Schrauwen 2014), as MARBLE",
                        "features of the whole 29 s clip, as MARBLE extracts them"), entries, report);
    }

    /** One usable row of annotations_final.csv: its mp3_path, the file it names, and its tags. */
    private record Clip(String path, Path audio, boolean[] tags) {}

    /**
     * The rows that can be used: every field there, each tag 0 or 1, an mp3_path inside the audio folder's
     * 0..f sub-folders, and each clip once (a later row of the same clip is left out); the others are reported.
     */
    private static List<Clip> clips(Path csv, List<Tables.Row> rows, int columns, List<String> tags, int pathColumn,
            Path audioRoot, ImportReport report) {
        List<Clip> out = new ArrayList<>();
        Map<String, Integer> firstLine = new HashMap<>();
        rows:
        for (Tables.Row r : rows.subList(1, rows.size())) {
            List<String> f = r.fields();
            if (f.size() == 1 && f.get(0).isBlank()) {
                continue;
            }
            String where = csv.getFileName() + " line " + r.line();
            if (f.size() != columns) {
                report.rejected(where, f.size() + " fields, the header row has " + columns);
                continue;
            }
            boolean[] on = new boolean[tags.size()];
            for (int t = 0; t < tags.size(); t++) {
                String v = f.get(t + 1).strip();
                if (!v.equals("0") && !v.equals("1")) {
                    report.rejected(where, "tag '" + tags.get(t) + "' is '" + v + "', expected 0 or 1");
                    continue rows;
                }
                on[t] = v.equals("1");
            }
            String rel = f.get(pathColumn).strip();
            Optional<Path> audio = Folders.inside(audioRoot, rel);
            if (audio.isEmpty() || rel.length() < 3 || Character.digit(rel.charAt(0), 16) < 0 || rel.charAt(1) != '/') {
                report.rejected(where, "mp3_path '" + rel + "' is not a file in one of the audio folder's"
                        + " sub-folders 0..9, a..f");
                continue;
            }
            Integer first = firstLine.putIfAbsent(rel, r.line());
            if (first != null) {
                report.rejected(where, "mp3_path '" + rel + "' again (first on line " + first + ", which is kept)");
                continue;
            }
            out.add(new Clip(rel, audio.get(), on));
        }
        return out;
    }
}
