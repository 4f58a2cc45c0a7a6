#!/bin/sh
# Build the libFuzzer targets (tests/fuzz/fuzz_*.c) into OUTDIR (default: a fresh temp dir
# printed on stdout), with clang, -fsanitize=fuzzer,address,undefined.  Done here rather than
# through automake so that a normal build never needs clang.
#
# Each target links the library sources it needs, compiled once with the same flags as husk
# (-Wall -Wextra -Werror ...).  Needs clang and its fuzzer runtime (Debian: clang,
# libclang-rt-NN-dev), libyajl-dev, libseccomp-dev, libcap-dev.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$(mktemp -d /tmp/husk-fuzz.XXXXXX)}
CC=${CC:-clang}
mkdir -p "$out/obj"
out=$(cd "$out" && pwd)

# The library sources the targets reach.  The targets call only their pure parts: none
# mounts, clones or touches a cgroup.
LIB_SRCS="src/util/arena.c src/util/error.c src/util/fs.c src/util/log.c src/util/path.c
src/util/signals.c src/util/json.c src/util/time.c
src/spec/parse.c src/spec/validate.c src/spec/tables.c src/spec/defaults.c
src/state/state.c src/linux/mount.c src/linux/seccomp.c src/linux/terminal.c src/linux/devices.c
src/cgroup/cgroup.c src/cgroup/layout.c src/cgroup/v1.c src/cgroup/v2.c src/cgroup/devices_v1.c
src/cgroup/devices_bpf.c src/cgroup/resources.c src/cgroup/stats.c
src/container/sync.c"

version=$(sed -n 's/^AC_INIT(\[husk\], *\[\([^]]*\)\].*/\1/p' "$top/configure.ac")
cat >"$out/config.h" <<EOF
#define _GNU_SOURCE 1
#define PACKAGE "husk"
#define PACKAGE_NAME "husk"
#define PACKAGE_VERSION "${version:-0}"
#define PACKAGE_STRING "husk ${version:-0}"
EOF

# As configure.ac's WARN_CFLAGS, minus what clang doesn't know.
WARN="-Wall -Wextra -Werror -Wno-unused-parameter -Wshadow -Wformat=2 -Wno-format-nonliteral"
SAN="-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined"
CFLAGS="-g -O1 -fno-omit-frame-pointer $WARN -iquote $top/src -include $out/config.h"
PKG_CFLAGS=$(pkg-config --cflags yajl libseccomp libcap 2>/dev/null || true)
PKG_LIBS=$(pkg-config --libs yajl libseccomp libcap 2>/dev/null || echo "-lyajl -lseccomp -lcap")

objs=""
for src in $LIB_SRCS; do
	obj="$out/obj/$(echo "$src" | tr / _ | sed 's/\.c$/.o/')"
	# The library objects get coverage instrumentation but no main: -fsanitize=fuzzer-no-link.
	# shellcheck disable=SC2086
	$CC $CFLAGS $PKG_CFLAGS -fsanitize=fuzzer-no-link,address,undefined \
		-fno-sanitize-recover=undefined -c "$top/$src" -o "$obj"
	objs="$objs $obj"
done

for t in "$top"/tests/fuzz/fuzz_*.c; do
	name=$(basename "$t" .c)
	# shellcheck disable=SC2086
	$CC $CFLAGS $PKG_CFLAGS $SAN "$t" $objs $PKG_LIBS -o "$out/$name"
done
echo "$out"
