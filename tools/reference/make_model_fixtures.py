#!/usr/bin/env python3
"""Reference hidden states for mert4j's encoder tests, made with Hugging Face transformers.

Run from the repository root with a Python that has torch, transformers, safetensors and soundfile
(and Debian's /usr/bin/python3 with torchaudio for the resampling step):

    python3 tools/reference/make_model_fixtures.py

Writes small random-weight MERT-shaped checkpoints and expected outputs under
mert4j-core/src/test/resources/model/:

  postln-group/      post-LN encoder, `group` conv front (MERT-v0 / v1-95M layout)
  preln-layer/       pre-LN encoder, `layer` conv front (MERT-v1-330M layout)

Each folder holds config.json, preprocessor_config.json, model.safetensors (new-style
`parametrizations.weight.original0/1` names) and bin/pytorch_model.bin (old-style `weight_g`/`weight_v`
names, as the released checkpoints have), input.npy (a 24 kHz waveform), and hidden_states.npy
[L+1, T, H]. For pre-LN the last entry is `last_hidden_state` (after the final LayerNorm), the
transformers 4.x convention that MERT users ran (transformers 5.x reports it before the norm).

pipeline/ holds a 44.1 kHz stereo WAV and the hidden states the Python pipeline gives for it:
mono by channel mean, torchaudio.functional.resample to 24 kHz, Wav2Vec2FeatureExtractor
normalisation (do_normalize = true), then the post-LN model.
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import soundfile as sf
import torch
from safetensors.torch import save_file
from transformers import HubertConfig, HubertModel, Wav2Vec2FeatureExtractor

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
OUT = os.path.join(ROOT, "mert4j-core", "src", "test", "resources", "model")

SMALL = dict(hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=64,
             conv_dim=[16] * 7, conv_kernel=[10, 3, 3, 3, 3, 2, 2], conv_stride=[5, 2, 2, 2, 2, 2, 2],
             num_conv_pos_embeddings=16, num_conv_pos_embedding_groups=4, feat_proj_layer_norm=True,
             conv_bias=False, layer_norm_eps=1e-5, hidden_act="gelu", feat_extract_activation="gelu",
             mask_time_prob=0.05)

MERT_KEYS = dict(model_type="mert_model", architectures=["MERTModel"], sample_rate=24000,
                 attention_relax=-1.0, deepnorm=False, feature_extractor_cqt=False,
                 feature_extractor_cqt_bins=336)


def make_model(stable, seed):
    torch.manual_seed(seed)
    cfg = HubertConfig(**SMALL, do_stable_layer_norm=stable, feat_extract_norm="layer" if stable else "group")
    model = HubertModel(cfg).eval()
    # random, non-trivial norms and biases so that every parameter matters in the comparison
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("bias") or "layer_norm" in name:
                p.add_(0.1 * torch.randn_like(p))
    return cfg, model


def hidden_states(model, stable, wave):
    with torch.no_grad():
        out = model(torch.from_numpy(wave)[None], output_hidden_states=True)
    states = list(out.hidden_states)
    if stable:
        states[-1] = out.last_hidden_state
    return torch.stack([s[0] for s in states]).numpy().astype(np.float32)


def config_json(cfg):
    d = cfg.to_dict()
    d.update(MERT_KEYS)
    for k in ["transformers_version", "_name_or_path", "dtype", "torch_dtype", "output_attentions",
              "output_hidden_states", "return_dict", "id2label", "label2id", "chunk_size_feed_forward",
              "is_encoder_decoder", "problem_type", "tie_word_embeddings", "use_return_dict"]:
        d.pop(k, None)
    return d


def old_style(state):
    """Rename weight-norm parametrisations to the weight_g / weight_v names of the released files."""
    out = {}
    for k, v in state.items():
        k = k.replace("parametrizations.weight.original0", "weight_g").replace("parametrizations.weight.original1", "weight_v")
        out[k] = v.clone()
    return out


def write_model_dir(name, stable, seed, wave, do_normalize=False):
    d = os.path.join(OUT, name)
    os.makedirs(os.path.join(d, "bin"), exist_ok=True)
    cfg, model = make_model(stable, seed)
    conf = config_json(cfg)
    pre = dict(feature_extractor_type="Wav2Vec2FeatureExtractor", feature_size=1, padding_side="right",
               padding_value=0.0, return_attention_mask=True, do_normalize=do_normalize, sampling_rate=24000)
    for folder in [d, os.path.join(d, "bin")]:
        with open(os.path.join(folder, "config.json"), "w") as f:
            json.dump(conf, f, indent=2, sort_keys=True)
        with open(os.path.join(folder, "preprocessor_config.json"), "w") as f:
            json.dump(pre, f, indent=2, sort_keys=True)
    state = {k: v.contiguous() for k, v in model.state_dict().items()}
    assert any("parametrizations.weight.original0" in k for k in state), "expected new-style weight-norm names"
    save_file(state, os.path.join(d, "model.safetensors"))
    torch.save(old_style(state), os.path.join(d, "bin", "pytorch_model.bin"))
    np.save(os.path.join(d, "input.npy"), wave)
    hs = hidden_states(model, stable, wave)
    np.save(os.path.join(d, "hidden_states.npy"), hs)
    print(f"{name}: {sum(p.numel() for p in model.parameters())} parameters, hidden states {hs.shape}")
    return model


def torchaudio_resample(wave, orig, new):
    """Resample [C, N] float32 with Debian's torchaudio (not installed in this Python)."""
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = os.path.join(tmp, "in.npy"), os.path.join(tmp, "out.npy")
        np.save(src, wave)
        code = ("import numpy as np, torch, torchaudio.functional as F, sys;"
                "x=torch.from_numpy(np.load(sys.argv[1]));"
                "np.save(sys.argv[2], F.resample(x, int(sys.argv[3]), int(sys.argv[4])).numpy())")
        subprocess.run(["/usr/bin/python3", "-c", code, src, dst, str(orig), str(new)], check=True)
        return np.load(dst)


def test_signal(n, sr, seed):
    rng = np.random.default_rng(seed)
    t = np.arange(n) / sr
    x = 0.3 * np.sin(2 * np.pi * 220 * t) + 0.2 * np.sin(2 * np.pi * 1234.5 * t * (1 + t)) + 0.05 * rng.standard_normal(n)
    return x.astype(np.float32)


def main():
    wave = test_signal(24000, 24000, 1)  # 1 s at 24 kHz: 74 frames
    post = write_model_dir("postln-group", stable=False, seed=0, wave=wave)
    write_model_dir("preln-layer", stable=True, seed=1, wave=wave)

    # the whole Python pipeline on a 44.1 kHz stereo file, against the post-LN model
    d = os.path.join(OUT, "pipeline")
    os.makedirs(d, exist_ok=True)
    left, right = test_signal(44100, 44100, 2), test_signal(44100, 44100, 3)[::-1].copy()
    stereo = np.stack([left, 0.5 * right]).astype(np.float32)  # [2, N], 1 s
    sf.write(os.path.join(d, "stereo-44100.wav"), stereo.T, 44100, subtype="PCM_16")
    decoded, sr = sf.read(os.path.join(d, "stereo-44100.wav"), dtype="float32", always_2d=True)
    mono = decoded.T.mean(axis=0, keepdims=True)
    resampled = torchaudio_resample(mono, sr, 24000)[0]
    fe = Wav2Vec2FeatureExtractor(feature_size=1, sampling_rate=24000, padding_value=0.0, do_normalize=True)
    inputs = fe(resampled, sampling_rate=24000, return_tensors="np")["input_values"][0].astype(np.float32)
    np.save(os.path.join(d, "model_input.npy"), inputs)
    np.save(os.path.join(d, "hidden_states.npy"), hidden_states(post, False, inputs))
    print(f"pipeline: {stereo.shape} at 44100 Hz -> {inputs.shape[0]} samples at 24000 Hz")

    # parameter counts of the released shapes, for mert info. MERT-v1-330M's 315,428,992 is the
    # count with a `group` conv front (a `layer` front would add six LayerNorm(512), 6,144 parameters)
    for name, extra in [("v1-95m", {}), ("v1-330m", dict(hidden_size=1024, num_hidden_layers=24,
                        num_attention_heads=16, intermediate_size=4096, feat_extract_norm="group",
                        do_stable_layer_norm=True))]:
        cfg = HubertConfig(feat_proj_layer_norm=True, mask_time_prob=0.05, **extra)
        with torch.device("meta"):
            m = HubertModel(cfg)
        print(f"{name}: {sum(p.numel() for p in m.parameters())} parameters")


if __name__ == "__main__":
    sys.exit(main())
