#!/usr/bin/env bash
# npm run lint:native: clang-tidy (checks in .clang-tidy) over every native source, using the
# compile_commands.json of a configure-only cmake-js build (build-tidy/). Fails on any finding.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in clang-tidy run-clang-tidy; do
  command -v "$tool" >/dev/null || { echo "error: $tool is not installed (apt-get install clang-tidy)" >&2; exit 1; }
done
npx cmake-js configure --out build-tidy >/dev/null
# Only the project's sources: node-addon-api and node's headers are reported by neither
# (HeaderFilterRegex in .clang-tidy) nor checked here.
run-clang-tidy -p build-tidy -j "$(nproc)" -quiet "$PWD/native/" > build-tidy/clang-tidy.log 2>&1 || status=$?
grep -E '(warning|error):' build-tidy/clang-tidy.log | sort -u || true
if [ "${status:-0}" -ne 0 ]; then
  echo "error: clang-tidy found the problems above (full log: build-tidy/clang-tidy.log)" >&2
  exit 1
fi
echo "clang-tidy: no findings in $(grep -c '"file"' build-tidy/compile_commands.json) files"
