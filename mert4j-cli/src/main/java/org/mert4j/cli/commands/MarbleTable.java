package org.mert4j.cli.commands;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.mert4j.io.AtomicFiles;
import org.mert4j.probe.ProbeResult;
import org.mert4j.probe.Task;

/**
 * The results of probes over several tasks as one table, like MARBLE's leaderboard: a row per model (its
 * baselines included), a column per task and metric (MTT's ROC-AUC and average precision, EmoMusic's R² of each
 * target, ...), test scores in percent of the probe setting that did best on the validation split. Kept as
 * {@code marble.csv} and {@code marble.md} in a folder; a later run with another model or task adds its row or
 * columns and replaces the cells it computed again.
 */
final class MarbleTable {
    static final String CSV = "marble.csv";
    static final String MARKDOWN = "marble.md";
    private static final String MODEL = "model";

    private final List<String> columns = new ArrayList<>();
    private final Map<String, Map<String, String>> rows = new LinkedHashMap<>();

    /** The table in {@code dir}, or an empty one. */
    static MarbleTable read(Path dir) throws IOException {
        MarbleTable t = new MarbleTable();
        Path file = dir.resolve(CSV);
        if (!Files.isRegularFile(file)) {
            return t;
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            return t;
        }
        List<String> header = fields(lines.get(0));
        t.columns.addAll(header.subList(1, header.size()));
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            List<String> f = fields(line);
            Map<String, String> row = t.rows.computeIfAbsent(f.get(0), k -> new LinkedHashMap<>());
            for (int i = 1; i < f.size() && i < header.size(); i++) {
                if (!f.get(i).isEmpty()) {
                    row.put(header.get(i), f.get(i));
                }
            }
        }
        return t;
    }

    /** The metrics a task's column(s) show, as {@link ProbeResult#testMetrics()} names them. */
    static List<String> metrics(Task task, ProbeResult example) {
        return switch (task.type()) {
            case MULTICLASS -> List.of("accuracy");
            case KEY -> List.of("key_weighted");
            case MULTILABEL -> List.of("roc_auc", "average_precision");
            case BEAT -> List.of("beat_f");
            case REGRESSION -> {
                List<String> out = new ArrayList<>();
                example.testMetrics().keySet().stream().filter(k -> k.matches("r2_\\d+")).forEach(out::add);
                yield out.isEmpty() ? List.of("r2") : out;
            }
        };
    }

    /** Sets the cells of {@code model} for {@code task} from the best of its results on the validation split. */
    void put(String model, Task task, List<ProbeResult> results) {
        ProbeResult best = null;
        for (ProbeResult r : results) {
            if (best == null || r.valid() > best.valid()) {
                best = r;
            }
        }
        if (best == null) {
            return;
        }
        Map<String, String> row = rows.computeIfAbsent(model, k -> new LinkedHashMap<>());
        for (String metric : metrics(task, best)) {
            String column = task.name() + " " + metric;
            if (!columns.contains(column)) {
                columns.add(column);
            }
            Double v = best.testMetrics().get(metric);
            row.put(column, v == null || v.isNaN() ? "" : String.format(Locale.ROOT, "%.1f", 100 * v));
        }
    }

    void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        StringBuilder csv = new StringBuilder(quote(MODEL));
        columns.forEach(c -> csv.append(',').append(quote(c)));
        csv.append('\n');
        rows.forEach((model, row) -> {
            csv.append(quote(model));
            columns.forEach(c -> csv.append(',').append(quote(row.getOrDefault(c, ""))));
            csv.append('\n');
        });
        byte[] csvBytes = csv.toString().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(dir.resolve(CSV), o -> o.write(csvBytes));
        byte[] md = markdown().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(dir.resolve(MARKDOWN), o -> o.write(md));
    }

    String markdown() {
        StringBuilder s = new StringBuilder("| model |");
        columns.forEach(c -> s.append(' ').append(c).append(" |"));
        s.append("\n|---|");
        columns.forEach(c -> s.append("---:|"));
        s.append('\n');
        rows.forEach((model, row) -> {
            s.append("| ").append(model.replace("|", "\\|")).append(" |");
            columns.forEach(c -> s.append(' ').append(row.getOrDefault(c, "")).append(" |"));
            s.append('\n');
        });
        s.append("\nTest scores in percent (R² times 100) of the probe that did best on the validation split;"
                + " made by mert probe.\n");
        return s.toString();
    }

    private static String quote(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    private static List<String> fields(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted && c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                f.append('"');
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                out.add(f.toString());
                f.setLength(0);
            } else {
                f.append(c);
            }
        }
        out.add(f.toString());
        return out;
    }
}
