package org.mert4j.probe;

import java.util.Locale;

/** What a probe predicts, with the loss and metric MARBLE uses for it. */
public enum TaskType {
    /** One label per clip; cross-entropy; accuracy. */
    MULTICLASS("accuracy"),
    /** Any number of tags per clip; BCE with logits; macro ROC-AUC (and average precision). */
    MULTILABEL("roc_auc"),
    /** Numeric targets per clip; MSE; R² per target. */
    REGRESSION("r2"),
    /** One of 24 keys per clip; cross-entropy; mir_eval weighted key score. */
    KEY("key_weighted"),
    /** Beat times per clip; per-frame BCE on beat activations; mir_eval beat F-measure. */
    BEAT("beat_f");

    private final String defaultMetric;

    TaskType(String defaultMetric) {
        this.defaultMetric = defaultMetric;
    }

    public String defaultMetric() {
        return defaultMetric;
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
}
