#!/usr/bin/env python3
"""The example input the README's first command embeds: a few seconds of synthetic music and a
tiny MERT-shaped model (random weights, the `tiny` preset's shape) in Hugging Face layout.

    python3 tools/reference/make_examples.py

Writes examples/audio/{chords-24k.flac, arpeggio-44k-stereo.mp3} and examples/tiny-mert/.
Deterministic for its seeds. Needs numpy, soundfile, torch, transformers, safetensors and the ffmpeg CLI.
"""
import json
import os
import subprocess

import numpy as np
import soundfile as sf
import torch
from safetensors.torch import save_file
from transformers import HubertConfig, HubertModel

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
EX = os.path.join(ROOT, "examples")


def note(freq, dur, sr, amp=0.2):
    """A plucked tone: a few harmonics under an exponential decay."""
    t = np.arange(int(dur * sr)) / sr
    env = np.exp(-3.0 * t) * np.minimum(1.0, t * 200)
    tone = sum((0.6 ** h) * np.sin(2 * np.pi * freq * (h + 1) * t) for h in range(5))
    return amp * env * tone


def midi(m):
    return 440.0 * 2 ** ((m - 69) / 12)


def chords(sr):
    prog = [[60, 64, 67], [57, 60, 64], [53, 57, 60], [55, 59, 62]]  # C Am F G
    out = []
    for ch in prog * 2:
        seg = sum(note(midi(m), 1.0, sr, 0.12) for m in ch) + note(midi(ch[0] - 24), 1.0, sr, 0.15)
        out.append(seg)
    return np.concatenate(out).astype(np.float32)


def arpeggio(sr):
    rng = np.random.default_rng(7)
    left, right = [], []
    for i in range(16):
        m = [64, 67, 71, 72, 69, 65][i % 6]
        x = note(midi(m), 0.25, sr, 0.25)
        pan = rng.uniform(0.2, 0.8)
        left.append(x * (1 - pan))
        right.append(x * pan)
    return np.stack([np.concatenate(left), np.concatenate(right)], axis=1).astype(np.float32)


def main():
    os.makedirs(os.path.join(EX, "audio"), exist_ok=True)
    sf.write(os.path.join(EX, "audio", "chords-24k.flac"), chords(24000), 24000, subtype="PCM_16")
    wav = os.path.join(EX, "arp.wav")
    sf.write(wav, arpeggio(44100), 44100, subtype="PCM_16")
    subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-i", wav, "-codec:a", "libmp3lame", "-b:a", "96k",
                    "-bitexact", os.path.join(EX, "audio", "arpeggio-44k-stereo.mp3")], check=True)
    os.remove(wav)

    torch.manual_seed(0)
    cfg = HubertConfig(hidden_size=64, num_hidden_layers=2, num_attention_heads=4, intermediate_size=128,
                       conv_dim=[32] * 7, num_conv_pos_embeddings=16, num_conv_pos_embedding_groups=4,
                       feat_proj_layer_norm=True, feat_extract_norm="group", do_stable_layer_norm=False,
                       mask_time_prob=0.05)
    model = HubertModel(cfg).eval()
    d = os.path.join(EX, "tiny-mert")
    os.makedirs(d, exist_ok=True)
    conf = cfg.to_dict()
    conf.update(model_type="mert_model", architectures=["MERTModel"], sample_rate=24000, attention_relax=-1.0,
                deepnorm=False, feature_extractor_cqt=False, feature_extractor_cqt_bins=336)
    for k in ["transformers_version", "_name_or_path", "dtype", "torch_dtype", "id2label", "label2id",
              "output_attentions", "output_hidden_states", "return_dict", "chunk_size_feed_forward",
              "is_encoder_decoder", "problem_type", "tie_word_embeddings", "use_return_dict"]:
        conf.pop(k, None)
    with open(os.path.join(d, "config.json"), "w") as f:
        json.dump(conf, f, indent=2, sort_keys=True)
    with open(os.path.join(d, "preprocessor_config.json"), "w") as f:
        json.dump(dict(feature_extractor_type="Wav2Vec2FeatureExtractor", feature_size=1, padding_side="right",
                       padding_value=0.0, return_attention_mask=True, do_normalize=False, sampling_rate=24000),
                  f, indent=2, sort_keys=True)
    state = {k.replace("parametrizations.weight.original0", "weight_g")
              .replace("parametrizations.weight.original1", "weight_v"): v.contiguous()
             for k, v in model.state_dict().items()}
    save_file(state, os.path.join(d, "model.safetensors"), metadata={"format": "pt"})
    print("examples written:", sorted(os.listdir(os.path.join(EX, "audio"))), sum(p.numel() for p in model.parameters()))


if __name__ == "__main__":
    main()
