#!/usr/bin/env python3
"""Times the Hugging Face reference on the embedding workload `mert embed` runs, for side-by-side figures.

    python3 tools/reference/time_hf_embed.py --model DIR --audio FILE [--threads 2] [--window 5|none] [--repeat 3]

DIR is a mert4j/Hugging Face model folder (config.json + model.safetensors, e.g. written by
`MertModel.save`); the model is built as transformers' HubertModel (the class MERTModel extends) with
the folder's weights. The audio is decoded with soundfile, mixed to mono and must already be at the
model's sample rate (no resampler in this Python). Prints one JSON line: load and per-call seconds
(median of --repeat), audio seconds per second, and peak RSS.
"""
import argparse
import json
import resource
import statistics
import time

import numpy as np
import soundfile as sf
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
    state = {k.replace("weight_g", "parametrizations.weight.original0").replace("weight_v", "parametrizations.weight.original1"): v
             for k, v in load_file(f"{model_dir}/model.safetensors").items()}
    missing, unexpected = model.load_state_dict(state, strict=False)
    assert not missing and not unexpected, (missing, unexpected)
    return model, conf["sample_rate"]


def embed(model, wave, sr, window):
    """MARBLE protocol as mert embed runs it: windows, all hidden states time-meaned, averaged."""
    if window is None:
        chunks = [wave]
    else:
        size = int(window * sr)
        chunks = [wave[i:i + size] for i in range(0, len(wave), size)]
        if len(chunks) > 1 and len(chunks[-1]) < sr:
            chunks = chunks[:-1]
    acc = None
    with torch.inference_mode():
        for c in chunks:
            out = model(torch.from_numpy(c)[None], output_hidden_states=True)
            m = torch.stack([h.mean(1)[0] for h in out.hidden_states])
            acc = m if acc is None else acc + m
    return (acc / len(chunks)).numpy()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--audio", required=True)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--window", default="5")
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    t0 = time.perf_counter()
    model, sr = load(a.model)
    load_s = time.perf_counter() - t0
    wave, file_sr = sf.read(a.audio, dtype="float32", always_2d=True)
    wave = wave.mean(axis=1).astype(np.float32)
    assert file_sr == sr, f"audio must be at {sr} Hz, got {file_sr}"
    window = None if a.window == "none" else float(a.window)
    embed(model, wave[: sr], sr, window)  # warm-up
    times = []
    for _ in range(a.repeat):
        t0 = time.perf_counter()
        embed(model, wave, sr, window)
        times.append(time.perf_counter() - t0)
    dur = len(wave) / sr
    med = statistics.median(times)
    print(json.dumps(dict(impl="transformers", torch=torch.__version__, threads=a.threads, window=a.window,
                          audio_s=dur, load_s=round(load_s, 3), embed_s=round(med, 3),
                          embed_s_all=[round(t, 3) for t in times], audio_s_per_s=round(dur / med, 2),
                          peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1))))


if __name__ == "__main__":
    main()
