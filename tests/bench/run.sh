#!/bin/sh
# Side-by-side benchmark: husk, crun and runc through ../shared/bench (run/cycle/exec, N
# rounds, interleaved), ratios against husk, plus the floor (the least work that starts a
# process in new namespaces).  Not a test: it prints numbers.
#   tests/bench/run.sh [ROUNDS] [--ops run,cycle,exec]
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
bench=${SHARED_BENCH:-$top/../shared/bench}
husk=${HUSK:-$top/build/src/husk}
rounds=${1:-50}
shift 2>/dev/null || true
work=$(mktemp -d /tmp/husk-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

python3 "$bench/lifecycle.py" make-bundle "$work/bundle"
runtimes="husk=$husk"
for rt in crun runc; do
	command -v "$rt" >/dev/null && runtimes="$runtimes $rt=$(command -v "$rt")"
done
echo "layout: $(grep -q ' /sys/fs/cgroup cgroup2 ' /proc/self/mountinfo && echo v2 ||
	(grep -q cgroup2 /proc/self/mountinfo && echo hybrid || echo v1))"
# shellcheck disable=SC2086
"$bench/run.sh" "$@" "$work/bundle" "$rounds" $runtimes
cc -O2 -o "$work/floor" "$bench/floor.c"
unshare -m --propagation private "$work/floor" "$work/bundle/rootfs" 200
