#!/usr/bin/env bash
# npm run test:tsan / test:lsan: test/sanitize/lifecycle.mjs as plain node processes against a
# sanitizer build of the addon (vitest itself does not survive TSan, and LSan needs a process
# that ends after everything stopped).
#   tsan: ThreadSanitizer build; the cycles (without the worker_threads round, see
#         lifecycle.mjs), an exit while everything runs, and a natural end while everything
#         runs (the monitor threads, ThreadSafeFunction hand-offs and every stop path).
#   lsan: the AddressSanitizer build with leak detection at exit; the cycles (every object
#         stopped and collected) and the error paths in them. Node's own leaks are suppressed
#         (lsan.supp, one reason per entry).
# Fails on any report or a non-zero exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
source test/sanitize/env.sh

case "${1:-}" in
  tsan) build=tsan kind=thread runs=("3 --no-worker" "--exit-running" "--end-running") ;;
  lsan) build=asan kind=address runs=("3") ;;
  *) echo "usage: $0 tsan|lsan" >&2; exit 2 ;;
esac
addon="$(test/sanitize/build.sh "$build")"
npm run build:ts
reports="$PWD/build-$build/reports-$1"
thp_sanitizer_env "$kind" "$addon" "$reports"
[ "$1" = lsan ] && export ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=1"
status=0
for run in "${runs[@]}"; do
  echo "== $1: node test/sanitize/lifecycle.mjs $run"
  # shellcheck disable=SC2086 # a run is its arguments, split on purpose
  node --expose-gc test/sanitize/lifecycle.mjs $run || { echo "error: exit $? from lifecycle.mjs $run" >&2; status=1; }
done
thp_sanitizer_reports "$reports" || status=1
exit "$status"
