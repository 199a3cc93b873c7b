#!/usr/bin/env bash
# npm run test:sanitize: the addon built with AddressSanitizer + UndefinedBehaviorSanitizer
# through the cmake-js developer build (build-asan/), and the test files that exercise native
# code run against it (THP_AUTOTUNE_NATIVE). Fails on a failing test or on any sanitizer
# report, including one written by a child process that a test spawned.
set -euo pipefail
cd "$(dirname "$0")/../.."
source test/sanitize/env.sh

addon="$(test/sanitize/build.sh asan)"
# Tests that spawn children use the built JS entry (dist/), which must be current.
npm run build:ts
reports="$PWD/build-asan/reports"
thp_sanitizer_env address "$addon" "$reports"

# Left out: error-event.test.ts runs its children out of file descriptors on purpose, and the
# UBSan runtime then reports every virtual call as "invalid vptr" ("memory cannot be
# printed"): it tests that a vtable is readable by writing it into a pipe(2), which fails with
# EMFILE; it cannot read a suppressions file then either.
excluded=test/monitor/error-event.test.ts
# Progress within a time: these two wait for the tuner to collapse real memory (until 20 s pass
# without progress; up to 40 s for the script), and with the instrumented sampler on 2 busy vCPUs
# a write-hot set can measure below the schemes' access rate for that long. They run for their
# sanitizer reports; what they assert is checked by npm test.
timed=(test/tuner/real-memory.test.ts test/tuner/tune-cli.test.ts)
status=0
npx vitest run --exclude "$excluded" --exclude "${timed[0]}" --exclude "${timed[1]}" \
  test/memory test/monitor test/tuner test/procfs test/native test/simulator || status=1
if ! npx vitest run "${timed[@]}"; then
  echo "NOTE: ${timed[*]} missed a wall-clock bound under ASan (see above); only sanitizer reports count for them here"
fi
thp_sanitizer_reports "$reports" || status=1
exit "$status"
