package org.mert4j.probe;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * What a probe predicts, and everything that depends on it: what a manifest line carries, the class
 * list, the probe's outputs, how they are trained and read, and the metrics MARBLE scores them with.
 */
public enum TaskType {
    /** One label per clip; cross-entropy; accuracy. */
    MULTICLASS("accuracy", Output.CLASS),
    /** Any number of tags per clip; BCE with logits; macro ROC-AUC (and average precision). */
    MULTILABEL("roc_auc", Output.TAGS),
    /** Numeric targets per clip; MSE; R² per target. */
    REGRESSION("r2", Output.VALUES),
    /** One of 24 keys per clip; cross-entropy; mir_eval weighted key score. */
    KEY("key_weighted", Output.CLASS),
    /** Beat times per clip; per-frame BCE on beat activations; mir_eval beat F-measure. */
    BEAT("beat_f", Output.TAGS);

    /** How the probe's outputs are trained and read. */
    public enum Output {
        /** One class of several: softmax, cross-entropy against the class index. */
        CLASS,
        /** Independent yes/no per output: sigmoid, binary cross-entropy. */
        TAGS,
        /** Numbers: as they are, squared error. */
        VALUES;

        /** The training loss of raw outputs [N, outputs] against targets (class indices [N] for CLASS). */
        public Tensor loss(Tensor out, Tensor target) {
            return switch (this) {
                case CLASS -> torch.log_softmax(out, 1, new ScalarTypeOptional()).gather(1, target.unsqueeze(1))
                        .mean().neg();
                // BCE with logits, stable form: max(z, 0) - z y + log(1 + exp(-|z|))
                case TAGS -> out.clamp_min(new Scalar(0.0)).sub(out.mul(target))
                        .add(torch.log1p(torch.exp(out.abs().neg()))).mean();
                case VALUES -> out.sub(target).pow(new Scalar(2.0)).mean();
            };
        }

        /** Raw outputs as predictions: probabilities, or the values themselves. */
        public Tensor predictions(Tensor out) {
            return switch (this) {
                case CLASS -> torch.softmax(out, 1, new ScalarTypeOptional());
                case TAGS -> torch.sigmoid(out);
                case VALUES -> out;
            };
        }
    }

    private final String defaultMetric;
    private final Output output;

    TaskType(String defaultMetric, Output output) {
        this.defaultMetric = defaultMetric;
        this.output = output;
    }

    public String defaultMetric() {
        return defaultMetric;
    }

    public Output output() {
        return output;
    }

    /** Whether the probe sees frames (one prediction per frame) rather than windows of a clip. */
    public boolean framewise() {
        return this == BEAT;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TaskType parse(String text) {
        for (TaskType t : values()) {
            if (t.id().equals(text.strip().toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown task type '" + text
                + "' (expected multiclass, multilabel, regression, key or beat)");
    }

    /**
     * What a manifest line carries for this type, as a {@link TaskExample}'s fields.
     * @param where the file and line, for error messages
     * @param beats reads a beat list or beat file (beat tasks)
     */
    TaskExample example(String id, Path audio, Split split, JsonNode line, String where, BeatReader beats)
            throws IOException {
        return switch (this) {
            case MULTICLASS, KEY -> {
                if (!line.hasNonNull("label")) {
                    throw new TaskFormatException(where + ": needs \"label\"");
                }
                String label = line.get("label").asText();
                if (this == KEY) {
                    try {
                        Keys.parse(label);
                    } catch (IllegalArgumentException e) {
                        throw new TaskFormatException(where + ": " + e.getMessage());
                    }
                }
                yield new TaskExample(id, audio, split, label, null, null, null);
            }
            case MULTILABEL -> {
                if (!line.has("labels") || !line.get("labels").isArray()) {
                    throw new TaskFormatException(where + ": needs a \"labels\" list");
                }
                List<String> labels = new ArrayList<>();
                line.get("labels").forEach(x -> labels.add(x.asText()));
                yield new TaskExample(id, audio, split, null, List.copyOf(labels), null, null);
            }
            case REGRESSION -> {
                JsonNode t = line.get("targets");
                if (t == null || !t.isArray() || t.isEmpty()) {
                    throw new TaskFormatException(where + ": needs a numeric \"targets\" list");
                }
                double[] targets = new double[t.size()];
                for (int i = 0; i < targets.length; i++) {
                    targets[i] = t.get(i).asDouble();
                    // a NaN or infinite target would make the loss and every R² non-finite, silently
                    if (!t.get(i).isNumber() || !Double.isFinite(targets[i])) {
                        throw new TaskFormatException(where + ": target " + i + " is " + t.get(i)
                                + ", not a finite number");
                    }
                }
                yield new TaskExample(id, audio, split, null, null, targets, null);
            }
            case BEAT -> new TaskExample(id, audio, split, null, null, null, beats.read(line.get("beats"), where));
        };
    }

    /** Reads the beat times a manifest line names (a list, or a beat file). */
    interface BeatReader {
        double[] read(JsonNode beats, String where) throws IOException;
    }

    /**
     * The class names: 24 keys, none for regression and beat, else the task file's list or, without
     * one, the manifest's labels in natural order.
     */
    List<String> classes(JsonNode declared, List<TaskExample> examples, String where) {
        if (this == KEY) {
            return Keys.names();
        }
        if (this == REGRESSION || this == BEAT) {
            return List.of();
        }
        if (declared != null && declared.isArray()) {
            List<String> out = new ArrayList<>();
            declared.forEach(c -> out.add(c.asText()));
            return List.copyOf(out);
        }
        TreeSet<String> seen = new TreeSet<>(TaskType::naturalOrder);
        for (TaskExample e : examples) {
            if (this == MULTICLASS) {
                seen.add(e.label());
            } else {
                seen.addAll(e.labels());
            }
        }
        if (seen.size() < 2) {
            throw new TaskFormatException(where + ": needs at least two classes, the manifest has " + seen);
        }
        return List.copyOf(seen);
    }

    /** Numbers in numeric order ("9" before "10"), other labels alphabetically. */
    private static int naturalOrder(String a, String b) {
        try {
            return Double.compare(Double.parseDouble(a), Double.parseDouble(b));
        } catch (NumberFormatException e) {
            return a.compareTo(b);
        }
    }

    /** The number of probe outputs: classes, targets, or 1 (beat activation). */
    int outputs(Task task) {
        return switch (this) {
            case MULTICLASS, MULTILABEL, KEY -> task.classes().size();
            case REGRESSION -> task.examples().get(0).targets().length;
            case BEAT -> 1;
        };
    }

    /** Writes a clip's target at {@code y[at...]}: its class index, its tags as 1s, or its values. */
    void writeTarget(Task task, TaskExample e, float[] y, int at) {
        switch (this) {
            case MULTICLASS, KEY -> y[at] = task.classIndex(e.label());
            case MULTILABEL -> e.labels().forEach(l -> y[at + task.classIndex(l)] = 1f);
            case REGRESSION -> {
                for (int j = 0; j < e.targets().length; j++) {
                    y[at + j] = (float) e.targets()[j];
                }
            }
            case BEAT -> throw new IllegalStateException("beat targets are per frame, not per clip");
        }
    }

    /** The metrics of per-clip predictions {@code predicted} [clips][outputs] (clip tasks). */
    Map<String, Double> clipMetrics(Task task, List<TaskExample> clips, double[][] predicted) {
        Map<String, Double> m = new LinkedHashMap<>();
        int n = clips.size();
        switch (this) {
            case MULTICLASS, KEY -> {
                int[] truth = new int[n];
                int[] pred = new int[n];
                for (int c = 0; c < n; c++) {
                    truth[c] = task.classIndex(clips.get(c).label());
                    pred[c] = argmax(predicted[c]);
                }
                m.put("accuracy", Metrics.accuracy(truth, pred));
                if (this == KEY) {
                    m.put("key_weighted", Metrics.keyWeightedScore(truth, pred));
                }
            }
            case MULTILABEL -> {
                boolean[][] truth = new boolean[n][task.outputs()];
                for (int c = 0; c < n; c++) {
                    for (String l : clips.get(c).labels()) {
                        truth[c][task.classIndex(l)] = true;
                    }
                }
                m.put("roc_auc", Metrics.macroRocAuc(truth, predicted));
                m.put("average_precision", Metrics.macroAveragePrecision(truth, predicted));
            }
            case REGRESSION -> {
                double[][] truth = new double[n][];
                for (int c = 0; c < n; c++) {
                    truth[c] = clips.get(c).targets();
                }
                double[] r2 = Metrics.r2(truth, predicted);
                m.put("r2", Arrays.stream(r2).average().orElse(Double.NaN));
                for (int j = 0; j < r2.length; j++) {
                    m.put("r2_" + j, r2[j]);
                }
            }
            case BEAT -> throw new IllegalStateException("beat tasks are scored per frame, not per clip");
        }
        return m;
    }

    private static int argmax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
