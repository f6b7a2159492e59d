"""Decode a small `vlpart synth` dataset with pycocotools and record what it sees.

Writes Tests/Fixtures/synth/pycocotools_decode.json: for every annotation of source.json and
target_gt.json, pycocotools' area, toBbox and a checksum of the decoded mask
(sum of row-major index + 1 over foreground pixels). SynthTests regenerate the same dataset in
Swift and require exact equality, proving the RLE strings are pycocotools-compatible.

Usage (after `swift build -c release`): /work/venv/bin/python tools/make_synth_fixtures.py
Rerun whenever SynthManifest.generatorVersion changes.
"""
import json
import os
import subprocess
import tempfile

import numpy as np
from pycocotools import mask as mask_utils

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OPTIONS = {"seed": 5, "images": 8, "size": 64, "folder_images": 1}


def main():
    out = tempfile.mkdtemp(prefix="synth-fixture-")
    subprocess.run([os.path.join(ROOT, ".build/release/vlpart"), "synth", out,
                    "--seed", str(OPTIONS["seed"]), "--images", str(OPTIONS["images"]),
                    "--size", str(OPTIONS["size"]), "--folder-images", str(OPTIONS["folder_images"])],
                   check=True)
    with open(os.path.join(out, "split.json")) as f:
        version = json.load(f)["version"]
    documents = {}
    for name in ["source.json", "target_gt.json"]:
        with open(os.path.join(out, name)) as f:
            doc = json.load(f)
        rows = []
        for a in doc["annotations"]:
            rle = dict(a["segmentation"])
            rle["counts"] = rle["counts"].encode("ascii")
            m = mask_utils.decode(rle)                    # [h, w] uint8, Fortran order
            idx = np.flatnonzero(np.ascontiguousarray(m).reshape(-1))
            rows.append({"id": a["id"], "area": int(mask_utils.area(rle)),
                         "bbox": [float(v) for v in mask_utils.toBbox(rle)],
                         "checksum": int((idx + 1).sum()), "pixels": int(m.sum())})
        documents[name] = rows
    fixture = {"generator_version": version, "tool": "pycocotools " + getattr(mask_utils, "__version__", ""),
               "options": OPTIONS, "documents": documents}
    path = os.path.join(ROOT, "Tests/Fixtures/synth/pycocotools_decode.json")
    with open(path, "w") as f:
        json.dump(fixture, f, indent=1, sort_keys=True)
    print("wrote", path, {k: len(v) for k, v in documents.items()})


if __name__ == "__main__":
    main()
