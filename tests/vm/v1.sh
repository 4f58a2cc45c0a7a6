#!/bin/sh
# The cgroup bats files on a cgroup v1 layout, on a hybrid host: inside a private mount
# namespace the cgroup2 mount (/sys/fs/cgroup/unified) is unmounted, so husk (and runc) see only
# the v1 hierarchies.  The host's mount table is not changed.
#   tests/vm/v1.sh [BUILD_DIR] [bats files...]      (default: tests/integration/2*.bats)
#   HUSK=/path/to/husk tests/vm/v1.sh [bats files...]
# Prints "layout: v1", the tests, and tests/run.sh's counts line; exits non-zero on a failure.
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
if [ $# -gt 0 ] && [ -d "$1" ]; then
	HUSK=$(cd "$1" && pwd)/src/husk
	shift
fi
if [ -z "${HUSK:-}" ] || [ ! -x "$HUSK" ]; then
	echo "v1.sh: no husk (usage: v1.sh BUILD_DIR [files], or set HUSK)" >&2
	echo "0 passed, 1 failed, 0 skipped"
	exit 1
fi
export HUSK
[ $# -gt 0 ] || set -- "$here"/tests/integration/2*.bats
exec unshare -m --propagation private sh -c '
fail() {
	echo "v1.sh: $*" >&2
	echo "0 passed, 1 failed, 0 skipped"
	exit 1
}
grep " - cgroup2 " /proc/self/mountinfo | while read -r _ _ _ _ mnt _; do
	umount "$mnt" || exit 1
done
grep -q " - cgroup2 " /proc/self/mountinfo && fail "could not hide the cgroup2 mount"
grep -q " - cgroup " /proc/self/mountinfo || fail "no cgroup v1 hierarchy on this host"
echo "layout: v1 ($(grep -c " - cgroup " /proc/self/mountinfo) hierarchies, cgroup2 hidden)"
exec "$0"/tests/run.sh "$@"' "$here" "$@"
