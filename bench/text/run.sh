#!/usr/bin/env bash
# Text encoder throughput: vlpart (Swift, OpenBLAS) vs sentence-transformers (PyTorch) on CPU,
# embedding 1,000 category names with the same number of threads. Prints phrases/s and the ratio.
#
#   bench/text/run.sh            # threads = all cores
#   THREADS=1 bench/text/run.sh
#
# vlpart's encode time is the difference between embedding 1,000 names and embedding 1, so
# process start and the 90 MB weight load are excluded as they are for the Python baseline.
set -euo pipefail
cd "$(dirname "$0")/../.."
THREADS=${THREADS:-$(nproc)}
PYTHON=${PYTHON:-/work/venv/bin/python}
[ -x "$PYTHON" ] || PYTHON=python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

swift build -c release --product vlpart >/dev/null
BIN=.build/release/vlpart

# 1,000 readable part names (object × part, deterministic): the kind of vocabulary the segmenter embeds.
"$PYTHON" - "$work/names.txt" <<'PY'
import sys
objects = ["dog", "cat", "horse", "cow", "sheep", "bird", "car", "bus", "bicycle", "motorbike", "aeroplane",
           "boat", "bottle", "chair", "sofa", "table", "person", "train", "tv monitor", "potted plant",
           "elephant", "koala", "fox", "leopard", "tiger", "lion", "bear", "zebra", "pig", "monkey", "panda",
           "snake", "fish", "reptile", "quadruped", "biped", "truck", "kite", "mug", "laptop", "scissors",
           "teddy bear", "umbrella", "trash can", "handbag", "basket", "belt", "bench", "book", "bowl"]
parts = ["head", "left ear", "right front leg", "tail", "torso", "wheel", "window", "door", "handle",
         "seat", "wing", "engine", "license plate", "headlight", "back", "arm", "mouth", "nose", "eye",
         "paw"]
names = [f"{p} of a {o}" for o in objects for p in parts][:1000]
open(sys.argv[1], "w").write("\n".join(names) + "\n")
PY

mapfile -t names < "$work/names.txt"
export OPENBLAS_NUM_THREADS=$THREADS
t() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc -l; }
best_one=1e9; best_all=1e9
for _ in 1 2 3; do
    one=$(t "$BIN" text embed --output "$work/one.npy" -- "${names[0]}")
    all=$(t "$BIN" text embed --output "$work/all.npy" -- "${names[@]}")
    best_one=$(echo "if ($one < $best_one) $one else $best_one" | bc -l)
    best_all=$(echo "if ($all < $best_all) $all else $best_all" | bc -l)
done
swift_pps=$(echo "${#names[@]} / ($best_all - $best_one)" | bc -l)
py_pps=$("$PYTHON" bench/text/baseline.py "$work/names.txt" "$THREADS" 2>/dev/null | awk '/phrases_per_second/ {print $2}')

printf 'threads: %s, phrases: %s\n' "$THREADS" "${#names[@]}"
printf 'vlpart:                %8.1f phrases/s (process %.2f s incl. load %.2f s)\n' "$swift_pps" "$best_all" "$best_one"
printf 'sentence-transformers: %8.1f phrases/s\n' "$py_pps"
printf 'ratio vlpart / sentence-transformers: %.2fx\n' "$(echo "$swift_pps / $py_pps" | bc -l)"
