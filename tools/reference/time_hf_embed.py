#!/usr/bin/env python3
"""Times the Hugging Face reference on the embedding workload `mert embed` runs, for side-by-side figures.

    python3 tools/reference/time_hf_embed.py --model DIR (--audio FILE | --clip SECONDS) [--threads 2]
        [--window 5|none] [--batch 1] [--device cpu|cuda] [--autocast fp16|bf16] [--repeat 3]

DIR is a mert4j/Hugging Face model folder (config.json + model.safetensors, e.g. written by
`MertModel.save`); the model is built as transformers' HubertModel (the class MERTModel extends) with
the folder's weights. The audio is decoded with soundfile, mixed to mono and must already be at the
model's sample rate (no resampler in this Python); --clip times a synthetic clip of tones and noise
instead. A folder holding only config.json gets random weights (the time does not depend on them).
--batch runs that many equal-length windows per call; --device cuda and --autocast time the reference on
a GPU. Prints one JSON line: load and per-call seconds (median of --repeat), audio seconds per second,
and peak RSS (peak GPU memory on cuda).
"""
import argparse
import json
import os
import resource
import statistics
import time

import numpy as np
import torch
from safetensors.torch import load_file
from transformers import HubertConfig, HubertModel

HUBERT_KEYS = ["hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size", "hidden_act",
               "conv_dim", "conv_kernel", "conv_stride", "conv_bias", "feat_extract_norm", "feat_extract_activation",
               "feat_proj_layer_norm", "num_conv_pos_embeddings", "num_conv_pos_embedding_groups",
               "do_stable_layer_norm", "layer_norm_eps", "mask_time_prob"]


def load(model_dir):
    with open(f"{model_dir}/config.json") as f:
        conf = json.load(f)
    cfg = HubertConfig(**{k: conf[k] for k in HUBERT_KEYS if k in conf})
    model = HubertModel(cfg).eval()
    if not os.path.exists(f"{model_dir}/model.safetensors"):
        return model, conf["sample_rate"]
    state = {k.replace("weight_g", "parametrizations.weight.original0").replace("weight_v", "parametrizations.weight.original1"): v
             for k, v in load_file(f"{model_dir}/model.safetensors").items()}
    missing, unexpected = model.load_state_dict(state, strict=False)
    assert not missing and not unexpected, (missing, unexpected)
    return model, conf["sample_rate"]


def embed(model, wave, sr, window, batch=1, device="cpu", autocast=None):
    """MARBLE protocol as mert embed runs it: windows, all hidden states time-meaned, averaged."""
    if window is None:
        chunks = [wave]
    else:
        size = int(window * sr)
        chunks = [wave[i:i + size] for i in range(0, len(wave), size)]
        if len(chunks) > 1 and len(chunks[-1]) < sr:
            chunks = chunks[:-1]
    groups = [[chunks[i]] for i in range(len(chunks))]
    if batch > 1:  # equal-length windows together, the short tail on its own
        full = [c for c in chunks if len(c) == len(chunks[0])]
        groups = [full[i:i + batch] for i in range(0, len(full), batch)] + [[c] for c in chunks[len(full):]]
    acc = None
    dtype = {"fp16": torch.float16, "bf16": torch.bfloat16}.get(autocast)
    with torch.inference_mode(), torch.autocast(device, dtype=dtype, enabled=dtype is not None):
        for g in groups:
            out = model(torch.from_numpy(np.stack(g)).to(device), output_hidden_states=True)
            m = torch.stack([h.float().mean(1) for h in out.hidden_states]).sum(1)
            acc = m if acc is None else acc + m
    result = (acc / len(chunks)).cpu().numpy()
    if device == "cuda":
        torch.cuda.synchronize()
    return result


def synthetic_clip(seconds, sr):
    """The same mix of tones and noise tools/bench-compare writes."""
    rng = np.random.default_rng(7)
    n = int(round(seconds * sr))
    f = 110 * 2 ** (rng.integers(0, 36, n // (sr // 2) + 1) / 12.0)
    x = 0.4 * np.sin(2 * np.pi * np.cumsum(np.repeat(f, sr // 2)[:n]) / sr) + 0.05 * rng.standard_normal(n)
    return x.astype(np.float32)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    source = ap.add_mutually_exclusive_group(required=True)
    source.add_argument("--audio")
    source.add_argument("--clip", type=float)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--window", default="5")
    ap.add_argument("--batch", type=int, default=1)
    ap.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    ap.add_argument("--autocast", choices=["fp16", "bf16"])
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    t0 = time.perf_counter()
    model, sr = load(a.model)
    model = model.to(a.device)
    load_s = time.perf_counter() - t0
    if a.audio:
        import soundfile as sf  # only for files: the GPU machine's Python may lack it

        wave, file_sr = sf.read(a.audio, dtype="float32", always_2d=True)
        wave = wave.mean(axis=1).astype(np.float32)
        assert file_sr == sr, f"audio must be at {sr} Hz, got {file_sr}"
    else:
        wave = synthetic_clip(a.clip, sr)
    window = None if a.window == "none" else float(a.window)
    run = dict(window=window, batch=a.batch, device=a.device, autocast=a.autocast)
    embed(model, wave[: sr], sr, **run)  # warm-up
    if a.device == "cuda":
        embed(model, wave, sr, **run)  # kernel selection for the real shapes
    times = []
    for _ in range(a.repeat):
        t0 = time.perf_counter()
        embed(model, wave, sr, **run)
        times.append(time.perf_counter() - t0)
    dur = len(wave) / sr
    med = statistics.median(times)
    memory = dict(peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1))
    if a.device == "cuda":
        memory["peak_gpu_mb"] = round(torch.cuda.max_memory_allocated() / 2**20, 1)
        memory["gpu"] = torch.cuda.get_device_name()
    print(json.dumps(dict(impl="transformers", torch=torch.__version__, threads=a.threads, window=a.window,
                          batch=a.batch, device=a.device, autocast=a.autocast,
                          audio_s=dur, load_s=round(load_s, 3), embed_s=round(med, 3),
                          embed_s_all=[round(t, 3) for t in times], audio_s_per_s=round(dur / med, 2),
                          **memory)))


if __name__ == "__main__":
    main()
