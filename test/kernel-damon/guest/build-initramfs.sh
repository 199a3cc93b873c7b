#!/usr/bin/env bash
# Builds the guest's initramfs (an uncompressed newc cpio: nothing to inflate under TCG):
# busybox (Debian's busybox-static), this machine's node with the shared libraries `ldd`
# lists, and the package as a user gets it (package.json, dist/, the built addon, the
# runtime node_modules, the CLI launcher), plus this folder's guest scripts.
# Usage: build-initramfs.sh <addon .node file> <output cpio>
set -euo pipefail
addon=$1
out=$2
repo=$(cd "$(dirname "$0")/../../.." && pwd)
busybox=$(command -v busybox)
node=$(readlink -f "$(command -v node)")
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

mkdir -p "$root"/{bin,dev,proc,sys,tmp,pkg/build/Release,pkg/node_modules,guest}
cp "$busybox" "$root/bin/busybox"
cp "$node" "$root/bin/node"
# The dynamic loader and libraries at the paths node was linked against.
for lib in $(ldd "$node" | grep -o '/[^ ]*'); do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
cp "$repo/package.json" "$root/pkg/"
cp -r "$repo/dist" "$repo/bin" "$root/pkg/"
cp "$addon" "$root/pkg/build/Release/thp_autotune.node"
# Every runtime dependency package.json names (none of them has dependencies of its own).
for dep in $(node -p "Object.keys(require('$repo/package.json').dependencies).join(' ')"); do
  mkdir -p "$root/pkg/node_modules/$(dirname "$dep")"
  cp -r "$repo/node_modules/$dep" "$root/pkg/node_modules/$dep"
done
cp "$repo"/test/kernel-damon/guest/{init,*.cjs} "$root/guest/"
mv "$root/guest/init" "$root/init"
chmod +x "$root/init"
(cd "$root" && find . | "$busybox" cpio -o -H newc > "$out" 2>/dev/null)
