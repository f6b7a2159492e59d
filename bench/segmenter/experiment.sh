#!/usr/bin/env bash
# Issue 8's experiment on the synthetic benchmark (seed 0): does training on parsed novel parts
# make a better open-vocabulary segmenter?
#   (a) base gold labels only; (b) base gold + parsed novel labels (weak, --parsed-weight);
#   (c) base gold + parsed labels scoring at least --min-score, counted as accepted (weight 1).
# All three are scored on a held-out synthetic set (seed 1) with the full vocabulary (base and
# novel objects and parts together): base parts from its source.json, novel from target_gt.json.
# Then the open-vocabulary check: model (b) with unseen wordings for the novel objects.
#
# Usage: bench/segmenter/experiment.sh [WORKDIR]   (default /work/exp/segmenter)
# Env: VLPART_BIN, MODEL (ViT; default the shipped models/vlpart-mae-nano-synth.safetensors),
#      DATA (seed-0 synth set; default /work/exp/data, else synthesised), EPOCHS, SIZE, STRIDE,
#      PARSE_SIZE, PARSE_STRIDE, PARSED_WEIGHT, MIN_SCORE, HIDDEN, BLOCKS, BATCH, FACET, LAYER.
set -euo pipefail
cd "$(dirname "$0")/../.."
work=${1:-/work/exp/segmenter}
bin=${VLPART_BIN:-.build/release/vlpart}
[ -x "$bin" ] || swift build -c release >&2
epochs=${EPOCHS:-15}; size=${SIZE:-112}; stride=${STRIDE:-4}; hidden=${HIDDEN:-256}; blocks=${BLOCKS:-3}; batch=${BATCH:-2}; facet=${FACET:-token}; layer=${LAYER:-}
parse_size=${PARSE_SIZE:-64}; parse_stride=${PARSE_STRIDE:-4}; weight=${PARSED_WEIGHT:-0.1}; min_score=${MIN_SCORE:-0.3}
novel=dog,sparrow,bus,jar
mkdir -p "$work"
db="$work/store.sqlite"
log="$work/experiment.log"
say() { printf '== %s\n' "$*" >&2; }

data=${DATA:-/work/exp/data}
if [ ! -f "$data/source.json" ]; then data="$work/data"; [ -f "$data/source.json" ] || "$bin" synth "$data" --seed 0 --images 300 >&2; fi
test="$work/test"
[ -f "$test/target_gt.json" ] || { say "held-out test set (synth seed 1)"; "$bin" synth "$test" --seed 1 --images 300 >&2; }
model=${MODEL:-models/vlpart-mae-nano-synth.safetensors}
if [ ! -f "$model" ]; then
    model="$work/nano5.safetensors"
    [ -f "$model" ] || { say "pretrain a nano ViT (5 epochs)"; "$bin" pretrain --images "$data/images" --arch nano --epochs 5 --batch 32 --seed 0 --out "$model" >&2; }
fi

if [ ! -f "$db" ]; then
    say "import the seed-0 set"
    "$bin" init --db "$db" >/dev/null
    "$bin" import paco "$data/source.json" --images "$data/images" --dataset synth-source --role source --db "$db" >&2
    "$bin" import coco "$data/target.json" --images "$data/images" --dataset synth-target --role target --db "$db" >&2
    "$bin" import folder "$data/folder" --dataset synth-folder --role target --db "$db" >&2
fi
run=p$parse_size-st$parse_stride
if ! "$bin" eval parse --gt "$data/target_gt.json" --run "$run" --db "$db" >/dev/null 2>&1; then
    say "parse the target objects (as scripts/demo.sh: features cache, taxonomy propose, approve, parse)"
    "$bin" features cache --model "$model" --size "$parse_size" --stride "$parse_stride" --db "$db" >&2
    "$bin" taxonomy propose --db "$db" >&2
    "$bin" taxonomy review --approve-all --min-score 0 --db "$db" >&2
    "$bin" parse --model "$model" --size "$parse_size" --stride "$parse_stride" --run "$run" --shard 0/1 --db "$db" >&2
fi
parse_line=$("$bin" eval parse --gt "$data/target_gt.json" --run "$run" --db "$db" | tail -1)

common=(--db "$db" --model "$model" --size "$size" --epochs "$epochs" --hidden "$hidden" --blocks "$blocks" --batch "$batch" --facet "$facet" --seed 0 --json)
[ -n "$layer" ] && common+=(--layer "$layer")
[ -n "$stride" ] && common+=(--stride "$stride")
tag="s$size${stride:+-st$stride}-e$epochs-h$hidden-k$blocks-b$batch-w$weight"
[ "$facet" = token ] || tag+="-$facet"
[ -n "$layer" ] && tag+="-l$layer"
train() {  # name, extra flags...
    local name=$1; shift
    local out="$work/seg-$name-$tag.safetensors"
    if [ ! -f "$work/train-$name-$tag.json" ]; then
        say "train ($name): $*"
        "$bin" train "${common[@]}" --out "$out" "$@" > "$work/train-$name-$tag.json"
    fi
    echo "$out"
}
seg_a=$(train a --include gold)
seg_b=$(train b --include gold,parsed --run "$run" --parsed-weight "$weight")
seg_c=$(train c --include gold,parsed --run "$run" --min-score "$min_score" --parsed-weight 1)

evaluate() {  # model, output json, extra flags...
    local m=$1 out=$2; shift 2
    [ -f "$out" ] || "$bin" eval seg --model "$m" --gt "$test/source.json" --gt "$test/target_gt.json" \
        --images "$test/images" --novel "$novel" --cache "$work/evalcache" --json "$@" > "$out"
}
for x in a b c; do m=seg_$x; say "evaluate ($x)"; evaluate "${!m}" "$work/eval-$x-$tag.json"; done
say "open-vocabulary check: model (b) with unseen wordings"
evaluate "$seg_b" "$work/eval-b-alias-$tag.json" --alias dog=puppy --alias bus=coach --alias sparrow=finch --alias jar=pot

/work/venv/bin/python - "$work" "$tag" "$parse_line" "$weight" "$min_score" <<'PY' | tee "$log"
import json, sys
work, tag, parse_line, weight, min_score = sys.argv[1:]
def load(name): return json.load(open(f"{work}/{name}-{tag}.json"))
print(f"settings: {tag}; parsed labels on the training set: {parse_line}")
print(f"{'model':<44} {'base mIoU':>9} {'novel mIoU':>10} {'base AP50':>9} {'novel AP50':>10} {'pix acc':>7}")
rows = {"a": "(a) base gold only", "b": f"(b) + parsed novel (weight {weight})", "c": f"(c) + parsed score>={min_score} (as accepted)"}
res = {}
for k, label in rows.items():
    e, t = load(f"eval-{k}"), load(f"train-{k}")
    res[k] = e
    print(f"{label:<44} {e['base_miou']:9.1f} {e['novel_miou']:10.1f} {e['base_ap50']:9.1f} {e['novel_ap50']:10.1f} {e['pixel_accuracy']:7.1f}"
          f"   ({t['train_images']} train imgs, {t['epochs_run']} epochs)")
a, b, c = res["a"], res["b"], res["c"]
ratio = lambda x, y: f"{x / y:.2f}x" if y > 0 else "inf"
print(f"(b)-(a): novel mIoU {b['novel_miou'] - a['novel_miou']:+.1f} points ({ratio(b['novel_miou'], a['novel_miou'])}), "
      f"base mIoU {b['base_miou'] - a['base_miou']:+.1f}; novel AP50 {a['novel_ap50']:.1f} -> {b['novel_ap50']:.1f}")
print(f"(c)-(a): novel mIoU {c['novel_miou'] - a['novel_miou']:+.1f} points, base mIoU {c['base_miou'] - a['base_miou']:+.1f}")
o = load("eval-b-alias")
print(f"open vocabulary, model (b), novel objects worded puppy/coach/finch/pot: novel mIoU {o['novel_miou']:.1f} "
      f"(original names {b['novel_miou']:.1f}; chance: random part inside the true object mask {o['chance_novel_miou']:.1f})")
PY
