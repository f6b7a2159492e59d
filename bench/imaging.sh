#!/usr/bin/env bash
# Compares vlpart's JPEG decode, PNG decode and bilinear resize with Pillow on the same files,
# on this machine, and prints time ratios (vlpart / Pillow; below 1 means vlpart is faster).
# Usage: bench/imaging.sh [repeat]   (needs a Python with Pillow and scikit-image: $PYTHON;
#        VLPART_BIN=path skips the build)
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-/work/venv/bin/python}
REPEAT=${1:-20}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

if [ -n "${VLPART_BIN:-}" ]; then
    BIN=$VLPART_BIN           # an already built release binary
else
    swift build -c release --product vlpart >/dev/null
    BIN=$(swift build -c release --show-bin-path)/vlpart
fi

# A 1024x768 photograph (scikit-image's chelsea, upscaled) as JPEG (q90) and PNG.
"$PYTHON" - "$WORK" <<'PY'
import sys
from PIL import Image
from skimage import data
im = Image.fromarray(data.chelsea()).resize((1024, 768), Image.BICUBIC)
im.save(f"{sys.argv[1]}/photo.jpg", quality=90)
im.save(f"{sys.argv[1]}/photo.png")
PY

RESIZE="512x384,224x224,2048x1536"
cat > "$WORK/pillow.py" <<'PY'
import io, sys, time
from PIL import Image
work, targets, repeat = sys.argv[1], sys.argv[2].split(","), int(sys.argv[3])
def median(body):
    body()
    times = []
    for _ in range(repeat):
        t = time.perf_counter(); body(); times.append((time.perf_counter() - t) * 1e3)
    return sorted(times)[len(times) // 2]
jpeg, png = open(f"{work}/photo.jpg", "rb").read(), open(f"{work}/photo.png", "rb").read()
print("jpeg_decode %.3f" % median(lambda: Image.open(io.BytesIO(jpeg)).load()))
print("png_decode %.3f" % median(lambda: Image.open(io.BytesIO(png)).load()))
im = Image.open(io.BytesIO(jpeg)); im.load()
for t in targets:
    w, h = map(int, t.split("x"))
    print("resize_bilinear_%s %.3f" % (t, median(lambda: im.resize((w, h), Image.BILINEAR))))
PY

# Two allocator settings for both processes: glibc's defaults (each large buffer is fresh
# mmap'd memory, so page faults are timed too) and with freed memory kept for reuse
# (what a long-running pipeline sees once warm).
run() {
    "$BIN" bench-imaging --jpeg "$WORK/photo.jpg" --png "$WORK/photo.png" --resize "$RESIZE" --repeat "$REPEAT" > "$WORK/swift.txt"
    "$PYTHON" "$WORK/pillow.py" "$WORK" "$RESIZE" "$REPEAT" > "$WORK/pillow.txt"
    printf "%-28s %10s %10s %8s\n" measurement "vlpart ms" "Pillow ms" ratio
    join <(sort "$WORK/swift.txt") <(sort "$WORK/pillow.txt") | while read -r name s p; do
        printf "%-28s %10.3f %10.3f %8.2f\n" "$name" "$s" "$p" "$(echo "$s / $p" | bc -l)"
    done
}
echo "1024x768 RGB photo, median of $REPEAT runs, single thread each; ratio = vlpart / Pillow"
echo "== glibc malloc defaults"
run
echo "== MALLOC_MMAP_THRESHOLD_/MALLOC_TRIM_THRESHOLD_=256 MiB (buffers reused)"
export MALLOC_MMAP_THRESHOLD_=268435456 MALLOC_TRIM_THRESHOLD_=268435456
run
