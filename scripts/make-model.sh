#!/usr/bin/env bash
# Regenerates the checkpoint shipped in models/: DINO self-supervised pretraining of the nano ViT
# on the default synthetic benchmark (vlpart synth, seed 0, 300 scenes). `make model` runs it.
# The recipe's flags are written once here and recorded in models/README.md.
# Usage: scripts/make-model.sh [OUT]   (VLPART_BIN picks the binary)
set -euo pipefail
bin=${VLPART_BIN:-.build/release/vlpart}
out=${1:-models/vlpart-dino-nano-synth.safetensors}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$bin" synth "$work/data" --seed 0 --images 300
"$bin" pretrain --images "$work/data/images" $(cat models/RECIPE) --out "$out" --checkpoint "$work/ckpt.safetensors"
ls -l "$out"
