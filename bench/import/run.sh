#!/usr/bin/env bash
# bench/import: `vlpart import coco` vs `pycocotools.coco.COCO(file)` on a PACO-sized file
# (≥ 1,000,000 RLE annotations). Prints wall time and peak RSS of each and the ratio.
# Usage: bench/import/run.sh [ANNOTATIONS]   (PYTHON defaults to /work/venv/bin/python)
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-1000000}
PYTHON=${PYTHON:-/work/venv/bin/python}
WORK=${WORK:-$(mktemp -d /tmp/vlpart-bench-import.XXXX)}
FILE="$WORK/big_$N.json"

[ -n "${SKIP_BUILD:-}" ] || swift build -c release --product vlpart >&2   # SKIP_BUILD=1 reuses .build/release/vlpart
[ -f "$FILE" ] || { echo "generating $FILE" >&2; "$PYTHON" bench/import/make_big_coco.py "$FILE" --annotations "$N"; }
ls -l "$FILE" >&2

measure() {  # prints "seconds peak_kib"
    /usr/bin/time -f "%e %M" -o "$WORK/time.txt" "$@" > "$WORK/out.txt" 2> "$WORK/err.txt" || { cat "$WORK/err.txt" >&2; exit 1; }
    cat "$WORK/time.txt"
}

rm -f "$WORK/bench.sqlite"*
read -r PY_S PY_KB < <(measure "$PYTHON" -c "import sys; from pycocotools.coco import COCO; COCO(sys.argv[1])" "$FILE")
read -r VL_S VL_KB < <(measure .build/release/vlpart import coco "$FILE" --images "$WORK/images" --dataset bench \
    --role source --db "$WORK/bench.sqlite")
tail -3 "$WORK/out.txt" >&2

echo "annotations: $N  file: $(du -h "$FILE" | cut -f1)"
echo "pycocotools COCO(file): ${PY_S} s, peak RSS $((PY_KB / 1024)) MiB"
echo "vlpart import coco:     ${VL_S} s, peak RSS $((VL_KB / 1024)) MiB (store $(du -h "$WORK/bench.sqlite" | cut -f1))"
awk -v a="$VL_S" -v b="$PY_S" -v c="$VL_KB" -v d="$PY_KB" \
    'BEGIN { printf "ratio vlpart/pycocotools: time %.2f×, peak RSS %.2f×\n", a / b, c / d }'
rm -f "$WORK/bench.sqlite"*
