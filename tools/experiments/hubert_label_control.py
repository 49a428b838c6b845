#!/usr/bin/env python3
"""Control for docs/experiments.md: how fast does transformers' HubertModel learn k-means labels?

Trains transformers' Hubert of the `small` (or a given) shape in PyTorch with MERT's cosine head on the
labels of a mert4j corpus, with the small recipe's optimiser, warm-up and batches (4 crops of 5 s), and
prints the cross-entropy and accuracy every 10 updates. `unmasked` scores every frame with nothing
masked (the easiest form of the task); `masked` uses MERT's span masks and scores the masked frames.

    python3 tools/experiments/hubert_label_control.py CORPUS LABELS unmasked --steps 150
    # CORPUS: a `mert corpus` folder (data/train.tsv); LABELS: its `mert labels` folder
    # --width 64 --layers 2 --conv 32: the tiny shape; --label-init normal: N(0, 1) label embeddings
    # --head linear: a plain softmax classifier instead of the cosine head; --freeze: train the head only

Needs numpy, soundfile, torch and transformers; reuses the objective of make_objective_fixtures.py.
"""
import argparse
import os
import sys
import time

import numpy as np
import soundfile as sf
import torch
import torch.nn.functional as F
from transformers import HubertConfig, HubertModel

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "reference"))
from make_objective_fixtures import GradMultiply, contrastive_logits, span_masks  # noqa: E402

HOP = 320          # samples per frame at 24 kHz (75 Hz)
CROP = 120000      # 5 s
BATCH = 4


def main():
    p = argparse.ArgumentParser()
    p.add_argument("corpus"); p.add_argument("labels"); p.add_argument("mode", choices=["masked", "unmasked"])
    p.add_argument("--steps", type=int, default=150); p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--warmup", type=int, default=70); p.add_argument("--threads", type=int, default=2)
    p.add_argument("--width", type=int, default=256); p.add_argument("--layers", type=int, default=6)
    p.add_argument("--conv", type=int, default=128); p.add_argument("--label-init", choices=["uniform", "normal"], default="uniform")
    p.add_argument("--head", choices=["cosine", "linear"], default="cosine")
    p.add_argument("--freeze", action="store_true", help="keep the encoder's random weights; train the head only")
    a = p.parse_args()
    torch.manual_seed(0); rng = np.random.default_rng(0); torch.set_num_threads(a.threads)
    lines = open(os.path.join(a.corpus, "data", "train.tsv")).read().split("\n")
    root, rows = lines[0], [l.split("\t") for l in lines[1:] if l]
    km = [f for f in os.listdir(a.labels) if f.endswith(".km")][0]
    labels = [np.array(l.split(), dtype=np.int64) for l in open(os.path.join(a.labels, km))]
    classes = int(max(l.max() for l in labels if len(l)) + 1)
    audio = {}

    def crop():
        while True:
            i = int(rng.integers(len(rows)))
            if int(rows[i][1]) >= CROP + 2 * HOP:
                break
        if i not in audio:
            w, _ = sf.read(os.path.join(root, rows[i][0]), dtype="float32")
            audio[i] = w if w.ndim == 1 else w.mean(1)
        w = audio[i]
        starts = max(1, min(len(labels[i]), (len(w) - 400) // HOP) - CROP // HOP)
        f = int(rng.integers(0, starts))
        return w[f * HOP:f * HOP + CROP], labels[i][f:f + CROP // HOP]

    small = a.width >= 256
    cfg = HubertConfig(hidden_size=a.width, num_hidden_layers=a.layers, num_attention_heads=4,
                       intermediate_size=4 * a.width, conv_dim=[a.conv] * 7,
                       num_conv_pos_embeddings=128 if small else 16, num_conv_pos_embedding_groups=16 if small else 4,
                       hidden_dropout=0, attention_dropout=0, activation_dropout=0, feat_proj_dropout=0,
                       layerdrop=0, mask_time_prob=0, feat_proj_layer_norm=True)
    model = HubertModel(cfg)
    proj = torch.nn.Linear(a.width, 64)
    embs = torch.nn.Parameter(torch.randn(classes, 64) if a.label_init == "normal" else torch.rand(classes, 64))
    classifier = torch.nn.Linear(a.width, classes)
    head = [classifier.weight, classifier.bias] if a.head == "linear" else list(proj.parameters()) + [embs]
    params = ([] if a.freeze else list(model.parameters())) + head
    opt = torch.optim.AdamW(params, lr=a.lr, betas=(0.9, 0.98), eps=1e-6, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / a.warmup, max(0.0, (a.steps - s) / (a.steps - a.warmup))))
    t0, hist = time.time(), []
    for step in range(1, a.steps + 1):
        b = [crop() for _ in range(BATCH)]
        x = torch.tensor(np.stack([c[0] for c in b]))
        feats = GradMultiply.apply(model.feature_extractor(x), 0.1)
        h = model.feature_projection(feats.transpose(1, 2)).clone()
        frames = h.shape[1]
        y = torch.tensor(np.stack([c[1][:frames] for c in b]))
        if a.mode == "masked":
            scored = torch.tensor(span_masks(rng, BATCH, frames))
            h[scored] = model.masked_spec_embed.to(h.dtype)
        else:
            scored = torch.ones(BATCH, frames, dtype=torch.bool)
        h = model.encoder(h).last_hidden_state
        if a.head == "linear":
            logits = classifier(h[scored])
            loss = F.cross_entropy(logits, y[scored])
            correct = logits.argmax(-1) == y[scored]
        else:
            logits = contrastive_logits(proj(h[scored]), y[scored], embs)
            loss = F.cross_entropy(logits, torch.zeros(logits.size(0), dtype=torch.long))
            correct = logits.argmax(-1) == 0
        opt.zero_grad(); loss.backward(); torch.nn.utils.clip_grad_norm_(params, 10.0); opt.step(); sched.step()
        hist.append((loss.item(), correct.float().mean().item()))
        if step % 10 == 0:
            m = np.mean(hist[-10:], 0)
            print(f"{a.mode} update {step} cross-entropy {m[0]:.3f} accuracy {m[1]:.3f} ({time.time() - t0:.0f} s)", flush=True)
    freq = np.bincount(np.concatenate(labels), minlength=classes) / sum(len(l) for l in labels)
    freq = freq[freq > 0]
    print(f"label-frequency baseline (entropy of the labels) {-(freq * np.log(freq)).sum():.3f}")


if __name__ == "__main__":
    main()
