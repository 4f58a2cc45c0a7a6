#!/bin/sh
# Quick start on a fresh Debian 12 machine: install the build dependencies, build husk, build
# the busybox bundle's rootfs, and run it.  Needs root.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/tests/deps.sh"
[ -x "$top/configure" ] || (cd "$top" && mkdir -p m4 && autoreconf -fi >/dev/null)
mkdir -p "$top/build"
cd "$top/build"
[ -f Makefile ] || "$top/configure" -q
make -j"$(nproc)" >/dev/null
"$top/bundles/build-rootfs.sh" >/dev/null
exec "$top/build/src/husk" run --bundle "$top/bundles/busybox" "demo-$$"
