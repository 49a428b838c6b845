#!/usr/bin/env python3
"""Reference AdamW trajectory (torch.optim.AdamW, the per-tensor update) for the optimizer tests.

Writes mert4j-core/src/test/resources/optim/adamw.json: initial parameters, the gradients of four
steps, the learning rate of each step (a schedule changes it) and the parameters after each step.
Run from the repository root: python3 tools/reference/make_optim_fixtures.py
"""
import json
import pathlib

import torch

torch.manual_seed(3)
shapes = {"w": (4, 3), "b": (5,), "conv": (2, 2, 2)}
params = {k: torch.randn(s, dtype=torch.float32).requires_grad_(True) for k, s in shapes.items()}
betas, eps, wd = (0.9, 0.98), 1e-6, 0.01
opt = torch.optim.AdamW(params.values(), lr=1e-2, betas=betas, eps=eps, weight_decay=wd, foreach=False)
out = {"beta1": betas[0], "beta2": betas[1], "eps": eps, "weight_decay": wd,
       "initial": {k: p.detach().flatten().tolist() for k, p in params.items()},
       "shapes": {k: list(s) for k, s in shapes.items()}, "steps": []}
for lr in [1e-2, 2e-2, 5e-3, 1e-2]:
    for group in opt.param_groups:
        group["lr"] = lr
    grads = {k: torch.randn(s) * 0.5 for k, s in shapes.items()}
    for k, p in params.items():
        p.grad = grads[k].clone()
    opt.step()
    out["steps"].append({"lr": lr, "grads": {k: g.flatten().tolist() for k, g in grads.items()},
                         "after": {k: p.detach().flatten().tolist() for k, p in params.items()}})
path = pathlib.Path("mert4j-core/src/test/resources/optim/adamw.json")
path.parent.mkdir(parents=True, exist_ok=True)
path.write_text(json.dumps(out))
print("wrote", path)
