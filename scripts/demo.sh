#!/usr/bin/env bash
# The main job on the built-in synthetic dataset, end to end with what vlpart has today:
# synthesise → import source, target and class folders → pretrain a small DINO ViT →
# cache object features → propose and approve borrowed taxonomies → parse → export.
# Usage: scripts/demo.sh [OUT_DIR]   (default ./vlpart-demo; VLPART_BIN picks the binary)
set -euo pipefail

out=${1:-vlpart-demo}
bin=${VLPART_BIN:-.build/release/vlpart}
images=${DEMO_IMAGES:-300}
epochs=${DEMO_EPOCHS:-10}
db="$out/vlpart.sqlite"
mkdir -p "$out"

step() { printf '\n== %s\n' "$*"; }
start=$(date +%s)

step "synthesise $images scenes (seed 0)"
"$bin" synth "$out/data" --seed 0 --images "$images"

step "import source (base objects with parts), target (novel objects) and class folders"
"$bin" init --db "$db" >/dev/null
"$bin" import paco "$out/data/source.json" --images "$out/data/images" --dataset synth-source --role source --db "$db"
"$bin" import coco "$out/data/target.json" --images "$out/data/images" --dataset synth-target --role target --db "$db"
"$bin" import folder "$out/data/folder" --dataset synth-folder --role target --db "$db"

model="$out/dino-nano.safetensors"
if [ ! -f "$model" ]; then
    step "pretrain a nano DINO ViT on the synthetic images ($epochs epochs)"
    "$bin" pretrain --images "$out/data/images" --arch nano --epochs "$epochs" --batch 32 --seed 0 --out "$model"
fi

step "cache object features (CLS, key descriptors, saliency)"
"$bin" features cache --model "$model" --size 64 --db "$db"

step "propose borrowed taxonomies for the novel categories and approve them"
"$bin" taxonomy propose --db "$db"
"$bin" taxonomy review --approve-all --min-score 0 --db "$db"

step "parse the target objects into parts"
# --shard 0/1 joins the run "demo" when an earlier demo created it, so a rerun resumes it.
"$bin" parse --model "$model" --size 64 --run demo --shard 0/1 --db "$db"

step "score the parsed labels against the held-out novel parts, and export them"
"$bin" eval parse --gt "$out/data/target_gt.json" --db "$db" | tail -1
"$bin" export coco "$out/parsed.json" --source parsed --db "$db"
"$bin" stats --db "$db" | sed -n 1,5p    # sed reads everything: no SIGPIPE under pipefail

printf '\ndemo finished in %ss; store: %s\n' "$(( $(date +%s) - start ))" "$db"
