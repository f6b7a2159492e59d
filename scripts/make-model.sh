#!/usr/bin/env bash
# Regenerates the checkpoint shipped in models/: masked-autoencoder pretraining of the nano ViT on
# the object crops of the default synthetic benchmark (vlpart synth, seed 0, 300 scenes: its base
# and novel objects, boxes only; no part labels are read). `make model` runs it.
# The recipe's flags are written once here (models/RECIPE) and recorded in models/README.md.
# Usage: scripts/make-model.sh [OUT]   (VLPART_BIN picks the binary)
set -euo pipefail
bin=${VLPART_BIN:-.build/release/vlpart}
out=${1:-models/vlpart-mae-nano-synth.safetensors}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$bin" synth "$work/data" --seed 0 --images 300
"$bin" import paco "$work/data/source.json" --images "$work/data/images" --dataset source --role source --db "$work/s.sqlite"
"$bin" import coco "$work/data/target.json" --images "$work/data/images" --dataset target --role target --db "$work/s.sqlite"
"$bin" pretrain --objects $(cat models/RECIPE) --db "$work/s.sqlite" --out "$out" --checkpoint "$work/ckpt.safetensors"
ls -l "$out"
