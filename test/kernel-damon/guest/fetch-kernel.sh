#!/usr/bin/env bash
# Fetches Debian's newest 6.12 cloud kernel (CONFIG_DAMON_VADDR=y, serial console built in)
# into .cache/kernel-damon/vmlinuz with `apt-get download` + `dpkg-deb`; nothing is installed.
# Used by CI (.ci/run) and by hand before test/kernel-damon/guest-run.test.ts.
set -euo pipefail
cd "$(dirname "$0")/../../.."
cache=.cache/kernel-damon
mkdir -p "$cache"
if [ -f "$cache/vmlinuz" ]; then echo "kernel already in $cache: $(cat "$cache/release")"; exit 0; fi
# The meta package depends on the current image package, e.g. linux-image-6.12.117+deb12-cloud-amd64.
image=$(apt-cache depends linux-image-6.12-cloud-amd64 | awk '/Depends: linux-image-6\.12\./ {print $2; exit}')
if [ -z "$image" ]; then echo "no linux-image-6.12-cloud-amd64 in the apt sources (apt-get update?)" >&2; exit 1; fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The unsigned package holds the same kernel without the Secure Boot signature.
(cd "$work" && apt-get download "$image-unsigned" 2>/dev/null || apt-get download "$image")
dpkg-deb --fsys-tarfile "$work"/*.deb | tar -x -C "$work" ./boot
cp "$work"/boot/vmlinuz-* "$cache/vmlinuz"
cp "$work"/boot/config-* "$cache/config"
basename "$work"/boot/vmlinuz-* | sed 's/^vmlinuz-//' > "$cache/release"
echo "kernel $(cat "$cache/release") in $cache"
