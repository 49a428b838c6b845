#!/usr/bin/env python3
"""Loads a model folder mert4j exported with transformers' HubertModel (MERTModel's parent class, the
same computation for every released configuration) and writes, into the folder:

  input.npy                  a deterministic 1.5 s test signal at the model's rate
  python_hidden_states.npy   all hidden states [L+1, T, H] (pre-LN: last entry after the final norm,
                             the transformers 4.x convention MERT users ran)

    python3 tools/reference/python_hidden_states.py DIR
"""
import json
import os
import sys

import numpy as np
import torch
from safetensors.torch import load_file
from transformers import HubertConfig, HubertModel

d = sys.argv[1]
with open(os.path.join(d, "config.json")) as f:
    conf = json.load(f)
assert conf["model_type"] == "mert_model", conf["model_type"]
keys = [k for k in HubertConfig().to_dict() if k in conf]
cfg = HubertConfig(**{k: conf[k] for k in keys})
model = HubertModel(cfg).eval()
state = {k.replace("weight_g", "parametrizations.weight.original0").replace("weight_v", "parametrizations.weight.original1"): v
         for k, v in load_file(os.path.join(d, "model.safetensors")).items()}
missing, unexpected = model.load_state_dict(state, strict=False)
assert not missing and not unexpected, (missing, unexpected)
sr = conf["sample_rate"]
t = np.arange(int(1.5 * sr)) / sr
rng = np.random.default_rng(5)
x = (0.3 * np.sin(2 * np.pi * 261.6 * t) + 0.2 * np.sin(2 * np.pi * 392.0 * t) + 0.05 * rng.standard_normal(t.size)).astype(np.float32)
with torch.no_grad():
    out = model(torch.from_numpy(x)[None], output_hidden_states=True)
states = list(out.hidden_states)
if cfg.do_stable_layer_norm:
    states[-1] = out.last_hidden_state
np.save(os.path.join(d, "input.npy"), x)
np.save(os.path.join(d, "python_hidden_states.npy"), torch.stack([s[0] for s in states]).numpy().astype(np.float32))
print("python hidden states", [len(states)] + list(states[0].shape[1:]))
