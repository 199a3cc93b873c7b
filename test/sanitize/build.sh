#!/usr/bin/env bash
# Builds the addon with sanitizers through the cmake-js developer build, one build folder per
# kind, and prints the addon's path.
#   test/sanitize/build.sh asan   ->  build-asan/RelWithDebInfo/thp_autotune.node (address,undefined)
#   test/sanitize/build.sh tsan   ->  build-tsan/RelWithDebInfo/thp_autotune.node (thread)
set -euo pipefail
cd "$(dirname "$0")/../.."
case "${1:-}" in
  asan) sanitizers=address,undefined ;;
  tsan) sanitizers=thread ;;
  *) echo "usage: $0 asan|tsan" >&2; exit 2 ;;
esac
npx cmake-js compile --out "build-$1" --config RelWithDebInfo --parallel 2 --CDTHP_SANITIZE="$sanitizers" >&2
echo "$PWD/build-$1/RelWithDebInfo/thp_autotune.node"
