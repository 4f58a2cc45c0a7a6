#!/bin/sh
# The whole test suite: builds husk (in build/, or build-asan/ with --sanitizers) and runs
# `make check` — unit tests, then the bats suite.  The last line is
# "N passed, N failed, N skipped".  Needs root (it runs containers).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build="$top/build"
flags=""
if [ "${1:-}" = "--sanitizers" ]; then
	build="$top/build-asan"
	flags="--enable-sanitizers"
	# ASan's leak checker can't follow clone()d children that exec; UBSan errors are fatal
	export ASAN_OPTIONS="detect_leaks=0:abort_on_error=1"
	export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
fi
[ -x "$top/configure" ] || (cd "$top" && mkdir -p m4 && autoreconf -fi >/dev/null)
mkdir -p "$build"
cd "$build"
# shellcheck disable=SC2086
[ -f Makefile ] || "$top/configure" -q $flags
make -j"$(nproc)" >/dev/null
exec make -s check
