#!/usr/bin/env python3
"""Times one MERT pretraining update with the Hugging Face reference, for side-by-side figures.

    python3 tools/reference/time_hf_train.py --model DIR [--batch 1] [--seconds 5] [--final-dim 64] \
        [--codebooks 8] [--classes 1024] [--threads 2] [--device cpu|cuda] [--autocast bf16|fp16] \
        [--warmup 1] [--repeat 3]

DIR is a model folder written by `mert bench --suite train --save-model OUT` (OUT/train): the encoder
config of the pretraining preset (dropouts, layerdrop) and its weights. The update is the one
`mert pretrain` runs: transformers' HubertModel (what MERTModel extends) with masked frames replaced
by masked_spec_embed, final_proj + cosine similarity to label embeddings / 0.1 and cross-entropy per
codebook on the masked frames, a linear CQT head with squared error, the conv-feature L2 penalty
(weight 10; the conv front's gradient, the penalty's too, scaled by 0.1), AdamW and gradient clipping at 10. Batches are random
(the step time does not depend on their values) and built before timing. A folder holding only
config.json trains from random weights. --device cuda with --autocast bf16 times the GPU recipe (bf16
autocast, fp32 master weights, fused AdamW). Prints one JSON line.
"""
import argparse
import json
import os
import resource
import statistics
import time

import numpy as np
import torch
import torch.nn.functional as F
from safetensors.torch import load_file
from transformers import HubertConfig, HubertModel
from transformers.models.hubert.modeling_hubert import _compute_mask_indices

HUBERT_KEYS = ["hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size", "hidden_act",
               "conv_dim", "conv_kernel", "conv_stride", "conv_bias", "feat_extract_norm", "feat_extract_activation",
               "feat_proj_layer_norm", "num_conv_pos_embeddings", "num_conv_pos_embedding_groups",
               "do_stable_layer_norm", "layer_norm_eps", "hidden_dropout", "attention_dropout",
               "activation_dropout", "feat_proj_dropout", "layerdrop", "mask_time_prob", "mask_time_length"]


def load(model_dir):
    with open(f"{model_dir}/config.json") as f:
        conf = json.load(f)
    cfg = HubertConfig(**{k: conf[k] for k in HUBERT_KEYS if k in conf})
    model = HubertModel(cfg)
    if not os.path.exists(f"{model_dir}/model.safetensors"):
        return model, conf.get("sample_rate", 24000)
    state = {k.replace("weight_g", "parametrizations.weight.original0").replace("weight_v", "parametrizations.weight.original1"): v
             for k, v in load_file(f"{model_dir}/model.safetensors").items()}
    model.load_state_dict(state, strict=False)
    return model, conf.get("sample_rate", 24000)


class Heads(torch.nn.Module):
    def __init__(self, hidden, final_dim, codebooks, classes, cqt_bins):
        super().__init__()
        self.final_proj = torch.nn.Linear(hidden, final_dim * codebooks)
        self.label_embs_concat = torch.nn.Parameter(torch.rand(codebooks * classes, final_dim))
        self.cqt_proj = torch.nn.Linear(hidden, cqt_bins)
        self.codebooks, self.classes = codebooks, classes


def step(model, heads, opt, batch, autocast=None, grad_mult=0.1, penalty_weight=10.0, temp=0.1):
    wave, labels, cqt, mask = batch
    dtype = {"fp16": torch.float16, "bf16": torch.bfloat16}.get(autocast)
    with torch.autocast(wave.device.type, dtype=dtype, enabled=dtype is not None):
        loss = losses(model, heads, batch, grad_mult, penalty_weight, temp)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(list(model.parameters()) + list(heads.parameters()), 10.0)
    opt.step()
    opt.zero_grad(set_to_none=True)
    return loss.item()


def losses(model, heads, batch, grad_mult, penalty_weight, temp):
    wave, labels, cqt, mask = batch
    feats = model.feature_extractor(wave).transpose(1, 2)
    feats = feats * grad_mult + feats.detach() * (1 - grad_mult)
    penalty = feats.float().pow(2).mean()  # after the gradient scaling, as MERT's model computes it
    h = model.feature_projection(feats)
    h = model._mask_hidden_states(h, mask_time_indices=mask)
    last = model.encoder(h).last_hidden_state
    m = last[mask]  # [M, H]
    proj = heads.final_proj(m).chunk(heads.codebooks, dim=-1)
    embs = heads.label_embs_concat.split(heads.classes, dim=0)
    ce = 0
    for k in range(heads.codebooks):
        logits = F.normalize(proj[k], dim=-1) @ F.normalize(embs[k], dim=-1).t() / temp
        ce = ce + F.cross_entropy(logits.float(), labels[k][mask], reduction="sum")
    mse = (heads.cqt_proj(m).float() - cqt[mask]).pow(2).sum()
    count = m.shape[0]
    return ce / count + mse / count + penalty_weight * penalty


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--batch", type=int, default=1)
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--final-dim", type=int, default=64)
    ap.add_argument("--codebooks", type=int, default=8)
    ap.add_argument("--classes", type=int, default=1024)
    ap.add_argument("--cqt-bins", type=int, default=336)
    ap.add_argument("--lr", type=float, default=5e-4)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    ap.add_argument("--autocast", choices=["fp16", "bf16"])
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model, sr = load(a.model)
    model.train()
    cfg = model.config
    heads = Heads(cfg.hidden_size, a.final_dim, a.codebooks, a.classes, a.cqt_bins)
    model, heads = model.to(a.device), heads.to(a.device)
    opt = torch.optim.AdamW(list(model.parameters()) + list(heads.parameters()), lr=a.lr, betas=(0.9, 0.98),
                            eps=1e-6, weight_decay=0.01, fused=a.device == "cuda")
    n = int(round(a.seconds * sr))
    frames = int(model._get_feat_extract_output_lengths(torch.tensor(n)))
    rng = np.random.default_rng(1)
    batches = []
    for _ in range(2):
        mask = torch.from_numpy(_compute_mask_indices((a.batch, frames), 0.8, 5, min_masks=2))
        batch = (torch.from_numpy(rng.standard_normal((a.batch, n), dtype=np.float32) * 0.1),
                 torch.from_numpy(rng.integers(0, a.classes, (a.codebooks, a.batch, frames))),
                 torch.from_numpy(rng.random((a.batch, frames, a.cqt_bins), dtype=np.float32)), mask)
        batches.append(tuple(t.to(a.device) for t in batch))
    for i in range(a.warmup):
        step(model, heads, opt, batches[i % 2], a.autocast)
    times = []
    for i in range(a.repeat):
        t0 = time.perf_counter()
        step(model, heads, opt, batches[i % 2], a.autocast)  # loss.item() waits for the GPU
        times.append(time.perf_counter() - t0)
    med = statistics.median(times)
    audio = a.batch * n / sr
    memory = dict(peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1))
    if a.device == "cuda":
        memory["peak_gpu_mb"] = round(torch.cuda.max_memory_allocated() / 2**20, 1)
        memory["gpu"] = torch.cuda.get_device_name()
    print(json.dumps(dict(impl="transformers", torch=torch.__version__, threads=a.threads, batch=a.batch,
                          device=a.device, autocast=a.autocast, clip_s=a.seconds, step_s=round(med, 4),
                          step_s_all=[round(t, 4) for t in times], audio_hours_per_hour=round(audio / med, 2),
                          **memory)))


if __name__ == "__main__":
    main()
