#!/usr/bin/env python3
"""Writes the small checkpoint fixtures the org.mert4j.io tests read.

Run from the repository root:  python3 tools/reference/make_bin_fixtures.py
Needs torch and safetensors. The tests never run Python; they only read the committed files.

  python3 tools/reference/make_bin_fixtures.py --check FILE.safetensors
prints what the Python safetensors package reads from a file (e.g. one written by Java).
"""
import argparse
import collections
import io
import json
import os
import pickle
import re
import sys
import zipfile

OUT = os.path.join("mert4j-core", "src", "test", "resources", "io")


def state_dict():
    import torch
    g = torch.Generator().manual_seed(1234)
    base = torch.randn(4, 5, generator=g)
    sd = collections.OrderedDict()
    sd["linear.weight"] = torch.randn(3, 4, generator=g)
    sd["half.weight"] = torch.randn(2, 3, generator=g).half()
    sd["bf16.weight"] = torch.randn(5, generator=g).bfloat16()
    sd["position_ids"] = torch.arange(7, dtype=torch.int64).reshape(1, 7) * 3 - 5
    sd["shared.base"] = base                  # the whole storage
    sd["shared.transposed"] = base.t()        # non-contiguous view of the same storage
    sd["shared.row"] = base[2, 1:4]           # offset view of the same storage
    sd["param.bias"] = torch.nn.Parameter(torch.randn(3, generator=g), requires_grad=True)
    sd["scalar"] = torch.tensor(2.5, dtype=torch.float64)
    return sd


def expected(sd):
    out = collections.OrderedDict()
    for k, t in sd.items():
        t = t.detach()
        values = t.double().flatten().tolist() if t.is_floating_point() else t.flatten().tolist()
        out[k] = {"dtype": str(t.dtype).replace("torch.", ""), "shape": list(t.shape), "values": values}
    return out


def malicious_bin(path):
    """A torch.save-shaped zip whose pickle calls os.system: the reader must refuse it."""
    class Evil:
        def __reduce__(self):
            return (os.system, ("echo pwned",))
    pkl = pickle.dumps(collections.OrderedDict(weight=Evil()), protocol=2)
    # pickle spells os.system by its platform module (posix/nt); use the portable 'os' spelling
    pkl = re.sub(rb"c(posix|nt)\nsystem\n", b"cos\nsystem\n", pkl)
    assert b"cos\nsystem\n" in pkl
    write_zip(path, "malicious", pkl)


def write_zip(path, prefix, pkl, records=()):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        z.writestr(prefix + "/data.pkl", pkl)
        z.writestr(prefix + "/byteorder", "little")
        for name, data in records:
            z.writestr(prefix + "/data/" + name, data)
        z.writestr(prefix + "/version", "3\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--check", help="print what python safetensors reads from this file")
    args = ap.parse_args()
    if args.check:
        from safetensors.torch import load_file
        from safetensors import safe_open
        with safe_open(args.check, "pt") as f:
            print("metadata", f.metadata())
        for k, v in load_file(args.check).items():
            print(k, v.dtype, list(v.shape), v.flatten()[:8].tolist())
        return

    import torch
    from safetensors.torch import save_file
    os.makedirs(OUT, exist_ok=True)
    sd = state_dict()
    torch.save(sd, os.path.join(OUT, "state_dict.bin"))
    # safetensors cannot hold shared or non-contiguous tensors: store independent copies
    st = collections.OrderedDict((k, v.detach().contiguous().clone()) for k, v in sd.items())
    save_file(st, os.path.join(OUT, "state_dict.safetensors"), metadata={"format": "pt"})
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected(sd), f, indent=1)
    malicious_bin(os.path.join(OUT, "malicious.bin"))
    # sanity: Python's own loader agrees with the expected values and refuses the hostile file
    loaded = torch.load(os.path.join(OUT, "state_dict.bin"), weights_only=True)
    assert expected(loaded) == expected(sd)
    try:
        torch.load(os.path.join(OUT, "malicious.bin"), weights_only=True)
        sys.exit("weights_only load accepted the malicious file")
    except Exception as e:  # noqa: BLE001 - any refusal is what we want
        print("torch refuses malicious.bin:", type(e).__name__)
    total = sum(os.path.getsize(os.path.join(OUT, n)) for n in os.listdir(OUT))
    print("fixtures written to", OUT, "total bytes", total)


if __name__ == "__main__":
    main()
