#!/usr/bin/env python3
"""Reference hidden states of a MERT encoder with the CQT input front (`feature_extractor_cqt: true`).

Run from the repository root with a Python that has torch, transformers and safetensors:

    python3 tools/reference/make_cqt_input_fixture.py

MERT's model code (MERTModel.forward) joins the conv features and the CQT magnitude of the waveform
(nnAudio's CQT1992v2 from 32.7 Hz, bins / 7 per octave, Hann window, norm 1, centred with zero padding,
not trained) frame by frame, then applies its feature projection (LayerNorm and Linear over the joined
width) and the transformer. This script builds the same computation from transformers' Hubert modules
and the direct CQT1992v2 reference of make_dsp_fixtures.py, with the CQT hop equal to the conv stride
(320 samples, 75 frames/s at 24 kHz; MERT's code uses sr // 50, the same value at 16 kHz).

Writes mert4j-core/src/test/resources/model/cqt-input/: config.json, model.safetensors, input.npy
(1 s at 24 kHz) and hidden_states.npy [L+1, T, H].
"""
import json
import os
import sys

import numpy as np
import torch
from safetensors.torch import save_file
from transformers import HubertConfig, HubertModel

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_dsp_fixtures import cqt_reference  # noqa: E402
from make_model_fixtures import MERT_KEYS, OUT, SMALL, config_json, test_signal  # noqa: E402

BINS = 84  # 12 per octave: a small fixture; the released default is 336


def main():
    torch.manual_seed(3)
    cfg = HubertConfig(**SMALL, do_stable_layer_norm=False, feat_extract_norm="group")
    model = HubertModel(cfg).eval()
    width = cfg.conv_dim[-1] + BINS
    # MERT's feature projection over the joined features
    model.feature_projection.layer_norm = torch.nn.LayerNorm(width, eps=cfg.layer_norm_eps)
    model.feature_projection.projection = torch.nn.Linear(width, cfg.hidden_size)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("bias") or "layer_norm" in name:
                p.add_(0.1 * torch.randn_like(p))
    model.eval()

    state = {k: v.contiguous().clone() for k, v in model.state_dict().items()}
    wave = test_signal(24000, 24000, 5)
    conv_front = model.feature_extractor

    class JoinedFront(torch.nn.Module):
        """MERTModel.forward's input to the feature projection: conv features and CQT, channel-first."""

        def forward(self, x):
            conv = conv_front(x)  # [1, C, T]
            cqt = torch.from_numpy(cqt_reference(x[0].numpy(), sr=24000, hop=320, fmin=32.7, n_bins=BINS,
                                                 bins_per_octave=BINS // 7))[None]  # [1, bins, T']
            return torch.cat([conv, cqt[:, :, :conv.shape[2]]], 1)

    model.feature_extractor = JoinedFront()
    with torch.no_grad():
        out = model(torch.from_numpy(wave)[None], output_hidden_states=True)
    hs = torch.stack([s[0] for s in out.hidden_states]).numpy().astype(np.float32)

    d = os.path.join(OUT, "cqt-input")
    os.makedirs(d, exist_ok=True)
    conf = config_json(cfg)
    conf.update(MERT_KEYS)
    conf.update(feature_extractor_cqt=True, feature_extractor_cqt_bins=BINS)
    with open(os.path.join(d, "config.json"), "w") as f:
        json.dump(conf, f, indent=2, sort_keys=True)
    save_file(state, os.path.join(d, "model.safetensors"))
    np.save(os.path.join(d, "input.npy"), wave)
    np.save(os.path.join(d, "hidden_states.npy"), hs)
    print(f"cqt-input: joined width {width}, hidden states {hs.shape}, max |h| {np.abs(hs).max():.3g}")


if __name__ == "__main__":
    main()
