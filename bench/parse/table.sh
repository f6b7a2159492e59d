#!/usr/bin/env bash
# Issue 7's parsing table on the synthetic benchmark for one dataset seed:
# (prior, nn, cluster) × (pretrained checkpoint, random weights of the same architecture),
# novel-part mIoU and AP50 from `vlpart eval parse`, plus parse objects/s (features cached
# first by `features cache`, so objects/s is retrieval + correspondence + clustering + writes).
#
# Usage: bench/parse/table.sh [SEED]
#   MODEL=path/to/pretrained.safetensors (required: the checkpoint to measure; e.g. one made by
#         `vlpart pretrain --arch nano --epochs 60 --seed 0`)
#   ARCH=nano (architecture of MODEL, for the random-weights twin)   SIZE=64 (object crop, px)
#   STRIDE= (patch stride; empty: the patch size)  IMAGES=300 (scenes)  OUT=bench-out/parse
#   VLPART_BIN= (skip the release build and use this binary)  PARSE_FLAGS= (extra parse flags)
#   REVIEW=auto (approve every proposal, as proposed) or siblings (then, as a reviewer would,
#         borrow from the runner-up where it, not the proposal, is the designed sibling in
#         split.json: `taxonomy review --runner-up CAT`)
set -euo pipefail

seed=${1:-0}
: "${MODEL:?set MODEL to the pretrained checkpoint to measure}"
arch=${ARCH:-nano}
size=${SIZE:-64}
images=${IMAGES:-300}
out=${OUT:-bench-out/parse}/seed$seed
if [ -z "${VLPART_BIN:-}" ]; then
    swift build -c release >&2
    bin=.build/release/vlpart
else
    bin=$VLPART_BIN
fi
feature_flags=(--size "$size")
[ -n "${STRIDE:-}" ] && feature_flags+=(--stride "$STRIDE")
mkdir -p "$out"
log="$out/log.txt"
: > "$log"

[ -f "$out/data/target_gt.json" ] || "$bin" synth "$out/data" --seed "$seed" --images "$images" >>"$log" 2>&1
[ -f "$out/random.safetensors" ] || "$bin" pretrain --arch "$arch" --epochs 0 --seed 0 --out "$out/random.safetensors" >>"$log"

declare -A miou ap rate cov
for weights in pretrained random; do
    model=$MODEL
    [ "$weights" = random ] && model="$out/random.safetensors"
    db="$out/$weights.sqlite"
    rm -rf "$db" "$db-wal" "$db-shm" "$db.features"
    "$bin" init --db "$db" >>"$log"
    "$bin" import paco "$out/data/source.json" --images "$out/data/images" --dataset source --role source --db "$db" >>"$log" 2>&1
    "$bin" import coco "$out/data/target.json" --images "$out/data/images" --dataset target --role target --db "$db" >>"$log" 2>&1
    "$bin" features cache --model "$model" "${feature_flags[@]}" --db "$db" >>"$log" 2>&1
    "$bin" taxonomy propose --db "$db" >>"$log" 2>&1
    "$bin" taxonomy review --approve-all --min-score 0 --db "$db" >>"$log" 2>&1
    if [ "${REVIEW:-auto}" = siblings ]; then
        # Designed sibling per novel category, and the runner-up of each proposal.
        fixes=$(jq -r --argjson p "$("$bin" taxonomy propose --json --db "$db" 2>/dev/null || echo '{"proposals":[]}')" '
            [.categories[] | select(.sibling != null) | {key: .name, value: .sibling}] | from_entries as $sib
            | $p.proposals[] | select(.base != $sib[.target] and (.runner_up[0].category // "") == $sib[.target]) | .target' \
            "$out/data/split.json")
        for cat in $fixes; do "$bin" taxonomy review --runner-up "$cat" --db "$db" >>"$log" 2>&1; echo "reviewed: $cat ← runner-up" >>"$log"; done
    fi
    for method in prior nn cluster; do
        line=$("$bin" parse --model "$model" "${feature_flags[@]}" --method "$method" --run "$method" ${PARSE_FLAGS:-} --db "$db" 2>>"$log")
        echo "$weights $method: $line" >>"$log"
        rate[$weights,$method]=$(sed -n 's/.*; \([0-9.]*\) objects\/s.*/\1/p' <<<"$line")
    done
    "$bin" eval parse --gt "$out/data/target_gt.json" --run prior --run nn --run cluster --db "$db" | tee "$out/$weights.table.txt" >>"$log"
    json=$("$bin" eval parse --gt "$out/data/target_gt.json" --run prior --run nn --run cluster --json --db "$db")
    for method in prior nn cluster; do
        miou[$weights,$method]=$(jq -r ".runs[] | select(.run == \"$method\") | .miou" <<<"$json")
        ap[$weights,$method]=$(jq -r ".runs[] | select(.run == \"$method\") | .ap50" <<<"$json")
        cov[$weights,$method]=$(jq -r ".runs[] | select(.run == \"$method\") | .coverage" <<<"$json")
    done
done

echo "parse table, dataset seed $seed ($images scenes), size $size${STRIDE:+, stride $STRIDE}, review ${REVIEW:-auto}, model $MODEL vs random $arch"
printf '%-8s | %-28s | %-28s\n' method "pretrained: mIoU  AP50  obj/s" "random: mIoU  AP50  obj/s"
for method in prior nn cluster; do
    printf '%-8s | %16.1f %5.1f %6.1f | %12.1f %5.1f %6.1f\n' "$method" \
        "${miou[pretrained,$method]}" "${ap[pretrained,$method]}" "${rate[pretrained,$method]:-0}" \
        "${miou[random,$method]}" "${ap[random,$method]}" "${rate[random,$method]:-0}"
done
p=pretrained
awk -v c="${miou[$p,cluster]}" -v n="${miou[$p,nn]}" -v g="${miou[$p,prior]}" 'BEGIN {
    printf "targets (pretrained): cluster − nn = %+.1f (want ≥ +5), cluster − prior = %+.1f (want ≥ +10)\n", c - n, c - g }'
echo "per-part tables: $out/pretrained.table.txt, $out/random.table.txt; log: $log"
