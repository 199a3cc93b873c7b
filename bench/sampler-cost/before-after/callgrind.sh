#!/usr/bin/env bash
# Instructions and simulated cache misses of the sim source's sampling, per aggregation, for
# one build: valgrind's callgrind counting only inside MonitorRunner::Step (stepped) or
# MonitorRunner::Loop (the monitor's own thread). Needs an unstripped build (build/Release,
# as `npm ci` makes it; not the stripped prebuild).
#   bench/sampler-cost/before-after/callgrind.sh <dist/index.cjs> <GiB> step <samples>
#   bench/sampler-cost/before-after/callgrind.sh <dist/index.cjs> <GiB> run <seconds>
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
entry=$1 gib=$2 mode=$3 count=$4
function=$([ "$mode" = step ] && echo '*MonitorRunner::Step*' || echo '*MonitorRunner::Loop*')
out=$(mktemp)
valgrind --tool=callgrind --cache-sim=yes --toggle-collect="$function" --callgrind-out-file="$out.cg" \
  node --jitless "$here/sim-monitor.cjs" "$entry" "$gib" "$mode" "$count" > "$out" 2>&1
aggregations=$(grep -oE '^[0-9]+ aggregations' "$out" | cut -d' ' -f1)
# "Collected : Ir Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw"
read -r ir dr dw i1 d1r d1w ilm dlr dlw < <(grep -oE 'Collected : .*' "$out" | cut -d: -f2)
echo "$mode $gib GiB: $aggregations aggregations; per aggregation: $((ir / aggregations)) instructions, $(((dr + dw) / aggregations)) data refs, $(((d1r + d1w) / aggregations)) D1 misses, $(((dlr + dlw) / aggregations)) LL misses"
rm -f "$out" "$out.cg"
