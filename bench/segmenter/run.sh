#!/usr/bin/env bash
# Segmenter head speed: training steps/s on cached features and segment images/s at 224 px,
# vlpart (Swift, OpenBLAS) vs the same head in PyTorch CPU, same thread count, same machine.
# Sizes: nano ViT features (28×28 patches of 96-d at 224 px), hidden 256, 3 spatial blocks, MiniLM 384-d,
# 16 object + 89 part classes, 2 images per step.
# Usage: bench/segmenter/run.sh   (THREADS=n to change the thread count, default 2)
set -euo pipefail
cd "$(dirname "$0")/../.."
threads=${THREADS:-2}
[ -x .build/release/vlpart ] || swift build -c release >&2
bin=.build/release/vlpart
python=${PYTHON:-/work/venv/bin/python}
export OPENBLAS_NUM_THREADS=$threads OMP_NUM_THREADS=$threads VLPART_THREADS=$threads
swift_out=$("$bin" bench-segmenter --repeat 10)
torch_out=$("$python" bench/segmenter/head_pytorch.py --threads "$threads" --repeat 10)
get() { echo "$1" | awk -v k="$2" '$1 == k { print $2 }'; }
printf '%-22s %10s %10s %8s\n' measure vlpart pytorch ratio
for k in train_steps_per_s segment_images_per_s; do
    s=$(get "$swift_out" $k); t=$(get "$torch_out" $k)
    printf '%-22s %10.2f %10.2f %7.2fx\n' "$k" "$s" "$t" "$(echo "$s / $t" | bc -l)"
done
echo "threads: $threads; ratio > 1 means vlpart is faster"
