#!/usr/bin/env python3
"""Writes Tests/Fixtures/tensor/: small tensor files made by the reference writers (numpy, safetensors,
torch.save) plus deliberately malformed ones, for the Swift readers' tests.

Run: /work/venv/bin/python tools/make_tensor_fixtures.py
"""
import collections, io, json, os, pickle, struct, zipfile
import numpy as np
import torch
from safetensors.torch import save_file

VERSION = 1
OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "Fixtures", "tensor")
os.makedirs(OUT, exist_ok=True)
rng = np.random.default_rng(7)
a = rng.standard_normal((3, 5)).astype(np.float32)

# .npy: f4 / f2 / i8 in formats 1.0, 2.0 and 3.0; a scalar; fortran order and big-endian (to reject).
np.save(os.path.join(OUT, "a_f4.npy"), a)
np.save(os.path.join(OUT, "a_f2.npy"), a.astype(np.float16))
np.save(os.path.join(OUT, "ints_i8.npy"), np.arange(-3, 9, dtype=np.int64).reshape(4, 3))
np.save(os.path.join(OUT, "scalar_f4.npy"), np.float32(2.5))
for version in [(2, 0), (3, 0)]:
    with open(os.path.join(OUT, f"a_f4_v{version[0]}.npy"), "wb") as f:
        np.lib.format.write_array(f, a, version=version)
np.save(os.path.join(OUT, "fortran_f4.npy"), np.asfortranarray(a))
np.save(os.path.join(OUT, "bigendian_f4.npy"), a.astype(">f4"))
np.save(os.path.join(OUT, "a_u1.npy"), (a > 0).astype(np.uint8))

# safetensors: F32, F16 and BF16 tensors plus metadata; and broken variants.
ta = torch.from_numpy(a)
save_file({"a32": ta, "a16": ta.half(), "abf": ta.bfloat16(), "scalar": torch.tensor(1.5)},
          os.path.join(OUT, "mixed.safetensors"), metadata={"format": "pt"})
raw = open(os.path.join(OUT, "mixed.safetensors"), "rb").read()
open(os.path.join(OUT, "truncated.safetensors"), "wb").write(raw[:-7])
open(os.path.join(OUT, "short.safetensors"), "wb").write(raw[:5])
n = struct.unpack("<Q", raw[:8])[0]
open(os.path.join(OUT, "hugeheader.safetensors"), "wb").write(struct.pack("<Q", 1 << 40) + raw[8:])
hdr = json.loads(raw[8:8 + n])
hdr["a32"]["data_offsets"] = [hdr["a32"]["data_offsets"][0] + 4, hdr["a32"]["data_offsets"][1] + 4]
h = json.dumps(hdr).encode()
h += b" " * ((8 - len(h) % 8) % 8)
open(os.path.join(OUT, "overlap.safetensors"), "wb").write(struct.pack("<Q", len(h)) + h + raw[8 + n:])

# .pth: a state dict whose q/k/v views share one storage with offsets, a transposed (strided) view,
# a half tensor and a nested {"teacher": …} dict.
base = torch.from_numpy(rng.standard_normal((6, 4)).astype(np.float32))
sd = collections.OrderedDict()
sd["qkv.query"], sd["qkv.key"], sd["qkv.value"] = base[0:2], base[2:4], base[4:6]
sd["t"] = base[0:2].t()
sd["half"] = base[1].half()
sd["idx"] = torch.arange(5)
torch.save(sd, os.path.join(OUT, "state.pth"))
torch.save({"teacher": {"backbone.w": base[0]}, "epoch": 3}, os.path.join(OUT, "nested.pth"))
np.save(os.path.join(OUT, "state_base.npy"), base.numpy())

# A .pth whose pickle calls posix.system: must be refused without running anything.
class Evil:
    def __reduce__(self):
        return (os.system, ("echo pwned > /tmp/vlpart_pwned",))
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
    z.writestr("evil/data.pkl", pickle.dumps({"w": Evil()}, protocol=2))
    z.writestr("evil/version", "3\n")
open(os.path.join(OUT, "evil.pth"), "wb").write(buf.getvalue())
# A .pth with an object built through NEWOBJ (like argparse.Namespace in full DINO checkpoints).
import argparse
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
    z.writestr("ns/data.pkl", pickle.dumps({"args": argparse.Namespace(lr=1)}, protocol=2))
open(os.path.join(OUT, "namespace.pth"), "wb").write(buf.getvalue())
state = open(os.path.join(OUT, "state.pth"), "rb").read()
open(os.path.join(OUT, "truncated.pth"), "wb").write(state[: len(state) // 2])

json.dump({"generator": "tools/make_tensor_fixtures.py", "version": VERSION, "seed": 7,
           "torch": torch.__version__, "numpy": np.__version__},
          open(os.path.join(OUT, "manifest.json"), "w"), indent=1)
print("wrote", OUT)
