#!/usr/bin/env python3
"""Reference MERT pretraining objective for mert4j's objective tests.

Run from the repository root with a Python that has numpy, torch, transformers and safetensors:

    python3 tools/reference/make_objective_fixtures.py

The loss is computed the way the MERT repository's fairseq model and the HuBERT criterion it is
trained with compute it (MERT-v1 95M recipe): conv front with its gradient scaled by
feature_grad_mult, the feature penalty (mean square of the scaled conv features), LayerNorm and
projection, masked frames replaced by the mask embedding, the transformer; per codebook,
final_proj's chunk compared by cosine similarity / logit_temp with every label embedding, where the
true label is the positive and every other label a negative; cross-entropy summed over masked frames
(and over unmasked frames when pred_nomask_weight > 0), divided by the number of scored frames; the
CQT head (Linear on the last hidden state) with mean squared error to the CQT of the clean clip on
masked frames; total = sum_k CE_k / n + 10 * penalty + 1 * cqt_mse. Gradients are those of that
total. The encoder is transformers' HubertModel (MERT's encoder), dropout and layer drop off.

Writes mert4j-core/src/test/resources/pretrain/objective/:

  config.json, preprocessor_config.json, model.safetensors   the random-weight encoder (HF layout)
  case.safetensors    clean [B, N] and noisy [B, N] audio, cqt target [B, T, 336], masks [B, T]
                      (int8), labels_k [B, T] (int64), the heads' weights (final_proj.*,
                      label_embs_concat, cqt_proj.*) and grad.<name> for a few parameters per case
  case.json           settings and the loss parts of each case ("masked": the MERT-v1 weights;
                      "with_unmasked": pred_nomask_weight 0.5 as well; "cqt_all_frames": the CQT scored on
                      every frame, mert4j's cqt_frames: all, an extension of MERT's objective)
  masks.json          statistics of the span masks that fairseq's compute_mask_indices gives for
                      MERT's settings (mask_prob 0.8, length 5, min_masks 2, same count per batch)
"""
import json
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F
from safetensors.torch import save_file
from transformers import HubertConfig, HubertModel

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_dsp_fixtures import cqt_reference  # noqa: E402  (nnAudio CQT1992v2 written out)

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
OUT = os.path.join(ROOT, "mert4j-core", "src", "test", "resources", "pretrain", "objective")

SR = 24000
ENCODER = dict(hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=64,
               conv_dim=[16] * 7, conv_kernel=[10, 3, 3, 3, 3, 2, 2], conv_stride=[5, 2, 2, 2, 2, 2, 2],
               num_conv_pos_embeddings=16, num_conv_pos_embedding_groups=4, feat_proj_layer_norm=True,
               conv_bias=False, layer_norm_eps=1e-5, hidden_act="gelu", feat_extract_activation="gelu",
               feat_extract_norm="group", do_stable_layer_norm=False, mask_time_prob=0.8, mask_time_length=5,
               hidden_dropout=0.0, attention_dropout=0.0, activation_dropout=0.0, feat_proj_dropout=0.0,
               final_dropout=0.0, layerdrop=0.0)
MERT_KEYS = dict(model_type="mert_model", architectures=["MERTModel"], sample_rate=SR, attention_relax=-1.0,
                 deepnorm=False, feature_extractor_cqt=False, feature_extractor_cqt_bins=336)
FINAL_DIM = 8
CLASSES = [12, 20]
CQT_BINS = 336
LOGIT_TEMP = 0.1
FEATURE_GRAD_MULT = 0.1
PENALTY_WEIGHT = 10.0
CQT_WEIGHT = 1.0
GRADS = ["feature_extractor.conv_layers.0.conv.weight", "feature_extractor.conv_layers.0.layer_norm.weight",
         "feature_extractor.conv_layers.4.conv.weight", "feature_projection.projection.weight",
         "encoder.layers.0.attention.q_proj.weight", "encoder.layers.1.attention.out_proj.bias",
         "masked_spec_embed", "final_proj.weight", "label_embs_concat", "cqt_proj.weight", "cqt_proj.bias"]


# ---- span masks: the semantics of fairseq's compute_mask_indices (static spans, overlaps allowed) ----

def span_masks(rng, batch, frames, prob=0.8, length=5, min_masks=2):
    """Per row: max(min_masks, int(prob * T / length + U[0,1))) span starts drawn without replacement
    from the first T - length frames, each masking `length` frames; then every row keeps a random subset
    of its masked frames as large as the smallest row's (require_same_masks)."""
    rows = []
    for _ in range(batch):
        num = max(min_masks, int(prob * frames / float(length) + rng.random()))
        span = length
        if frames - span <= num:
            span = frames - num - 1
        starts = rng.choice(frames - span, num, replace=False)
        idx = (starts[:, None] + np.arange(length)[None, :]).reshape(-1)
        rows.append(np.unique(idx[idx < frames]))
    keep = min(len(r) for r in rows)
    mask = np.zeros((batch, frames), dtype=bool)
    for i, r in enumerate(rows):
        if len(r) > keep:
            r = rng.choice(r, keep, replace=False)
        mask[i, r] = True
    return mask


def run_lengths(row):
    runs, n = [], 0
    for v in row:
        if v:
            n += 1
        elif n:
            runs.append(n)
            n = 0
    if n:
        runs.append(n)
    return runs


def mask_statistics():
    rng = np.random.default_rng(7)
    out = []
    for batch, frames, draws in [(1, 374, 20000), (4, 374, 5000), (8, 149, 4000), (2, 12, 50000), (1, 8, 100000)]:
        fractions, counts, runs = [], [], np.zeros(31)
        last_masked = 0
        for _ in range(draws):
            m = span_masks(rng, batch, frames)
            for row in m:
                fractions.append(row.mean())
                counts.append(int(row.sum()))
                for r in run_lengths(row):
                    runs[min(r, 30)] += 1
                last_masked += bool(row[-1])
        counts = np.array(counts)
        out.append(dict(batch=batch, frames=frames, rows=len(counts), mean_fraction=float(np.mean(fractions)),
                        std_fraction=float(np.std(fractions)), min_count=int(counts.min()),
                        max_count=int(counts.max()),
                        run_length_share=(runs / runs.sum()).tolist(),
                        last_frame_masked=last_masked / len(counts)))
    return out


# ---- the objective ----

class GradMultiply(torch.autograd.Function):
    """Identity forward, gradient times `scale` backward (fairseq's GradMultiply)."""

    @staticmethod
    def forward(ctx, x, scale):
        ctx.scale = scale
        return x.new(x)

    @staticmethod
    def backward(ctx, grad):
        return grad * ctx.scale, None


def contrastive_logits(proj, target, label_embs):
    """Cosine similarity of each frame's projection to the positive label embedding and to every
    label embedding as a negative, / logit_temp; the negative equal to the positive is set to -inf.
    Column 0 is the positive: the cross-entropy target is 0."""
    pos = label_embs.index_select(0, target)  # [S, D]
    negs = label_embs.unsqueeze(1).expand(-1, proj.size(0), -1)  # [C, S, D]
    neg_is_pos = (pos == negs).all(-1)  # [C, S]
    targets = torch.cat([pos.unsqueeze(0), negs], dim=0)  # [1 + C, S, D]
    logits = torch.cosine_similarity(proj.float(), targets.float(), dim=-1) / LOGIT_TEMP
    logits[1:][neg_is_pos] = float("-inf")
    return logits.transpose(0, 1)  # [S, 1 + C]


def objective(model, heads, noisy, cqt_target, mask, labels, masked_weight, unmasked_weight, cqt_frames="masked"):
    features = model.feature_extractor(noisy)  # [B, C, T]
    features = GradMultiply.apply(features, FEATURE_GRAD_MULT)
    penalty = features.float().pow(2).mean()
    x = model.feature_projection(features.transpose(1, 2))  # LayerNorm, projection
    x = x.clone()
    x[mask] = model.masked_spec_embed
    x = model.encoder(x).last_hidden_state
    label_embs = heads["label_embs_concat"].split(CLASSES, 0)

    def cross_entropies(frames):
        proj = F.linear(x[frames], heads["final_proj.weight"], heads["final_proj.bias"]).chunk(len(CLASSES), -1)
        out = []
        for k in range(len(CLASSES)):
            logits = contrastive_logits(proj[k], labels[k][frames], label_embs[k])
            out.append(F.cross_entropy(logits.float(), logits.new_zeros(logits.size(0), dtype=torch.long),
                                       reduction="sum"))
        return out

    loss = 0.0
    sample_size = 0
    ce_masked = cross_entropies(mask)
    if masked_weight > 0:
        loss = loss + masked_weight * sum(ce_masked)
        sample_size += int(mask.sum())
    ce_unmasked = cross_entropies(~mask)
    if unmasked_weight > 0:
        loss = loss + unmasked_weight * sum(ce_unmasked)
        sample_size += int((~mask).sum())
    # MERT scores the CQT on masked frames; mert4j's cqt_frames: all scores every frame
    scored = mask if cqt_frames == "masked" else torch.ones_like(mask)
    cqt_pred = F.linear(x[scored], heads["cqt_proj.weight"], heads["cqt_proj.bias"])
    cqt_mse = F.mse_loss(cqt_pred, cqt_target[scored])
    # the criterion scales extra losses by the sample size; the trainer divides gradients by it
    loss = loss + PENALTY_WEIGHT * penalty * sample_size + CQT_WEIGHT * cqt_mse * sample_size
    total = loss / sample_size
    parts = dict(sample_size=sample_size, masked_frames=int(mask.sum()), unmasked_frames=int((~mask).sum()),
                 ce_masked=[float(c) for c in ce_masked], ce_unmasked=[float(c) for c in ce_unmasked],
                 penalty=float(penalty), cqt_mse=float(cqt_mse), total=float(total))
    return total, parts


def noise_mixture(rng, clean, len_range, count_range):
    """In-batch noise: each clip chosen with probability 1/2 gets 1..3 segments of the other clips,
    concatenated, added at random positions. Returns the noisy batch and what was added."""
    noisy = clean.copy()
    added = []
    for i in range(clean.shape[0]):
        if rng.random() <= 0.5:
            continue
        pool = np.concatenate([clean[j] for j in range(clean.shape[0]) if j != i])
        n = rng.integers(count_range[0], count_range[1] + 1)
        for _ in range(n):
            start = rng.integers(0, pool.shape[0] - len_range[1] + 1)
            dur = rng.integers(len_range[0], len_range[1] + 1)
            at = rng.integers(0, clean.shape[1] - dur + 1)
            noisy[i, at:at + dur] += pool[start:start + dur]
            added.append([i, int(start), int(dur), int(at)])
    return noisy, added


def config_json(cfg):
    d = cfg.to_dict()
    d.update(MERT_KEYS)
    for k in ["transformers_version", "_name_or_path", "dtype", "torch_dtype", "output_attentions",
              "output_hidden_states", "return_dict", "id2label", "label2id", "chunk_size_feed_forward",
              "is_encoder_decoder", "problem_type", "tie_word_embeddings", "use_return_dict"]:
        d.pop(k, None)
    return d


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(5)
    cfg = HubertConfig(**ENCODER)
    model = HubertModel(cfg).train()
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("bias") or "layer_norm" in name:
                p.add_(0.1 * torch.randn_like(p))
        model.masked_spec_embed.uniform_()
    state = {k: v.contiguous() for k, v in model.state_dict().items()}
    save_file(state, os.path.join(OUT, "model.safetensors"), metadata={"format": "pt"})
    with open(os.path.join(OUT, "config.json"), "w") as f:
        json.dump(config_json(cfg), f, indent=2)
    with open(os.path.join(OUT, "preprocessor_config.json"), "w") as f:
        json.dump(dict(feature_extractor_type="Wav2Vec2FeatureExtractor", feature_size=1, padding_side="right",
                       padding_value=0.0, return_attention_mask=True, do_normalize=False, sampling_rate=SR), f,
                  indent=2)

    hidden = cfg.hidden_size
    heads = {"final_proj.weight": torch.randn(FINAL_DIM * len(CLASSES), hidden) * hidden ** -0.5,
             "final_proj.bias": torch.randn(FINAL_DIM * len(CLASSES)) * 0.1,
             "label_embs_concat": torch.rand(sum(CLASSES), FINAL_DIM),
             "cqt_proj.weight": torch.randn(CQT_BINS, hidden) * hidden ** -0.5,
             "cqt_proj.bias": torch.randn(CQT_BINS) * 0.1}

    rng = np.random.default_rng(11)
    batch, samples = 3, 14400
    frames = (samples - 400) // 320 + 1
    t = np.arange(samples) / SR
    clean = np.stack([0.3 * np.sin(2 * np.pi * f0 * t) * (1 + 0.5 * np.sin(2 * np.pi * 3 * t))
                      + 0.05 * rng.standard_normal(samples) for f0 in (220.0, 330.0, 523.25)]).astype(np.float32)
    for seed in range(100):  # the first draw that has a segment running from one clip into the next
        noisy, added = noise_mixture(np.random.default_rng(seed), clean, (2400, 4800), (1, 3))
        if any(start < samples < start + dur for _, start, dur, _ in added):
            break
    noisy = noisy.astype(np.float32)
    cqt = np.stack([cqt_reference(c.astype(np.float64)).T[:frames] for c in clean]).astype(np.float32)
    mask = span_masks(rng, batch, frames)
    labels = [rng.integers(0, c, size=(batch, frames)) for c in CLASSES]

    cqt = np.ascontiguousarray(cqt)
    tensors = {"clean": torch.from_numpy(clean), "noisy": torch.from_numpy(noisy), "cqt": torch.from_numpy(cqt),
               "mask": torch.from_numpy(mask.astype(np.int8))}
    for k, lab in enumerate(labels):
        tensors[f"labels_{k}"] = torch.from_numpy(lab.astype(np.int64))
    tensors.update({k: v.contiguous() for k, v in heads.items()})

    cases = {}
    for case, (wm, wu, frames) in {"masked": (1.0, 0.0, "masked"), "with_unmasked": (1.0, 0.5, "masked"),
                                   "cqt_all_frames": (1.0, 0.0, "all")}.items():
        model.zero_grad(set_to_none=True)
        params = {k: v.clone().requires_grad_(True) for k, v in heads.items()}
        total, parts = objective(model, params, torch.from_numpy(noisy.copy()), torch.from_numpy(cqt),
                                 torch.from_numpy(mask), [torch.from_numpy(lab) for lab in labels], wm, wu, frames)
        total.backward()
        named = dict(model.named_parameters())
        named.update(params)
        for g in GRADS:
            tensors[f"{case}.grad.{g}"] = named[g].grad.detach().clone().contiguous()
        parts.update(masked_weight=wm, unmasked_weight=wu, cqt_frames=frames)
        cases[case] = parts
        print(case, json.dumps(parts))

    save_file(tensors, os.path.join(OUT, "case.safetensors"))
    settings = dict(final_dim=FINAL_DIM, classes=CLASSES, cqt_bins=CQT_BINS, logit_temp=LOGIT_TEMP,
                    feature_grad_mult=FEATURE_GRAD_MULT, feature_penalty=PENALTY_WEIGHT, cqt_weight=CQT_WEIGHT,
                    gradients=GRADS, noise_segments=added, noise_samples=[2400, 4800], noise_count=[1, 3])
    with open(os.path.join(OUT, "case.json"), "w") as f:
        json.dump(dict(settings=settings, cases=cases), f, indent=1)
    stats = mask_statistics()
    with open(os.path.join(OUT, "masks.json"), "w") as f:
        json.dump(dict(mask_prob=0.8, mask_length=5, min_masks=2, same_count_per_batch=True, cases=stats), f,
                  indent=1)
    print("wrote", OUT)


if __name__ == "__main__":
    main()
