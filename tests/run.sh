#!/bin/bash
# The test suite: unit tests (Check), then the bats integration tests against $HUSK.
# `make check` calls it from the build dir with HUSK and UNIT_TESTS set; by hand:
#
#   HUSK=/path/to/husk tests/run.sh                       integration tests only
#   HUSK=runc tests/run.sh                                the suite against runc (reference)
#   HUSK=... tests/run.sh tests/integration/010-lifecycle.bats   some files only
#
# Needs root, bats-core, bats-support, bats-assert, jq, busybox-static (and
# python3-jsonschema for the state schema test).  No terminal and no stdin needed.
# The last line is always "N passed, N failed, N skipped"; the exit status is non-zero when
# anything failed.
set -uo pipefail
exec </dev/null

SRC_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
passed=0 failed=0 skipped=0

say() { printf '%s\n' "$*"; }

summary() {
	say "$passed passed, $failed failed, $skipped skipped"
	((failed == 0))
	exit
}

# ---- the runtime under test ----
HUSK=${HUSK:-}
if [[ -z $HUSK ]]; then
	HUSK=$(command -v husk || true)
fi
if [[ -n $HUSK && $HUSK != */* ]]; then
	HUSK=$(command -v "$HUSK" || echo "$HUSK")
fi
if [[ -z $HUSK || ! -x $HUSK ]]; then
	say "run.sh: HUSK='${HUSK}' is not an executable (set HUSK=path/to/husk or HUSK=runc)"
	failed=1
	summary
fi
export HUSK

# ---- unit tests ----
# Check prints "NN%: Checks: X, Failures: Y, Errors: Z"; a binary that dies before printing it
# counts as one failure.
run_unit() {
	local bin=$1 out rc line checks fails errs
	say "# unit: $bin"
	if [[ ! -x $bin ]]; then
		say "not ok unit $bin: not built"
		((failed++))
		return
	fi
	[[ $bin == /* ]] || bin=./$bin
	out=$(CK_VERBOSITY=${CK_VERBOSITY:-normal} "$bin" 2>&1)
	rc=$?
	printf '%s\n' "$out" | sed 's/^/#   /'
	line=$(grep -E '^[0-9]+%: Checks: [0-9]+, Failures: [0-9]+, Errors: [0-9]+' <<<"$out" | tail -n 1)
	if [[ -z $line ]]; then
		say "not ok unit $bin: no Check summary (exit $rc)"
		((failed++))
		return
	fi
	checks=$(sed -E 's/.*Checks: ([0-9]+).*/\1/' <<<"$line")
	fails=$(sed -E 's/.*Failures: ([0-9]+).*/\1/' <<<"$line")
	errs=$(sed -E 's/.*Errors: ([0-9]+).*/\1/' <<<"$line")
	((passed += checks - fails - errs, failed += fails + errs))
	if ((rc != 0 && fails + errs == 0)); then
		say "not ok unit $bin: exit $rc"
		((failed++))
	fi
}

for bin in ${UNIT_TESTS:-}; do
	run_unit "$bin"
done
[[ -z ${UNIT_TESTS:-} ]] && say "# unit: none (UNIT_TESTS is empty)"

# ---- integration tests ----
cgroup_layout() {
	local v1 v2
	v1=$(awk '{ for (i = 7; $i != "-"; i++) ; if ($(i + 1) == "cgroup") print }' \
		/proc/self/mountinfo | wc -l)
	v2=$(awk '{ for (i = 7; $i != "-"; i++) ; if ($(i + 1) == "cgroup2") print }' \
		/proc/self/mountinfo | wc -l)
	if ((v1 > 0 && v2 > 0)); then
		say "hybrid (v1 controllers + cgroup2)"
	elif ((v1 > 0)); then
		say v1
	elif ((v2 > 0)); then
		say "v2 (unified)"
	else
		say "none mounted"
	fi
}

# Remove the husk-test/ parents every test container sits under, once empty (never anything
# else; rmdir refuses a cgroup that still has children, e.g. another run's).
remove_test_cgroups() {
	local mnt
	while read -r mnt; do
		[[ -d $mnt/husk-test ]] && rmdir "$mnt/husk-test" 2>/dev/null
	done < <(awk '{ for (i = 7; $i != "-"; i++) ; if ($(i + 1) ~ /^cgroup2?$/) print $5 }' \
		/proc/self/mountinfo)
	return 0
}

run_bats() {
	local files=("$@") tap rc plan=0 seen=0
	if ! command -v bats >/dev/null; then
		say "not ok bats: not installed (apt-get install bats bats-support bats-assert)"
		((failed++))
		return
	fi
	if [[ $(id -u) != 0 ]]; then
		say "# integration tests need root; skipping them"
		((skipped += 1))
		return
	fi
	HUSK_TEST_DIR=$(mktemp -d /tmp/husk-tests.XXXXXX)
	export HUSK_TEST_DIR
	# Interrupted or not, the per-run dir goes (never across a leftover mount).
	trap 'rm -rf --one-file-system "$HUSK_TEST_DIR"' EXIT
	trap 'exit 130' INT TERM
	tap=$HUSK_TEST_DIR/tap
	say "# integration: $HUSK"
	bats --tap "${files[@]}" 2>&1 | tee "$tap"
	rc=${PIPESTATUS[0]}
	plan=$(sed -nE 's/^1\.\.([0-9]+)$/\1/p' "$tap" | head -n 1)
	while IFS= read -r line; do
		case $line in
		"not ok "*) ((failed++, seen++)) ;;
		"ok "*" # skip"*) ((skipped++, seen++)) ;;
		"ok "*) ((passed++, seen++)) ;;
		esac
	done <"$tap"
	# A crash part-way (or a bad file) leaves tests unreported: count them as failed.
	if ((${plan:-0} > seen)); then
		say "# bats reported $seen of ${plan} tests"
		((failed += plan - seen))
	fi
	if ((rc != 0 && failed == 0)); then
		say "not ok bats exited $rc"
		((failed++))
	fi
	rm -rf --one-file-system "$HUSK_TEST_DIR"
}

if (($# > 0)); then
	run_bats "$@"
else
	shopt -s nullglob
	bats_files=("$SRC_DIR"/tests/integration/*.bats)
	if ((${#bats_files[@]})); then
		run_bats "${bats_files[@]}"
	else
		say "# integration: no bats files"
	fi
fi

say "# cgroups: $(cgroup_layout)"
remove_test_cgroups
summary
