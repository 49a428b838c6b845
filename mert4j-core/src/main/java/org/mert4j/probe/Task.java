package org.mert4j.probe;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * A downstream task: a task file (YAML or JSON) naming the type, manifest, window and metric, and the
 * manifest's examples.
 * <pre>
 * name: notes-pitch
 * type: multiclass          # multiclass | multilabel | regression | key | beat
 * manifest: manifest.jsonl  # relative to the task file
 * window: 5                 # seconds per window (predictions averaged per clip), or "clip"
 * metric: accuracy          # optional: accuracy | roc_auc | average_precision | r2 | key_weighted | beat_f
 * classes: [C4, D4]         # optional: class order (default: the sorted labels of the manifest)
 * </pre>
 * Manifest lines (JSONL, audio relative to the manifest):
 * {@code {"audio": "a/x.wav", "split": "train", "label": "jazz"}}, with {@code "labels": [...]} for
 * multilabel, {@code "targets": [0.1, 0.7]} for regression, {@code "beats": "x.beats"} (a text file of
 * beat times, first column in seconds, relative to the manifest) or {@code "beats": [0.5, 1.0]} for beat.
 *
 * @param windowSeconds window length, or 0 for the whole clip
 * @param classes       class names (multiclass, multilabel, key); empty for regression and beat
 */
public record Task(String name, TaskType type, Path file, Path manifest, double windowSeconds, String metric,
        List<String> classes, List<TaskExample> examples) {

    private static final List<String> METRICS = List.of("accuracy", "roc_auc", "average_precision", "r2",
            "key_weighted", "beat_f");

    /** Reads a task file and its manifest. */
    public static Task load(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (IOException e) {
            throw new TaskFormatException(file + ": not a readable YAML/JSON task file: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new TaskFormatException(file + ": expected a mapping with type and manifest");
        }
        TaskType type;
        try {
            type = TaskType.parse(text(root, "type", file));
        } catch (IllegalArgumentException e) {
            throw new TaskFormatException(file + ": " + e.getMessage());
        }
        Path dir = file.toAbsolutePath().getParent();
        Path manifest = dir.resolve(text(root, "manifest", file)).normalize();
        String name = root.hasNonNull("name") ? root.get("name").asText()
                : file.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        double window = window(root.get("window"), file);
        String metric = root.hasNonNull("metric") ? root.get("metric").asText().toLowerCase(Locale.ROOT)
                : type.defaultMetric();
        if (!METRICS.contains(metric)) {
            throw new TaskFormatException(file + ": unknown metric '" + metric + "' (expected one of " + METRICS + ")");
        }
        List<TaskExample> examples = readManifest(manifest, type);
        List<String> classes = type.classes(root.get("classes"), examples, file.toString());
        return new Task(name, type, file, manifest, window, metric, classes, examples);
    }

    public List<TaskExample> split(Split split) {
        return examples.stream().filter(e -> e.split() == split).toList();
    }

    public int classIndex(String label) {
        if (type == TaskType.KEY) {
            return Keys.parse(label);
        }
        int i = classes.indexOf(label);
        if (i < 0) {
            throw new TaskFormatException(manifest + ": label '" + label + "' is not one of the task's classes");
        }
        return i;
    }

    /** The number of probe outputs: classes, targets, or 1 (beat activation). */
    public int outputs() {
        return type.outputs(this);
    }

    private static String text(JsonNode root, String field, Path file) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull() || n.asText().isBlank()) {
            throw new TaskFormatException(file + ": missing '" + field + "'");
        }
        return n.asText();
    }

    private static double window(JsonNode n, Path file) {
        if (n == null || n.isNull()) {
            return 5.0;
        }
        if (n.isNumber()) {
            if (n.asDouble() < 0) {
                throw new TaskFormatException(file + ": window must be seconds >= 0 or 'clip', got " + n);
            }
            return n.asDouble();
        }
        String t = n.asText().strip().toLowerCase(Locale.ROOT);
        if (t.equals("clip") || t.equals("whole") || t.equals("none")) {
            return 0;
        }
        try {
            return window(new ObjectMapper().readTree(t.replaceFirst("s$", "")), file);
        } catch (IOException | RuntimeException e) {
            throw new TaskFormatException(file + ": window must be seconds (5, 30) or 'clip', got '" + t + "'");
        }
    }

    /** Reads a JSONL manifest; every line must carry what {@code type} needs. */
    public static List<TaskExample> readManifest(Path manifest, TaskType type) {
        if (!Files.isRegularFile(manifest)) {
            throw new TaskFormatException(manifest + ": manifest not found");
        }
        ObjectMapper json = new ObjectMapper();
        Path dir = manifest.toAbsolutePath().getParent();
        List<TaskExample> out = new ArrayList<>();
        int targets = -1;
        try (BufferedReader r = Files.newBufferedReader(manifest, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = r.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                String where = manifest + " line " + number;
                JsonNode n;
                try {
                    n = json.readTree(line);
                } catch (IOException e) {
                    throw new TaskFormatException(where + ": not JSON: " + e.getMessage(), e);
                }
                if (!n.hasNonNull("audio") || !n.hasNonNull("split")) {
                    throw new TaskFormatException(where + ": needs \"audio\" and \"split\"");
                }
                String audio = n.get("audio").asText();
                Split split;
                try {
                    split = Split.parse(n.get("split").asText());
                } catch (IllegalArgumentException e) {
                    throw new TaskFormatException(where + ": " + e.getMessage());
                }
                TaskExample e = type.example(audio, dir.resolve(audio).normalize(), split, n, where,
                        (node, at) -> beats(node, dir, at));
                if (e.targets() != null) {
                    if (targets >= 0 && e.targets().length != targets) {
                        throw new TaskFormatException(where + ": " + e.targets().length + " targets, earlier lines have "
                                + targets);
                    }
                    targets = e.targets().length;
                }
                out.add(e);
            }
        } catch (IOException e) {
            throw new TaskFormatException(manifest + ": " + e.getMessage(), e);
        }
        for (Split s : List.of(Split.TRAIN, Split.VALID, Split.TEST)) {
            if (out.stream().noneMatch(e -> e.split() == s)) {
                throw new TaskFormatException(manifest + ": has no " + s.id() + " examples (train, valid and test"
                        + " are all needed)");
            }
        }
        return List.copyOf(out);
    }

    private static double[] numbers(JsonNode a) {
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asDouble();
        }
        return out;
    }

    private static double[] beats(JsonNode n, Path dir, String where) throws IOException {
        if (n == null || n.isNull()) {
            throw new TaskFormatException(where + ": needs \"beats\" (a beat file or a list of times)");
        }
        if (n.isArray()) {
            return numbers(n);
        }
        Path f = dir.resolve(n.asText());
        if (!Files.isRegularFile(f)) {
            throw new TaskFormatException(where + ": beat file " + f + " not found");
        }
        List<Double> times = new ArrayList<>();
        for (String l : Files.readAllLines(f, StandardCharsets.UTF_8)) {
            String[] cols = l.strip().split("[\\s,]+");
            if (cols.length == 0 || cols[0].isEmpty() || cols[0].startsWith("#")) {
                continue;
            }
            try {
                times.add(Double.parseDouble(cols[0]));
            } catch (NumberFormatException e) {
                throw new TaskFormatException(f + ": not a beat time: '" + l + "'");
            }
        }
        double[] out = times.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(out);
        return out;
    }
}
