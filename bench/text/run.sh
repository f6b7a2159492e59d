#!/usr/bin/env bash
# Text encoder throughput: vlpart (Swift, OpenBLAS) vs sentence-transformers (PyTorch) on CPU,
# embedding 1,000 category names with the same number of threads; prints phrases/s and the ratio.
#
#   bench/text/run.sh                                   # threads = all cores
#   THREADS=1 bench/text/run.sh
#   VLPART_BIN=.build/release/vlpart bench/text/run.sh  # skip the build
set -euo pipefail
cd "$(dirname "$0")/../.."
THREADS=${THREADS:-$(nproc)}
PYTHON=${PYTHON:-/work/venv/bin/python}
[ -x "$PYTHON" ] || PYTHON=python3
if [ -n "${VLPART_BIN:-}" ]; then
    BIN=$VLPART_BIN
else
    swift build -c release --product vlpart >/dev/null
    BIN=.build/release/vlpart
fi
exec "$PYTHON" bench/text/compare.py "$BIN" "$THREADS"
