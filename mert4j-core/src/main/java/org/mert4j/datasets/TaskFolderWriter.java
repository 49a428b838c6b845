package org.mert4j.datasets;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mert4j.io.AtomicFiles;
import org.mert4j.probe.Split;

/**
 * Writes a {@link TaskDraft} as a task folder: {@code task.yaml}, {@code manifest.jsonl} with the audio paths
 * relative to the manifest (the audio stays where it is), and {@code import.json} with what the import found.
 * With {@code copy} the audio is copied under {@code audio/} of the task folder first. Each file is written
 * atomically, the task file last, so a task file always has its manifest.
 */
public final class TaskFolderWriter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TaskFolderWriter() {}

    /** Writes the task folder and returns the task file. */
    public static Path write(TaskDraft draft, Path datasetDir, Path out, boolean copy) throws IOException {
        for (Split s : List.of(Split.TRAIN, Split.VALID, Split.TEST)) {
            if (draft.report().clips(s) == 0) {
                throw new IOException(datasetDir + ": no " + s.id() + " clips found for " + draft.name()
                        + " (" + draft.report().missing().size() + " listed files missing): is this the dataset as"
                        + " its publisher ships it?");
            }
        }
        Path dir = out.toAbsolutePath().normalize();
        Files.createDirectories(dir);
        Path root = datasetDir.toAbsolutePath().normalize();
        List<String> lines = new ArrayList<>();
        for (TaskDraft.Entry e : draft.entries()) {
            Path audio = e.audio().toAbsolutePath().normalize();
            if (!audio.startsWith(root)) { // the importers keep to the dataset's folder; this is the last guard
                throw new IOException(audio + ": outside the dataset folder " + root + ", not imported");
            }
            if (copy) {
                Path rel = root.relativize(audio);
                Path target = dir.resolve("audio").resolve(rel);
                if (!Files.isRegularFile(target) || Files.size(target) != Files.size(audio)) {
                    Files.createDirectories(target.getParent());
                    Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
                    Files.copy(audio, tmp, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                }
                audio = target;
            }
            ObjectNode line = JSON.createObjectNode();
            line.put("audio", relative(dir, audio));
            line.put("split", e.split().id());
            line.setAll(e.fields());
            lines.add(JSON.writeValueAsString(line));
        }
        AtomicFiles.write(dir.resolve("manifest.jsonl"), o -> {
            Writer w = new OutputStreamWriter(o, StandardCharsets.UTF_8);
            for (String l : lines) {
                w.write(l);
                w.write('\n');
            }
            w.flush();
        });
        ObjectNode report = JSON.createObjectNode();
        report.put("dataset", draft.name());
        report.put("source", root.toString());
        ObjectNode clips = report.putObject("clips");
        for (Split s : List.of(Split.TRAIN, Split.VALID, Split.TEST)) {
            clips.put(s.id(), draft.report().clips(s));
        }
        ArrayNode missing = report.putArray("missing");
        draft.report().missing().forEach(missing::add);
        ArrayNode unused = report.putArray("unused");
        draft.report().unused().forEach(unused::add);
        ArrayNode rejected = report.putArray("rejected");
        draft.report().rejected().forEach(rejected::add);
        ObjectNode skipped = report.putObject("skipped");
        draft.report().skipped().forEach(skipped::put);
        byte[] reportBytes = JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(report);
        AtomicFiles.write(dir.resolve("import.json"), o -> o.write(reportBytes));
        Path task = dir.resolve("task.yaml");
        byte[] yaml = taskYaml(draft).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(task, o -> o.write(yaml));
        return task;
    }

    static String taskYaml(TaskDraft d) throws IOException {
        StringBuilder s = new StringBuilder();
        s.append("# made by: mert tasks import ").append(d.name()).append('\n');
        for (String note : d.notes()) {
            s.append("# ").append(note).append('\n');
        }
        s.append("name: ").append(JSON.writeValueAsString(d.name())).append('\n');
        s.append("type: ").append(d.type().id()).append('\n');
        s.append("manifest: manifest.jsonl\n");
        s.append("window: ").append(d.window() > 0 ? String.format(Locale.ROOT, "%g", d.window())
                .replaceFirst("\\.?0+$", "") : "clip").append('\n');
        s.append("metric: ").append(d.metric()).append('\n');
        if (!d.classes().isEmpty()) {
            s.append("classes: ").append(JSON.writeValueAsString(d.classes())).append('\n');
        }
        return s.toString();
    }

    /** The path of {@code file} as the manifest names it: relative to its folder, with '/' separators. */
    static String relative(Path manifestDir, Path file) {
        try {
            return manifestDir.relativize(file).toString().replace('\\', '/');
        } catch (IllegalArgumentException e) {
            return file.toString(); // another drive or root: the absolute path
        }
    }
}
