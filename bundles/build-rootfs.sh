#!/bin/bash
# Build busybox root filesystems for the example bundles and the test suite, from Debian's
# busybox-static (/bin/busybox); no network.  Idempotent: run it again and nothing changes.
#
#   bundles/build-rootfs.sh                 all example bundles (busybox, lxc-shared)
#   bundles/build-rootfs.sh DIR...          a full rootfs in each DIR
#   bundles/build-rootfs.sh --usr DIR       only bin/ (busybox + applets): a shared /usr
#   bundles/build-rootfs.sh --skeleton DIR  a rootfs without busybox, /bin -> usr/bin
#
# BUSYBOX=/path/to/static/busybox overrides the binary.
set -euo pipefail

BUSYBOX=${BUSYBOX:-/bin/busybox}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

die() {
	echo "build-rootfs.sh: $*" >&2
	exit 1
}

check_busybox() {
	[[ -x $BUSYBOX ]] || die "$BUSYBOX not found: apt-get install busybox-static"
	# A dynamically linked busybox would need the host's libc inside the rootfs.
	if command -v file >/dev/null && ! file -L "$BUSYBOX" | grep -q 'statically linked'; then
		die "$BUSYBOX is not statically linked: apt-get install busybox-static"
	fi
}

# bin/busybox and a relative symlink per applet, so the tree works wherever it is mounted.
make_bin() {
	local bin=$1/bin applet
	mkdir -p "$bin"
	if ! cmp -s "$BUSYBOX" "$bin/busybox"; then
		install -m 0755 "$BUSYBOX" "$bin/busybox"
	fi
	for applet in $("$BUSYBOX" --list); do
		[[ $applet == busybox ]] && continue
		[[ -L $bin/$applet ]] || ln -sf busybox "$bin/$applet"
	done
}

# Write a file only when its content differs (keeps mtimes stable across runs).
write_file() {
	local path=$1 mode=$2 content=$3
	if [[ ! -f $path ]] || [[ "$(cat "$path")" != "$content" ]]; then
		printf '%s\n' "$content" >"$path"
	fi
	chmod "$mode" "$path"
}

make_skeleton() {
	local dir=$1 d
	for d in proc sys dev tmp etc root home home/user; do
		mkdir -p "$dir/$d"
	done
	chmod 1777 "$dir/tmp"
	chmod 0700 "$dir/root"
	write_file "$dir/etc/passwd" 0644 "root:x:0:0:root:/root:/bin/sh
user:x:1000:1000:user:/home/user:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false"
	write_file "$dir/etc/group" 0644 "root:x:0:
user:x:1000:
nogroup:x:65534:"
	chown 1000:1000 "$dir/home/user"
}

build_full() {
	make_skeleton "$1"
	make_bin "$1"
}

# The /usr a shared base provides: bin/ only.
build_usr() {
	make_bin "$1"
}

# A container's own writable part for a shared /usr: /bin and /sbin point into it.
build_skeleton() {
	local dir=$1 l
	make_skeleton "$dir"
	mkdir -p "$dir/usr"
	for l in bin sbin; do
		if [[ ! -L $dir/$l ]]; then
			rmdir "$dir/$l" 2>/dev/null || true
			ln -s usr/bin "$dir/$l"
		fi
	done
}

check_busybox
if [[ $# -eq 0 ]]; then
	build_full "$here/busybox/rootfs"
	build_usr "$here/lxc-shared/base"
	build_skeleton "$here/lxc-shared/a/rootfs"
	build_skeleton "$here/lxc-shared/b/rootfs"
	exit 0
fi

mode=full
for arg in "$@"; do
	case $arg in
	--usr) mode=usr ;;
	--skeleton) mode=skeleton ;;
	--full) mode=full ;;
	-h | --help)
		sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
		exit 0
		;;
	-*) die "unknown option $arg" ;;
	*) "build_$mode" "$arg" ;;
	esac
done
