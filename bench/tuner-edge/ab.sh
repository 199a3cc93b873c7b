#!/usr/bin/env bash
# Cold units collapsed at the edges of a read-hot set, build against build: the real-memory READ
# tuner test's child (test/tuner/fixtures/tuner-child.cjs: a 2 GiB buffer, its units 256..383
# read continuously, the rest touched once; the tuner's default source and intervals, a 500 ms
# time quota, an access-rate minimum of 20%) run with each build in turn, round by round.
#
#   bench/tuner-edge/ab.sh <rounds> <spinners> <out.jsonl> <name>=<dist/index.cjs> ...
#   node bench/tuner-edge/table.cjs <out.jsonl>
#
# Builds to compare: `npm run build:ts`, then copy dist/ to a directory inside the package
# (the addon is found from the package root) before switching the source tree.
set -u
rounds=$1; spinners=$2; out=$3; shift 3
cd "$(dirname "$0")/../.."
node -e 'const os=require("os");console.log(`CPU: ${os.cpus()[0].model}, ${os.cpus().length} CPUs; kernel ${os.release()}; spinners ${process.argv[1]}`)' "$spinners" >&2
pids=()
for ((s = 0; s < spinners; s++)); do node -e 'for(;;){}' & pids+=($!); done
for ((r = 1; r <= rounds; r++)); do
  for pair in "$@"; do
    name=${pair%%=*}; entry=${pair#*=}
    line=$(node test/tuner/fixtures/tuner-child.cjs "$entry" 500ms 20000 20% '' read | tail -1)
    echo "{\"round\":$r,\"variant\":\"$name\",\"spinners\":$spinners,\"out\":$line}" >> "$out"
  done
done
if [ ${#pids[@]} -gt 0 ]; then kill "${pids[@]}"; fi
