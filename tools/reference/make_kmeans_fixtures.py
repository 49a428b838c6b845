#!/usr/bin/env python3
"""Generates the k-means fixtures under mert4j-core/src/test/resources/teacher/.

Run from the repository root with a Python that has numpy and scikit-learn (1.9 was used).

Files:
  blobs.npy          float32 [5000, 16]: sklearn.datasets.make_blobs with 30 centres of varying spread
  blobs_kmeans.json  scikit-learn MiniBatchKMeans(n_clusters=20, batch_size=1024, n_init=3,
                     random_state=s) on blobs.npy for s = 0..4: inertia (sum of squared distances
                     of every point to its centre), steps run; and for random_state 0 the centres
                     and the labels of every point (to check predict and inertia on given centres)
"""
import json
import os

import numpy as np
import sklearn
from sklearn.cluster import MiniBatchKMeans
from sklearn.datasets import make_blobs

OUT = os.path.join("mert4j-core", "src", "test", "resources", "teacher")
K = 20


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.RandomState(0)
    x, _ = make_blobs(n_samples=5000, n_features=16, centers=30,
                      cluster_std=rng.uniform(0.5, 2.5, size=30), center_box=(-10, 10), random_state=0)
    x = x.astype(np.float32)
    np.save(os.path.join(OUT, "blobs.npy"), x)
    runs = []
    for seed in range(5):
        km = MiniBatchKMeans(n_clusters=K, batch_size=1024, n_init=3, random_state=seed).fit(x)
        runs.append({"random_state": seed, "inertia": float(km.inertia_), "n_steps": int(km.n_steps_)})
        if seed == 0:
            ref = km
    d = ((x[:, None, :].astype(np.float64) - ref.cluster_centers_[None].astype(np.float64)) ** 2).sum(-1)
    margin = np.sort(d, axis=1)
    out = {
        "sklearn_version": sklearn.__version__,
        "n_clusters": K,
        "batch_size": 1024,
        "n_init": 3,
        "runs": runs,
        "centers": ref.cluster_centers_.astype(np.float64).round(7).tolist(),
        "labels": ref.labels_.astype(int).tolist(),
        # points whose two nearest centres are nearly tied may flip in float32: the test skips them
        "min_label_margin": float((margin[:, 1] - margin[:, 0]).min()),
    }
    with open(os.path.join(OUT, "blobs_kmeans.json"), "w") as f:
        json.dump(out, f, separators=(",", ":"))
    for r in runs:
        print(r)


if __name__ == "__main__":
    main()
