#!/bin/sh
# The cgroup bats files on a cgroup v1 layout, on a hybrid host: inside a private mount
# namespace the cgroup2 mount (/sys/fs/cgroup/unified) is unmounted, so husk (and runc) see only
# the v1 hierarchies.  The host's mount table is not changed.
#   HUSK=/path/to/husk tests/vm/v1.sh [bats files...]     (default: tests/integration/2*.bats)
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
[ $# -gt 0 ] || set -- "$here"/tests/integration/2*.bats
exec unshare -m --propagation private sh -c '
grep " - cgroup2 " /proc/self/mountinfo | while read -r _ _ _ _ mnt _; do
	umount "$mnt" || exit 1
done
if grep -q " - cgroup2 " /proc/self/mountinfo; then
	echo "v1.sh: could not hide the cgroup2 mount" >&2
	exit 1
fi
if ! grep -q " - cgroup " /proc/self/mountinfo; then
	echo "v1.sh: no cgroup v1 hierarchy on this host" >&2
	exit 1
fi
exec bats "$@"' v1.sh "$@"
