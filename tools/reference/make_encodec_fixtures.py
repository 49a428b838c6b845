#!/usr/bin/env python3
"""Reference EnCodec codes for mert4j's acoustic-teacher tests, made with Hugging Face transformers.

Run from the repository root with a Python that has torch, transformers, safetensors and numpy:

    python3 tools/reference/make_encodec_fixtures.py

Writes small random-weight EnCodec models and the codes `EncodecModel.encode(x, bandwidth=6.0)` gives
under mert4j-core/src/test/resources/teacher/encodec/:

  causal/     the facebook/encodec_24khz layout (causal convs, weight norm, reflect padding,
              ratios [8, 5, 4, 2] = hop 320, 75 Hz, 1024-entry codebooks, 8 quantisers at 6 kbps)
              with fewer filters and a smaller latent so the checkpoint stays small.
              model.safetensors has the new-style `parametrizations.weight.original0/1` names;
              bin/pytorch_model.bin the old-style `weight_g`/`weight_v` names of the released files.
              bin/pytorch_model.bin holds only the encoder and the codebooks (all that encoding reads).
  noncausal/  non-causal convs with time_group_norm (the 48 kHz model's layer kinds, mono, 24 kHz),
              512-entry codebooks (9 bits: still 8 quantisers at 6 kbps).

Each folder holds input.npy (a 24 kHz waveform of odd length), codes.npy [K, frames] (float32 holding
integers), and short_input.npy / short_codes.npy for a clip shorter than one hop.
"""
import json
import os
import shutil

import numpy as np
import torch
from transformers import EncodecConfig, EncodecModel

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
OUT = os.path.join(ROOT, "mert4j-core", "src", "test", "resources", "teacher", "encodec")

SMALL = dict(num_filters=2, hidden_size=8, codebook_size=1024, upsampling_ratios=[8, 5, 4, 2],
             target_bandwidths=[1.5, 3.0, 6.0], sampling_rate=24000, audio_channels=1, normalize=False)


def old_style(state):
    out = {}
    for k, v in state.items():
        k = k.replace("parametrizations.weight.original0", "weight_g").replace(
            "parametrizations.weight.original1", "weight_v")
        out[k] = v.contiguous()
    return out


def make(name, seed, **extra):
    torch.manual_seed(seed)
    cfg = EncodecConfig(**dict(SMALL, **extra))
    model = EncodecModel(cfg).eval()
    t = torch.arange(36037, dtype=torch.float32) / 24000
    x = (0.3 * torch.sin(2 * np.pi * 220 * t) + 0.2 * torch.sin(2 * np.pi * 1234.5 * t * (1 + t))
         + 0.05 * torch.randn_like(t))
    with torch.no_grad():
        for pname, p in model.named_parameters():
            if pname.endswith("bias") or ".norm." in pname:
                p.add_(0.1 * torch.randn_like(p))
        # A random encoder's latent is a large constant plus a small varying part, which makes the
        # float32 distance -(|x|^2 - 2 x.e + |e|^2) ill-conditioned (near-ties everywhere). Rescale the
        # last layer per channel so that the latent is centred with unit spread, as a trained one is.
        latent = model.encoder(x.view(1, 1, -1))[0]
        mean, std = latent.mean(1), latent.std(1)
        last = model.encoder.layers[-1]
        if cfg.norm_type == "time_group_norm":
            last.norm.weight.mul_(1 / std)
            last.norm.bias.sub_(mean).div_(std)
        else:
            last.conv.parametrizations.weight.original0.mul_((1 / std).view(-1, 1, 1))
            last.conv.bias.sub_(mean).div_(std)
        # codebooks are zero after init: fill them on the scale of each level's residual
        residual = model.encoder(x.view(1, 1, -1))
        print(name, "latent mean", residual.mean().item(), "std", residual.std().item())
        for layer in model.quantizer.layers:
            frames = residual[0].t()  # [frames, D]
            mean, std = frames.mean(0), frames.std(0)
            layer.codebook.embed.copy_(mean + std * torch.randn_like(layer.codebook.embed))
            layer.codebook.embed_avg.copy_(layer.codebook.embed)
            idx = layer.encode(residual)
            residual = residual - layer.decode(idx)
        codes = model.encode(x.view(1, 1, -1), bandwidth=6.0).audio_codes  # [1, 1, K, frames]
        short = 0.5 * torch.randn(100)
        short_codes = model.encode(short.view(1, 1, -1), bandwidth=6.0).audio_codes
    assert codes.shape[2] == 8 and codes.shape[3] == -(-x.numel() // 320), codes.shape
    d = os.path.join(OUT, name)
    shutil.rmtree(d, ignore_errors=True)
    model.save_pretrained(d)
    if name == "causal":
        state = model.state_dict()
        assert any("parametrizations.weight.original0" in k for k in state), "expected new-style weight-norm names"
        # the encoder and codebooks only (what encoding reads), to keep the fixture small
        state = {k: v for k, v in state.items() if k.startswith("encoder.") or k.endswith("codebook.embed")}
        os.makedirs(os.path.join(d, "bin"))
        shutil.copy(os.path.join(d, "config.json"), os.path.join(d, "bin", "config.json"))
        torch.save(old_style(state), os.path.join(d, "bin", "pytorch_model.bin"))
    np.save(os.path.join(d, "input.npy"), x.numpy().astype(np.float32))
    np.save(os.path.join(d, "codes.npy"), codes[0, 0].numpy().astype(np.float32))
    np.save(os.path.join(d, "short_input.npy"), short.numpy().astype(np.float32))
    np.save(os.path.join(d, "short_codes.npy"), short_codes[0, 0].numpy().astype(np.float32))
    used = [len(np.unique(c)) for c in codes[0, 0].numpy()]
    print(name, "codes", tuple(codes.shape), "distinct per codebook", used)


if __name__ == "__main__":
    make("causal", 1)
    make("noncausal", 2, codebook_size=512, use_causal_conv=False, norm_type="time_group_norm", pad_mode="reflect")
