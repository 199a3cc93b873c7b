#!/usr/bin/env bash
# Formats the C and C++ sources with clang-format (.clang-format), or with --check reports the
# files that are not formatted and exits 1. The files are git's list, so build output and
# node_modules are never touched. clang-format comes from Debian's clang-format package.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v clang-format >/dev/null; then
  echo "clang-format is not installed (Debian: apt-get install clang-format)" >&2
  exit 1
fi
mapfile -t files < <(git ls-files '*.c' '*.cc' '*.h')
if [ "${1:-}" = "--check" ]; then
  clang-format --dry-run --Werror "${files[@]}"
else
  clang-format -i "${files[@]}"
fi
