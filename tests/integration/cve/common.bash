# Shared by the CVE regression suite (6[2-9]0-cve-*.bats): the attacker tools, built once per
# file (static cvetool for inside the busybox rootfs; the exe payload library).

CVE_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

cve_build_tools() {
	export CVETOOL=$BATS_FILE_TMPDIR/cvetool PAYLOAD=$BATS_FILE_TMPDIR/exe-payload.so
	${CC:-cc} -static -O2 -o "$CVETOOL" "$CVE_SRC/cvetool.c" 2>/dev/null || rm -f "$CVETOOL"
	${CC:-cc} -shared -fPIC -O2 -o "$PAYLOAD" "$CVE_SRC/exe-payload.c" 2>/dev/null ||
		rm -f "$PAYLOAD"
}

# need_tool: skip when the tools could not be built (no static C compiler).
need_tool() {
	[[ -x $CVETOOL ]] || skip "no static C compiler for cvetool"
	cp "$CVETOOL" "${1:-$BUNDLE}/rootfs/bin/cvetool"
}

# canary DIR: a directory standing for "the host", with a file whose content must not change.
canary() {
	mkdir -p "$1"
	echo "host data" >"$1/file"
}

# assert_canary DIR: nothing was added to, removed from or written in DIR.
assert_canary() {
	local got
	got=$(cd "$1" && find . -mindepth 1 | sort | tr '\n' ' ')
	[[ $got == "./file " ]] || fail "$1 changed: $got"
	[[ $(cat "$1/file") == "host data" ]] || fail "$1/file was written"
	! grep -qF " $1 " /proc/self/mountinfo || fail "something is mounted on $1"
}
