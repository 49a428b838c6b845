#!/usr/bin/env python3
"""Reference values of the probe metrics on random predictions (scikit-learn and mir_eval).

Writes mert4j-core/src/test/resources/probe/metric_fixtures.json with the inputs and what
sklearn.metrics / mir_eval return for them. Run from the repository root:

    pip install --index-url LOCAL_WHEEL_INDEX scikit-learn mir_eval
    python3 tools/reference/make_metric_fixtures.py
"""
import json
import pathlib

import mir_eval
import numpy as np
from sklearn import metrics

rng = np.random.default_rng(1234)
out = {}

# multi-class accuracy
n, k = 300, 10
truth = rng.integers(0, k, n)
pred = np.where(rng.random(n) < 0.4, truth, rng.integers(0, k, n))
out["multiclass"] = {"truth": truth.tolist(), "predicted": pred.tolist(),
                     "accuracy": float(metrics.accuracy_score(truth, pred))}

# multi-label: scores rounded to 2 decimals so that ties occur (both metrics must break them as sklearn does)
n, k = 200, 8
labels = (rng.random((n, k)) < rng.uniform(0.05, 0.5, k)).astype(int)
labels[0] = 1
labels[1] = 0
scores = np.round(np.clip(labels * rng.uniform(0.0, 0.6, (n, k)) + rng.random((n, k)) * 0.7, 0, 1), 2)
out["multilabel"] = {
    "labels": labels.tolist(), "scores": scores.tolist(),
    "roc_auc_macro": float(metrics.roc_auc_score(labels, scores, average="macro")),
    "average_precision_macro": float(metrics.average_precision_score(labels, scores, average="macro")),
    "roc_auc_per_label": [float(metrics.roc_auc_score(labels[:, j], scores[:, j])) for j in range(k)],
    "average_precision_per_label": [float(metrics.average_precision_score(labels[:, j], scores[:, j]))
                                    for j in range(k)],
}

# regression: R2 per target
n = 150
targets = rng.normal(size=(n, 2)) * [1.0, 3.0] + [0.0, 5.0]
predictions = targets * [0.7, 0.4] + rng.normal(size=(n, 2)) * [0.5, 2.5]
out["regression"] = {"targets": targets.tolist(), "predictions": predictions.tolist(),
                     "r2": metrics.r2_score(targets, predictions, multioutput="raw_values").tolist()}

# key: mir_eval weighted score, including flat spellings and every relationship
tonics = ["C", "C#", "Db", "D", "D#", "Eb", "E", "F", "F#", "Gb", "G", "G#", "Ab", "A", "A#", "Bb", "B"]
modes = ["major", "minor"]
pairs = []
for _ in range(400):
    ref = f"{tonics[rng.integers(len(tonics))]} {modes[rng.integers(2)]}"
    est = f"{tonics[rng.integers(len(tonics))]} {modes[rng.integers(2)]}"
    pairs.append([ref, est])
for ref, est in [("C major", "G major"), ("G major", "C major"), ("C major", "A minor"), ("A minor", "C major"),
                 ("C major", "C minor"), ("A minor", "E minor"), ("C minor", "Eb major"), ("Eb major", "C minor")]:
    pairs.append([ref, est])
out["key"] = {"pairs": pairs, "scores": [mir_eval.key.weighted_score(r, e) for r, e in pairs]}

# beat F-measure with a 70 ms window, beats before 5 s ignored
sequences = []
for _ in range(20):
    period = 60.0 / rng.uniform(70, 180)
    offset = rng.uniform(0, period)
    ref = np.arange(offset, 30.0, period)
    est = ref + rng.normal(0, 0.05, ref.size)
    est = est[rng.random(est.size) > 0.15]
    extra = rng.uniform(0, 30.0, rng.integers(0, 8))
    est = np.sort(np.concatenate([est, extra]))
    est = est[est >= 0]
    f = mir_eval.beat.f_measure(mir_eval.beat.trim_beats(ref), mir_eval.beat.trim_beats(est))
    sequences.append({"reference": ref.tolist(), "estimated": est.tolist(), "f_measure": float(f)})
out["beat"] = sequences

path = pathlib.Path("mert4j-core/src/test/resources/probe/metric_fixtures.json")
path.write_text(json.dumps(out))
print(path, path.stat().st_size, "bytes")
