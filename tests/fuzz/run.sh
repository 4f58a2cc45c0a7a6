#!/bin/bash
# Build the libFuzzer targets (build.sh) and run each for a bounded time on its seed corpus
# (tests/fuzz/corpus/<name>/; new inputs go to a scratch dir, the tree is not written).
#
#   tests/fuzz/run.sh [SECONDS] [TARGET...]     default 30 s per target, every target
#
# One TAP-ish line per target, then "N passed, N failed, N skipped" as tests/run.sh.  A crash,
# leak, timeout (5 s) or sanitizer report fails the target; the input that caused it is
# saved in tests/fuzz/crashes/ (reproduce: OUT/fuzz_NAME tests/fuzz/crashes/FILE), to become
# a unit test.  Targets are skipped when clang or its fuzzer runtime is missing.
#
# Env: FUZZ_OUT (build dir, default a temp dir), FUZZ_JOBS (targets run at once, default 1).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
secs=${1:-30}
shift || true
crashes=$here/crashes
pass=0 fail=0 skip=0 n=0

targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
	for t in "$here"/fuzz_*.c; do
		t=${t##*/fuzz_}
		targets+=("${t%.c}")
	done
fi

work=$(mktemp -d /tmp/husk-fuzz-run.XXXXXX)
trap 'rm -rf "$work"' EXIT
out=${FUZZ_OUT:-$work/build}

echo "1..${#targets[@]}"
build_log=$work/build.log
if ! command -v "${CC:-clang}" >/dev/null; then
	build_err="${CC:-clang} not installed"
elif ! "$here/build.sh" "$out" >"$build_log" 2>&1; then
	if grep -q "libclang_rt.fuzzer\|cannot find.*fuzzer" "$build_log"; then
		build_err="no libFuzzer runtime (apt-get install libclang-rt-NN-dev)"
	else
		sed 's/^/# /' "$build_log"
		build_err=failed
	fi
fi

for t in "${targets[@]}"; do
	n=$((n + 1))
	if [[ -n ${build_err:-} ]]; then
		if [[ $build_err == failed ]]; then
			echo "not ok $n fuzz_$t # build failed"
			fail=$((fail + 1))
		else
			echo "ok $n fuzz_$t # SKIP $build_err"
			skip=$((skip + 1))
		fi
		continue
	fi
	corpus=$work/corpus-$t
	mkdir -p "$corpus" "$work/art-$t"
	log=$work/$t.log
	seeds=()
	[[ -d $here/corpus/$t ]] && seeds=("$here/corpus/$t")
	# the JSON targets share json.dict; others may have NAME.dict
	dict=()
	case $t in
	config | process | resources | seccomp | state) dict=(-dict="$here/json.dict") ;;
	*) [[ -f $here/$t.dict ]] && dict=(-dict="$here/$t.dict") ;;
	esac
	# -artifact_prefix: crash-*, leak-*, timeout-*, oom-* land there
	(cd "$work" && "$out/fuzz_$t" -max_total_time="$secs" -timeout=5 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$work/art-$t/" "${dict[@]}" "$corpus" \
		"${seeds[@]}") \
		>"$log" 2>&1
	rc=$?
	stats=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	cov=$(grep -E '^#[0-9]+' "$log" | tail -n 1 | grep -oE 'cov: [0-9]+ ft: [0-9]+' || true)
	summary="${stats:-0} execs, ${cov:-no coverage line}, corpus $(find "$corpus" "${seeds[@]}" -type f | wc -l)"
	arts=("$work/art-$t"/*)
	if [[ $rc -eq 0 && ! -e ${arts[0]} ]]; then
		echo "ok $n fuzz_$t # $summary"
		pass=$((pass + 1))
		continue
	fi
	echo "not ok $n fuzz_$t # exit $rc, $summary"
	fail=$((fail + 1))
	mkdir -p "$crashes"
	for a in "${arts[@]}"; do
		[[ -e $a ]] || continue
		cp "$a" "$crashes/${t}-${a##*/}"
		echo "#   saved tests/fuzz/crashes/${t}-${a##*/}"
	done
	# the report and the frames in husk's code (not libFuzzer's or libc's)
	grep -E 'ERROR|runtime error|SUMMARY|^    #[0-9]+ .* in .*(src|tests)/' "$log" |
		grep -v 'fuzzer::' | head -n 20 | sed 's/^/#   /'
done

echo "$pass passed, $fail failed, $skip skipped"
[[ $fail -eq 0 ]]
