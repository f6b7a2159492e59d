#!/usr/bin/env bash
# Training images/s of `vlpart pretrain` vs a PyTorch CPU DINO loop (bench/pretrain_pytorch.py)
# for the same tiny ViT (patch 8, width 192, depth 6, 3 heads), crops (2×64 px + 6×32 px) and
# batch (32), both on 2 threads, on this machine. Prints both rates and their ratio.
# Usage: bench/pretrain_vs_pytorch.sh [steps]   (default 4 timed steps; run briefly, once)
set -euo pipefail
cd "$(dirname "$0")/.."
STEPS=${1:-4}
PY=${PYTHON:-/work/venv/bin/python}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# BUILD_FLAGS lets a checkout built for tests (-Xswiftc -enable-testing) reuse that build.
swift build -c release ${BUILD_FLAGS:-} --product vlpart >/dev/null
# 64 structured 96-px images (discs and bars on two-tone backgrounds), identical for both sides.
"$PY" - "$WORK/images" <<'PYEOF'
import os, sys, random
from PIL import Image, ImageDraw
out = sys.argv[1]; os.makedirs(out)
rnd = random.Random(0)
for i in range(64):
    im = Image.new("RGB", (96, 96), tuple(rnd.randrange(0, 120) for _ in range(3)))
    d = ImageDraw.Draw(im)
    d.rectangle([0, 48, 96, 96], fill=tuple(rnd.randrange(0, 90) for _ in range(3)))
    x, y, r = rnd.randrange(20, 76), rnd.randrange(20, 76), rnd.randrange(8, 24)
    d.ellipse([x - r, y - r, x + r, y + r], fill=tuple(rnd.randrange(100, 256) for _ in range(3)))
    bx = rnd.randrange(0, 90); d.rectangle([bx, 0, bx + 5, 96], fill=(230, 230, 230))
    im.save(f"{out}/{i:03d}.png")
PYEOF

# vlpart: one warm-up step (checkpointed), then STEPS timed steps resumed from it.
export OPENBLAS_NUM_THREADS=2 VLPART_THREADS=2   # vlpart: 2 data shards, or 2 workers
.build/release/vlpart pretrain --images "$WORK/images" --arch tiny --batch 32 --epochs 1000 \
    --out "$WORK/m.safetensors" --max-steps 1 >/dev/null 2>&1
VL=$(.build/release/vlpart pretrain --images "$WORK/images" --arch tiny --batch 32 --epochs 1000 \
    --out "$WORK/m.safetensors" --resume --max-steps "$STEPS" 2>/dev/null | sed -E 's/.*, ([0-9.]+) images\/s/\1/')
PT=$("$PY" bench/pretrain_pytorch.py --images "$WORK/images" --steps "$STEPS" --threads 2 | awk '{print $2}')
echo "vlpart  images/s: $VL"
echo "pytorch images/s: $PT"
"$PY" -c "print(f'ratio vlpart/pytorch: {float($VL)/float($PT):.2f}x')"
