#!/usr/bin/env bash
# Runs bench/tuner-trace in rounds, alternately on the TypeScript of an earlier revision and of
# this tree, both with this tree's addon (so only the library code differs):
#
#   bench/tuner-trace/compare.sh <revision> [rounds, default 5] [tuner-trace options...]
#
# The earlier revision is checked out in a temporary worktree that uses this tree's
# node_modules; per-second throughput lines are left out. Needs `npm run build` first.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
rev="$1"
rounds="${2:-5}"
shift $(($# < 2 ? $# : 2))
addon="$(cd "$root" && node -e "console.log(require('node-gyp-build').path('.'))")"
before="$(mktemp -d)"
trap 'git -C "$root" worktree remove --force "$before" >/dev/null 2>&1 || true' EXIT
git -C "$root" worktree add --detach "$before" "$rev" >/dev/null 2>&1
ln -s "$root/node_modules" "$before/node_modules"
for r in $(seq 1 "$rounds"); do
  for which in before after; do
    dir="$root"
    [ "$which" = before ] && dir="$before"
    echo "=== round $r $which ($([ "$which" = before ] && echo "$rev" || git -C "$root" rev-parse --short HEAD)) $(date +%T)"
    (cd "$dir" && THP_AUTOTUNE_NATIVE="$addon" npx vite-node bench/tuner-trace/index.ts "$@" 2>&1 | grep -v " writes ")
  done
done
