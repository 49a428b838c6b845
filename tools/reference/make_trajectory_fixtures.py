#!/usr/bin/env python3
"""Reference pretraining trajectory for mert4j's trainer (TrajectoryParityTest).

Run from the repository root with a Python that has numpy, torch, transformers and safetensors:

    python3 tools/reference/make_trajectory_fixtures.py

Trains transformers' HubertModel with MERT's heads and loss (the objective of
make_objective_fixtures.py, imported from it) for UPDATES updates, the whole update as the MERT
repository's fairseq trainer does it: the loss divided by the number of masked frames, gradients
clipped at a global norm (fairseq's clip_grad_norm_: coefficient min(1, max_norm / (norm + 1e-6))),
AdamW with betas (0.9, 0.98), eps 1e-6 and weight decay 0.01 on every parameter (fairseq's trainer
hands all parameters of model and criterion to the optimizer as one group), the learning rate warmed
up linearly and decayed linearly to 0 (polynomial decay, power 1), feature_grad_mult 0.1. Dropout and
layer drop are off so that the trajectory is deterministic.

Every update has its own batch of two short clips: the clean clips (8-bit, so that they are exact in
float32 and small), the in-batch noise segments, the span masks, two label streams and the CQT target
of the clean clips, all drawn once here.

Writes mert4j-core/src/test/resources/pretrain/trajectory/:

  config.json           the encoder (HF layout, MERT keys)
  initial.safetensors   encoder (HF names) and heads (final_proj.*, label_embs_concat, cqt_proj.*)
  final.safetensors     the same after the last update
  batches.safetensors   clean [U, B, N] int8 (sample = value / 128), cqt [U, B, T, bins],
                        mask [U, B, T] int8, labels [U, K, B, T] int8,
                        noise [S, 5] int32 rows (update, clip, from, length, at): a segment of the
                        batch's other clips laid end to end, added to the clip at sample `at`
  trajectory.json       settings; per update the loss parts, the gradient norm before clipping and
                        the learning rate; and how far the reference moves from itself and from
                        fairseq's variants (see "drift")
"""
import json
import os
import sys

import numpy as np
import torch
from safetensors.torch import save_file
from transformers import HubertConfig, HubertModel

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_objective_fixtures as objective_ref  # noqa: E402  (the objective, masks, noise)
from make_dsp_fixtures import cqt_reference  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
OUT = os.path.join(ROOT, "mert4j-core", "src", "test", "resources", "pretrain", "trajectory")

SR = 24000
UPDATES = 100
BATCH = 2
FRAMES = 8
SAMPLES = 320 * (FRAMES - 1) + 400  # the conv front's receptive field for FRAMES frames
CQT_BINS = 14  # 2 per octave over MERT's 7 octaves: a small target keeps the fixture small
NOISE_SAMPLES = (600, 1200)
NOISE_COUNT = (1, 3)
OPTIM = dict(lr=2e-3, beta1=0.9, beta2=0.98, eps=1e-6, weight_decay=0.01, warmup_steps=20, total_steps=120,
             clip_norm=None)  # clip_norm: set in main from the first updates' gradient norms
CLASSES = objective_ref.CLASSES
FINAL_DIM = objective_ref.FINAL_DIM


def lr_at(step, warmup, total, peak):
    """mert4j's LrSchedule.at: update `step` (1-based) trains at the rate fairseq's polynomial decay gives
    for num_updates = step."""
    if warmup > 0 and step <= warmup:
        return peak * step / warmup
    if step >= total:
        return 0.0
    return peak * (total - step) / max(1, total - warmup)


def clip_grad_norm(params, max_norm):
    """fairseq.utils.clip_grad_norm_: the global L2 norm of the per-tensor norms; gradients times
    min(1, max_norm / (norm + 1e-6))."""
    grads = [p.grad for p in params if p.grad is not None]
    norm = torch.norm(torch.stack([torch.norm(g, p=2, dtype=torch.float32) for g in grads]))
    if max_norm is not None and max_norm > 0:
        coef = (max_norm / (norm + 1e-6)).clamp_(max=1)
        for g in grads:
            g.mul_(coef)
    return float(norm)


class FairseqAdam:
    """fairseq.optim.adam.Adam (used when apex is absent): eps added to the square root of the raw
    second moment, the bias corrections folded into the step size, decay p -= wd * lr * p."""

    def __init__(self, params, betas, eps, weight_decay):
        self.params = params
        self.betas, self.eps, self.wd = betas, eps, weight_decay
        self.m = [torch.zeros_like(p) for p in params]
        self.v = [torch.zeros_like(p) for p in params]
        self.t = 0
        self.lr = 0.0

    @torch.no_grad()
    def step(self):
        self.t += 1
        b1, b2 = self.betas
        step_size = self.lr * (1 - b2 ** self.t) ** 0.5 / (1 - b1 ** self.t)
        for p, m, v in zip(self.params, self.m, self.v):
            m.mul_(b1).add_(p.grad, alpha=1 - b1)
            v.mul_(b2).addcmul_(p.grad, p.grad, value=1 - b2)
            denom = v.sqrt().add_(self.eps)
            p.add_(p, alpha=-self.wd * self.lr)
            p.addcdiv_(m, denom, value=-step_size)


def initial_state():
    torch.manual_seed(5)
    cfg = HubertConfig(**objective_ref.ENCODER)
    model = HubertModel(cfg)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("bias") or "layer_norm" in name:
                p.add_(0.1 * torch.randn_like(p))
        model.masked_spec_embed.uniform_()
    hidden = cfg.hidden_size
    heads = {"final_proj.weight": torch.randn(FINAL_DIM * len(CLASSES), hidden) * hidden ** -0.5,
             "final_proj.bias": torch.randn(FINAL_DIM * len(CLASSES)) * 0.1,
             "label_embs_concat": torch.rand(sum(CLASSES), FINAL_DIM),
             "cqt_proj.weight": torch.randn(CQT_BINS, hidden) * hidden ** -0.5,
             "cqt_proj.bias": torch.randn(CQT_BINS) * 0.1}
    encoder = {k: v.detach().clone().contiguous() for k, v in model.state_dict().items()}
    return cfg, encoder, {k: v.contiguous() for k, v in heads.items()}


def make_batches():
    """Per update: two tones (a pitch from a 12-step scale, amplitude modulation, a little noise) in 8-bit
    steps; in-batch noise; span masks; label stream 0 the pitch step of the clip, stream 1 random."""
    rng = np.random.default_rng(23)
    t = np.arange(SAMPLES) / SR
    clean = np.zeros((UPDATES, BATCH, SAMPLES), dtype=np.int8)
    cqt = np.zeros((UPDATES, BATCH, FRAMES, CQT_BINS), dtype=np.float32)
    masks = np.zeros((UPDATES, BATCH, FRAMES), dtype=np.int8)
    labels = np.zeros((UPDATES, len(CLASSES), BATCH, FRAMES), dtype=np.int8)
    noise = []
    for u in range(UPDATES):
        for i in range(BATCH):
            step = rng.integers(0, 12)
            f0 = 110.0 * 2 ** (step / 12) * 2 ** rng.integers(0, 3)
            wave = (0.4 * np.sin(2 * np.pi * f0 * t + rng.uniform(0, 2 * np.pi))
                    * (1 + 0.3 * np.sin(2 * np.pi * rng.uniform(2, 8) * t)) + 0.05 * rng.standard_normal(SAMPLES))
            clean[u, i] = np.clip(np.round(wave * 128), -128, 127).astype(np.int8)
            labels[u, 0, i] = step
        labels[u, 1] = rng.integers(0, CLASSES[1], size=(BATCH, FRAMES))
        audio = clean[u].astype(np.float32) / 128
        for i in range(BATCH):
            cqt[u, i] = cqt_reference(audio[i].astype(np.float64), n_bins=CQT_BINS,
                                      bins_per_octave=CQT_BINS // 7).T[:FRAMES]
        _, added = objective_ref.noise_mixture(rng, audio, NOISE_SAMPLES, NOISE_COUNT)
        noise.extend([u] + seg for seg in added)
        masks[u] = objective_ref.span_masks(rng, BATCH, FRAMES)
    return clean, cqt, masks, labels, np.array(noise, dtype=np.int32).reshape(-1, 5)


def noisy_batch(clean, noise, u):
    """The model input of update u: sums of multiples of 1/128, exact in float32 in any order."""
    x = clean[u].astype(np.float32) / 128
    pool = [np.concatenate([x[j] for j in range(BATCH) if j != i]) for i in range(BATCH)]
    out = x.copy()
    for _, i, start, dur, at in noise[noise[:, 0] == u]:
        out[i, at:at + dur] += pool[i][start:start + dur]
    return out


def train(cfg, encoder, heads, data, threads, optimizer="adamw", lr_lag=0):
    """UPDATES updates from the given state; returns the per-update parts and the final state.
    optimizer "fairseq" swaps in fairseq's own Adam; lr_lag 1 trains update k at the rate of k - 1,
    as fairseq's trainer does (it sets the rate for num_updates after each update, 0 before the first)."""
    torch.set_num_threads(threads)
    clean, cqt, masks, labels, noise = data
    model = HubertModel(cfg).train()
    model.load_state_dict(encoder)
    head_params = {k: torch.nn.Parameter(v.clone()) for k, v in heads.items()}
    named = dict(model.named_parameters())
    named.update(head_params)
    params = list(named.values())  # one group: weight decay on every parameter, as fairseq's trainer
    o = OPTIM
    if optimizer == "adamw":
        opt = torch.optim.AdamW(params, lr=o["lr"], betas=(o["beta1"], o["beta2"]), eps=o["eps"],
                                weight_decay=o["weight_decay"], foreach=False)
    else:
        opt = FairseqAdam(params, (o["beta1"], o["beta2"]), o["eps"], o["weight_decay"])
    steps = []
    for u in range(UPDATES):
        lr = lr_at(u + 1 - lr_lag, o["warmup_steps"], o["total_steps"], o["lr"])
        if optimizer == "adamw":
            opt.param_groups[0]["lr"] = lr
        else:
            opt.lr = lr
        for p in params:
            p.grad = None
        total, parts = objective_ref.objective(
            model, head_params, torch.from_numpy(noisy_batch(clean, noise, u)), torch.from_numpy(cqt[u]),
            torch.from_numpy(masks[u].astype(bool)), [torch.from_numpy(labels[u, k].astype(np.int64))
                                                      for k in range(len(CLASSES))], 1.0, 0.0)
        total.backward()
        norm = clip_grad_norm(params, o["clip_norm"])
        opt.step()
        steps.append(dict(step=u + 1, acoustic=sum(parts["ce_masked"]) / parts["sample_size"],
                          cqt=objective_ref.CQT_WEIGHT * parts["cqt_mse"],
                          penalty=objective_ref.PENALTY_WEIGHT * parts["penalty"], total=parts["total"],
                          grad_norm=norm, lr=lr, masked_frames=parts["masked_frames"]))
    final = {k: v.detach().clone().contiguous() for k, v in model.state_dict().items()}
    final.update({k: v.detach().clone().contiguous() for k, v in head_params.items()})
    return steps, final


def compare(a_steps, a_final, b_steps, b_final):
    """Largest relative difference of each loss part over the updates, and of the weights: the largest
    absolute difference, and the largest per tensor divided by that tensor's largest magnitude."""
    out = {}
    for part in ["acoustic", "cqt", "penalty", "total", "grad_norm"]:
        out[part] = max(abs(x[part] - y[part]) / max(abs(x[part]), 1e-30) for x, y in zip(a_steps, b_steps))
    out["weights_max_abs"] = max(float((a_final[k] - b_final[k]).abs().max()) for k in a_final)
    out["weights_max_of_tensor_scale"] = max(float((a_final[k] - b_final[k]).abs().max() / a_final[k].abs().max())
                                             for k in a_final)
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    cfg, encoder, heads = initial_state()
    data = make_batches()
    clean, cqt, masks, labels, noise = data

    # clip at about the median gradient norm of a trial run, so that some updates are clipped and some not
    OPTIM["clip_norm"] = 0.0
    trial, _ = train(cfg, encoder, heads, data, 1)
    OPTIM["clip_norm"] = float(np.round(np.median([s["grad_norm"] for s in trial]), 2))

    steps, final = train(cfg, encoder, heads, data, 1)
    clipped = sum(s["grad_norm"] > OPTIM["clip_norm"] for s in steps)
    drift = {}
    steps2, final2 = train(cfg, encoder, heads, data, 2)
    drift["threads_1_vs_2"] = compare(steps, final, steps2, final2)
    steps_f, final_f = train(cfg, encoder, heads, data, 1, optimizer="fairseq")
    drift["fairseq_adam_eps_placement"] = compare(steps, final, steps_f, final_f)
    steps_l, final_l = train(cfg, encoder, heads, data, 1, lr_lag=1)
    drift["fairseq_lr_one_update_later"] = compare(steps, final, steps_l, final_l)
    for k, v in drift.items():
        print(k, json.dumps(v))

    with open(os.path.join(OUT, "config.json"), "w") as f:
        json.dump(objective_ref.config_json(cfg), f, indent=2)
    initial = dict(encoder)
    initial.update(heads)
    save_file(initial, os.path.join(OUT, "initial.safetensors"))
    save_file(final, os.path.join(OUT, "final.safetensors"))
    save_file({"clean": torch.from_numpy(clean), "cqt": torch.from_numpy(cqt), "mask": torch.from_numpy(masks),
               "labels": torch.from_numpy(labels), "noise": torch.from_numpy(noise)},
              os.path.join(OUT, "batches.safetensors"))
    settings = dict(updates=UPDATES, batch=BATCH, samples=SAMPLES, frames=FRAMES, sample_scale=1 / 128,
                    classes=CLASSES, final_dim=FINAL_DIM, cqt_bins=CQT_BINS, logit_temp=objective_ref.LOGIT_TEMP,
                    feature_grad_mult=objective_ref.FEATURE_GRAD_MULT,
                    feature_penalty=objective_ref.PENALTY_WEIGHT, cqt_weight=objective_ref.CQT_WEIGHT,
                    optim=OPTIM, clipped_updates=int(clipped))
    with open(os.path.join(OUT, "trajectory.json"), "w") as f:
        json.dump(dict(settings=settings, drift=drift, steps=steps), f, indent=1)
    print("clip_norm", OPTIM["clip_norm"], "clipped", clipped, "of", UPDATES)
    print("first", json.dumps(steps[0]))
    print("last", json.dumps(steps[-1]))
    print("wrote", OUT)


if __name__ == "__main__":
    main()
