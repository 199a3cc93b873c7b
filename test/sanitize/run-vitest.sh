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

# error-event.test.ts runs its children out of file descriptors on purpose. UBSan's vptr
# check then reports every virtual call as "invalid vptr" ("memory cannot be printed"):
# the runtime tests that a vtable is readable by writing it into a pipe(2), which fails
# with EMFILE. Only that file runs with vptr reports suppressed (ubsan-no-fds.supp); every
# other check, and vptr everywhere else, stays on.
exhausting=test/monitor/error-event.test.ts
status=0
npx vitest run --exclude "$exhausting" test/memory test/monitor test/tuner test/procfs test/native test/simulator || status=1
UBSAN_OPTIONS="${UBSAN_OPTIONS/ubsan.supp/ubsan-no-fds.supp}" npx vitest run "$exhausting" || status=1
thp_sanitizer_reports "$reports" || status=1
exit "$status"
