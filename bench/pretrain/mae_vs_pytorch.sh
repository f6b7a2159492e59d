#!/usr/bin/env bash
# Training images/s of `vlpart pretrain --objective mae --objects` vs the PyTorch CPU twin of the
# same masked autoencoder (bench/pretrain/mae_probe.py --steps): nano ViT (patch 8, width 96,
# depth 4, 3 heads, 64 px), mask ratio 0.75, decoder width 64 × 2 blocks, batch 64, random resized
# crops of the 80-px object crops with flips, both on 2 threads, on the object crops of one
# synthetic set. Both rates include crop sampling and the whole step; the first step is not timed.
# Prints both rates and their ratio.
# Usage: bench/pretrain/mae_vs_pytorch.sh [steps]   (default 60 timed steps; PYTHON picks the venv)
set -euo pipefail
cd "$(dirname "$0")/../.."
STEPS=${1:-60}
PY=${PYTHON:-/work/venv/bin/python}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# BUILD_FLAGS lets a checkout built for tests (-Xswiftc -enable-testing) reuse that build.
swift build -c release ${BUILD_FLAGS:-} --product vlpart >/dev/null
bin=.build/release/vlpart
"$bin" synth "$WORK/data" --seed 0 --images 300 >/dev/null
"$bin" import paco "$WORK/data/source.json" --images "$WORK/data/images" --dataset source --role source --db "$WORK/s.sqlite" >/dev/null
"$bin" import coco "$WORK/data/target.json" --images "$WORK/data/images" --dataset target --role target --db "$WORK/s.sqlite" >/dev/null

export OPENBLAS_NUM_THREADS=2 VLPART_THREADS=2   # vlpart: 2 data shards, or 2 workers
args=(pretrain --objective mae --objects --arch nano --epochs 500 --db "$WORK/s.sqlite" --out "$WORK/m.safetensors")
"$bin" "${args[@]}" --max-steps 1 >/dev/null 2>&1
VL=$("$bin" "${args[@]}" --resume --max-steps "$STEPS" 2>/dev/null | sed -E 's/.*, ([0-9.]+) images\/s/\1/')
PT=$(THREADS=2 "$PY" bench/pretrain/mae_probe.py --data "$WORK/data" --steps $((STEPS + 1)) --out "$WORK/p.safetensors" 2>/dev/null | awk '/images\/s/ {print $2}')
echo "vlpart  images/s: $VL"
echo "pytorch images/s: $PT"
"$PY" -c "print(f'ratio vlpart/pytorch: {float($VL)/float($PT):.2f}x')"
