#!/usr/bin/env bash
# bench/vit: vlpart vs PyTorch on the same machine and thread count, random weights of real sizes.
#   ViT-S/16 at 224, batch 8            fp32 (target >= 1.0x PyTorch fp32)
#   ViT-S/8 at 224, stride 4, batch 1   fp32 (3026 tokens, VLPart's parser setting; target >= 1.0x)
#   the same two with --precision bf16 when the CPU has AVX512-BF16 (target >= 1.6x PyTorch fp32;
#   also printed against PyTorch's own bf16 autocast)
# Usage: bench/vit/run.sh [seconds per measurement, default 10]. Models go to $VLPART_BENCH_DIR (/tmp).
# PYTHON names a Python with torch and safetensors (default /work/venv/bin/python).
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_EACH=${1:-10}
THREADS=${THREADS:-2}
PY=${PYTHON:-/work/venv/bin/python}
DIR=${VLPART_BENCH_DIR:-/tmp/vlpart-bench-vit}
swift build -c release --product vlpart >/dev/null
"$PY" bench/vit/pytorch_vit.py make "$DIR" >/dev/null
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg), threads: $THREADS"
.build/release/vlpart doctor | grep -E '^(cpu|blas)'
BF16=0
.build/release/vlpart doctor | grep -q avx512_bf16 && BF16=1

measure() {  # name, then the command; prints images/s and peak RSS (MB)
    local name=$1; shift
    local log; log=$(mktemp)
    /usr/bin/time -f "RSS_KB %M" "$@" >"$log" 2>&1 || { cat "$log"; exit 1; }
    local ips rss
    ips=$(grep 'images/s' "$log" | awk '{print $2}')
    rss=$(grep RSS_KB "$log" | awk '{printf "%.0f", $2/1024}')
    echo "$name: $ips images/s, peak RSS ${rss} MB" >&2
    echo "$ips $rss"
}

read -r v16 v16rss < <(measure "vlpart  S/16 b8" .build/release/vlpart bench features --model "$DIR/vits16.safetensors" --batch 8 --seconds "$SECONDS_EACH" --threads "$THREADS")
read -r t16 t16rss < <(measure "pytorch S/16 b8" "$PY" bench/vit/pytorch_vit.py time "$DIR/vits16.safetensors" --batch 8 --seconds "$SECONDS_EACH" --threads "$THREADS")
read -r v8 v8rss < <(measure "vlpart  S/8 s4" .build/release/vlpart bench features --model "$DIR/vits8.safetensors" --batch 1 --stride 4 --seconds "$SECONDS_EACH" --threads "$THREADS")
read -r t8 t8rss < <(measure "pytorch S/8 s4" "$PY" bench/vit/pytorch_vit.py time "$DIR/vits8.safetensors" --batch 1 --stride 4 --seconds "$SECONDS_EACH" --threads "$THREADS")
if ((BF16)); then
    read -r b16 _ < <(measure "vlpart  S/16 b8 bf16" .build/release/vlpart bench features --model "$DIR/vits16.safetensors" --batch 8 --seconds "$SECONDS_EACH" --threads "$THREADS" --precision bf16)
    read -r a16 _ < <(measure "pytorch S/16 b8 bf16 autocast" "$PY" bench/vit/pytorch_vit.py time "$DIR/vits16.safetensors" --batch 8 --seconds "$SECONDS_EACH" --threads "$THREADS" --bf16)
    read -r b8 _ < <(measure "vlpart  S/8 s4 bf16" .build/release/vlpart bench features --model "$DIR/vits8.safetensors" --batch 1 --stride 4 --seconds "$SECONDS_EACH" --threads "$THREADS" --precision bf16)
    read -r a8 _ < <(measure "pytorch S/8 s4 bf16 autocast" "$PY" bench/vit/pytorch_vit.py time "$DIR/vits8.safetensors" --batch 1 --stride 4 --seconds "$SECONDS_EACH" --threads "$THREADS" --bf16)
    peak16=$("$PY" bench/vit/pytorch_vit.py peak --threads "$THREADS" --bf16 | awk '{print $2}')
fi
peak=$("$PY" bench/vit/pytorch_vit.py peak --threads "$THREADS" | awk '{print $2}')
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
# Forward FLOPs per image (2 per multiply-add): 12 blocks of qkv, proj, MLP and the two
# attention products, plus the patch embedding. ViT-S/16 at 224: 197 tokens; S/8 stride 4: 3026.
flops() {  # tokens, patch grid cells, patch size
    awk -v n="$1" -v g="$2" -v p="$3" 'BEGIN { d = 384; h = 6
        block = 2 * n * d * (3 * d) + 2 * n * d * d + 2 * 2 * n * d * (4 * d) + 2 * 2 * h * n * n * (d / h)
        printf "%.3f", (12 * block + 2 * g * (3 * p * p) * d) / 1e9 }'
}
f16=$(flops 197 196 16); f8=$(flops 3026 3025 8)
awk -v v="$v16" -v t="$t16" -v f="$f16" -v p="$peak" -v v8="$v8" -v t8="$t8" -v f8="$f8" 'BEGIN {
    printf "arithmetic rate (GFLOP/s; FP32 matmul ceiling of this machine: %.0f):\n", p
    printf "  S/16 b8 (%.2f GFLOP/image): vlpart %.0f, pytorch %.0f\n", f, v * f, t * f
    printf "  S/8 s4  (%.1f GFLOP/image): vlpart %.0f, pytorch %.0f\n", f8, v8 * f8, t8 * f8 }'
awk -v a="$v16" -v b="$t16" 'BEGIN { printf "ViT-S/16 224 batch 8 fp32: vlpart/pytorch = %.2fx (target 1.0x)\n", a / b }'
awk -v a="$v8" -v b="$t8" -v r="$v8rss" 'BEGIN { printf "ViT-S/8 stride 4 fp32:     vlpart/pytorch = %.2fx (target 1.0x), vlpart peak RSS %d MB\n", a / b, r }'
if ((BF16)); then
    awk -v p="$peak16" -v v="$b16" -v f="$f16" -v v8="$b8" -v f8="$f8" 'BEGIN {
        printf "bf16 (GFLOP/s; bf16 matmul ceiling of this machine: %.0f): S/16 b8 vlpart %.0f, S/8 s4 vlpart %.0f\n", p, v * f, v8 * f8 }'
    awk -v a="$b16" -v b="$t16" -v c="$a16" 'BEGIN { printf "ViT-S/16 224 batch 8 bf16: vlpart/pytorch fp32 = %.2fx (target 1.6x), vlpart/pytorch bf16 autocast = %.2fx\n", a / b, a / c }'
    awk -v a="$b8" -v b="$t8" -v c="$a8" 'BEGIN { printf "ViT-S/8 stride 4 bf16:     vlpart/pytorch fp32 = %.2fx (target 1.6x), vlpart/pytorch bf16 autocast = %.2fx\n", a / b, a / c }'
else
    echo "bf16 rows skipped: this CPU has no AVX512-BF16 (vlpart doctor)"
fi
