# Shared helpers for the integration suite.  Every test gets:
#   $ID       a unique container id (more with new_id)
#   $BUNDLE   its own bundle in $BATS_TEST_TMPDIR: bundles/busybox/config.json edited for the
#             test (cgroupsPath /husk-test/$ID, a marker in the env) and a hard-linked copy
#             of the busybox rootfs built once per run
#   husk ...  $HUSK with --root set to a per-run state dir (never /run/husk)
#   runc_ref  runc with its own per-run --root, for side-by-side tests
# and a teardown that force-deletes the test's containers and then asserts nothing was left
# behind: state dir, mounts mentioning the test's bundles, cgroups under husk-test/<id>,
# processes from the bundle.  Leftovers are reported, cleaned up, and fail the test.
#
# Environment: HUSK (default: husk on PATH; HUSK=runc validates the suite against runc),
# HUSK_TEST_DIR (per-run scratch dir, default $BATS_RUN_TMPDIR).

bats_require_minimum_version 1.5.0

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load

HUSK=${HUSK:-husk}
SRC_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUNDLES_DIR=$SRC_DIR/bundles
RUN_DIR=${HUSK_TEST_DIR:-$BATS_RUN_TMPDIR}
ROOT=$RUN_DIR/state-husk
RUNC_ROOT=$RUN_DIR/state-runc
SHARED_ROOTFS=$RUN_DIR/rootfs
CGROUP_PARENT=husk-test

# True when the runtime under test is husk (not a reference runtime): gates assertions on
# husk's own formats (one-line errors with JSON paths, exit code 1 for usage errors).
is_husk() {
	case $(basename "$HUSK") in
	runc | crun) return 1 ;;
	*) return 0 ;;
	esac
}

# A hung runtime must not hang the suite: every call has a time limit (exit 124).
husk() {
	timeout -k 5 "${HUSK_TIMEOUT:-60}" "$HUSK" --root "$ROOT" "$@"
}

runc_ref() {
	timeout -k 5 "${HUSK_TIMEOUT:-60}" runc --root "$RUNC_ROOT" "$@"
}

# ---- ids and bundles ----

TEST_IDS=()
REF_IDS=()

# new_id VAR [PREFIX]: set VAR to a unique, valid container id, remembered for teardown.
# (Sets a variable rather than printing: $(...) would lose the bookkeeping in a subshell.)
new_id() {
	local -n _new_id_var=$1
	_new_id_var="${2:-ht}-$$-${BATS_SUITE_TEST_NUMBER:-0}-${#TEST_IDS[@]}-$RANDOM"
	TEST_IDS+=("$_new_id_var")
}

# The shared rootfs, built once per run (flock: files of one run may build concurrently).
shared_rootfs() {
	mkdir -p "$RUN_DIR"
	if [[ ! -e $SHARED_ROOTFS/.done ]]; then
		(
			flock 9
			if [[ ! -e $SHARED_ROOTFS/.done ]]; then
				"$BUNDLES_DIR/build-rootfs.sh" "$SHARED_ROOTFS" >&2 &&
					touch "$SHARED_ROOTFS/.done"
			fi
		) 9>"$RUN_DIR/rootfs.lock"
	fi
	[[ -e $SHARED_ROOTFS/.done ]]
}

# copy_rootfs DEST: cheap private copy; bin/ is hard-linked (never written by tests), the rest
# (etc, home, ...) copied so a test may change it.
copy_rootfs() {
	local dest=$1 entry
	shared_rootfs || return
	mkdir -p "$dest"
	for entry in "$SHARED_ROOTFS"/*; do
		if [[ ${entry##*/} == bin ]]; then
			cp -al "$entry" "$dest/"
		else
			cp -a "$entry" "$dest/"
		fi
	done
}

# make_bundle DIR ID: a bundle for container ID at DIR.
make_bundle() {
	local dir=$1 id=$2
	mkdir -p "$dir"
	copy_rootfs "$dir/rootfs" || return
	jq --arg cg "/$CGROUP_PARENT/$id" --arg id "$id" '
		.linux.cgroupsPath = $cg
		| .process.env += ["HUSK_TEST_ID=" + $id]
		| .process.args = ["sh", "-c", "echo ok"]' \
		"$BUNDLES_DIR/busybox/config.json" >"$dir/config.json"
}

# new_bundle IDVAR DIRVAR [PREFIX]: a fresh container id with its own bundle.
new_bundle() {
	local -n _nb_id=$1 _nb_dir=$2
	new_id "$1" "${3:-ht}"
	_nb_dir=$BATS_TEST_TMPDIR/bundle-$_nb_id
	make_bundle "$_nb_dir" "$_nb_id"
}

# update_config JQ_EXPR [JQ_ARGS...]: edit $BUNDLE/config.json with jq, e.g.
#   update_config '.hostname = $h' --arg h foo
# update_config_in DIR JQ_EXPR [JQ_ARGS...]: the same for another bundle.
update_config() {
	update_config_in "$BUNDLE" "$@"
}

update_config_in() {
	local dir=$1 expr=$2 tmp
	shift 2
	tmp=$(mktemp "$dir/config.XXXXXX")
	if ! jq "$@" "$expr" "$dir/config.json" >"$tmp"; then
		rm -f "$tmp"
		echo "update_config: jq failed on: $expr" >&2
		return 1
	fi
	mv "$tmp" "$dir/config.json"
}

# set_cmd 'shell command' [BUNDLE]: the container runs sh -c 'shell command'.
set_cmd() {
	update_config_in "${2:-$BUNDLE}" '.process.args = ["sh", "-c", $c]' --arg c "$1"
}

# ---- state helpers ----

# state_field ID FIELD: one field of `husk state` (e.g. status, pid, bundle).
state_field() {
	husk state "$1" | jq -r ".$2"
}

# wait_status ID STATUS [TRIES]: poll until the container has STATUS (10 ms steps).
wait_status() {
	local id=$1 want=$2 tries=${3:-500} got=
	while ((tries-- > 0)); do
		got=$(husk state "$id" 2>/dev/null | jq -r .status 2>/dev/null)
		[[ $got == "$want" ]] && return 0
		sleep 0.01
	done
	echo "container $id: status '$got', wanted '$want'" >&2
	return 1
}

# wait_for CMD...: poll a command until it succeeds (up to ~5 s).
wait_for() {
	local tries=500
	while ((tries-- > 0)); do
		"$@" && return 0
		sleep 0.01
	done
	echo "timed out waiting for: $*" >&2
	return 1
}

# hrun CMD...: like bats' run, but stdout and stderr go to files, never to a pipe a container
# could hold open (a detached container inherits the runtime's stdio), and a hang times out
# (status 124).  Sets status, output/lines (stdout only), stderr/stderr_lines.
# `hrun husk ...` and `hrun runc_ref ...` work; other shell functions run without timeout.
hrun() {
	local out=$BATS_TEST_TMPDIR/hrun.out err=$BATS_TEST_TMPDIR/hrun.err
	local cmd=("$@")
	case $1 in
	husk) cmd=("$HUSK" --root "$ROOT" "${@:2}") ;;
	runc_ref) cmd=(runc --root "$RUNC_ROOT" "${@:2}") ;;
	esac
	status=0
	if declare -F "${cmd[0]}" >/dev/null; then
		"${cmd[@]}" >"$out" 2>"$err" </dev/null || status=$?
	else
		timeout -k 5 "${HRUN_TIMEOUT:-30}" "${cmd[@]}" >"$out" 2>"$err" </dev/null || status=$?
	fi
	output=$(cat "$out")
	stderr=$(cat "$err")
	mapfile -t lines <"$out"
	mapfile -t stderr_lines <"$err"
	# Shown by bats only when the test fails.
	echo "\$ ${cmd[*]}: exit $status" >&2
	[[ -z $stderr ]] || printf 'stderr: %s\n' "${stderr_lines[@]}" >&2
}

# run_in CMD: run the test container in the foreground with `sh -c CMD`; stdout in $output.
run_in() {
	set_cmd "$1" || return
	hrun husk run -b "$BUNDLE" "$ID"
}

# start_bg CMD [ID] [BUNDLE]: `husk run -d` the container with `sh -c CMD`, its output in
# $BATS_TEST_TMPDIR/ID.out; waits until it runs and sets PID to its init pid.
start_bg() {
	local id=${2:-$ID} dir=${3:-$BUNDLE}
	set_cmd "$1" "$dir" || return
	husk run -d -b "$dir" "$id" >"$BATS_TEST_TMPDIR/$id.out" 2>&1 </dev/null || return
	wait_status "$id" running || return
	PID=$(state_field "$id" pid)
}

# Every cgroup hierarchy mounted on the host: "v1 /sys/fs/cgroup/cpu", "v2 /sys/fs/cgroup".
cgroup_mounts() {
	awk '{ for (i = 7; $i != "-"; i++) ; t = $(i + 1) }
		t == "cgroup" { print "v1", $5 } t == "cgroup2" { print "v2", $5 }' /proc/self/mountinfo
}

# v1, hybrid or v2, from /proc/self/mountinfo.
cgroup_layout() {
	local v1 v2
	v1=$(cgroup_mounts | grep -c '^v1 ')
	v2=$(cgroup_mounts | grep -c '^v2 ')
	if ((v1 > 0 && v2 > 0)); then
		echo hybrid
	elif ((v1 > 0)); then
		echo v1
	elif ((v2 > 0)); then
		echo v2
	else
		echo none
	fi
}

# ---- leftover checks ----

# Processes started from this test: HUSK_TEST_ID=<one of our ids> in the environment, or
# cwd/root inside this test's directory.  Excludes the test shell itself.
test_pids() {
	local id pats=()
	for id in "${TEST_IDS[@]}" "${REF_IDS[@]}"; do
		pats+=(-e "HUSK_TEST_ID=$id")
	done
	{
		if ((${#pats[@]})); then
			grep -lzxF "${pats[@]}" /proc/[0-9]*/environ 2>/dev/null
		fi
		find /proc/[0-9]*/cwd /proc/[0-9]*/root -maxdepth 0 \
			\( -lname "$BATS_TEST_TMPDIR/*" -o -lname "$BATS_TEST_TMPDIR" \) 2>/dev/null
	} | cut -d/ -f3 | sort -un | grep -vxF -e "$$" -e "$BASHPID" || true
}

test_mounts() {
	grep -F -- "$BATS_TEST_TMPDIR" /proc/self/mountinfo || true
}

# leftovers: print what this test left behind, one line each; empty when clean.
leftovers() {
	local id ver mnt pid
	for id in "${TEST_IDS[@]}"; do
		[[ -e $ROOT/$id ]] && echo "state dir $ROOT/$id"
	done
	for id in "${REF_IDS[@]}"; do
		[[ -e $RUNC_ROOT/$id ]] && echo "state dir $RUNC_ROOT/$id"
	done
	test_mounts | sed 's/^/mount /'
	while read -r ver mnt; do
		for id in "${TEST_IDS[@]}" "${REF_IDS[@]}"; do
			[[ -d $mnt/$CGROUP_PARENT/$id ]] && echo "cgroup $mnt/$CGROUP_PARENT/$id"
		done
	done < <(cgroup_mounts)
	for pid in $(test_pids); do
		echo "process $pid: $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)"
	done
}

# thaw_test_cgroups: a paused container's processes cannot die until thawed.
thaw_test_cgroups() {
	local ver mnt id cg
	while read -r ver mnt; do
		for id in "${TEST_IDS[@]}" "${REF_IDS[@]}"; do
			cg=$mnt/$CGROUP_PARENT/$id
			[[ -d $cg ]] || continue
			[[ -f $cg/freezer.state ]] && echo THAWED >"$cg/freezer.state" 2>/dev/null
			[[ -f $cg/cgroup.freeze ]] && echo 0 >"$cg/cgroup.freeze" 2>/dev/null
		done
	done < <(cgroup_mounts)
	return 0
}

# Remove leftovers (only things this test created), so one failure does not leak into others.
clean_leftovers() {
	local pid ver mnt id m tries
	thaw_test_cgroups
	for pid in $(test_pids); do
		kill -9 "$pid" 2>/dev/null
	done
	tries=200
	while [[ -n $(test_pids) ]] && ((tries-- > 0)); do sleep 0.01; done
	# Deepest mounts first.
	while read -r m; do
		umount -l "$m" 2>/dev/null
	done < <(test_mounts | awk '{ print length($5), $5 }' | sort -rn | cut -d' ' -f2-)
	while read -r ver mnt; do
		for id in "${TEST_IDS[@]}" "${REF_IDS[@]}"; do
			[[ -d $mnt/$CGROUP_PARENT/$id ]] || continue
			find "$mnt/$CGROUP_PARENT/$id" -depth -type d -exec rmdir {} + 2>/dev/null
		done
	done < <(cgroup_mounts)
	for id in "${TEST_IDS[@]}"; do rm -rf "${ROOT:?}/$id"; done
	for id in "${REF_IDS[@]}"; do rm -rf "${RUNC_ROOT:?}/$id"; done
}

# ---- setup / teardown ----

common_setup() {
	TEST_IDS=()
	REF_IDS=()
	mkdir -p "$ROOT" "$RUNC_ROOT"
	new_id ID
	BUNDLE=$BATS_TEST_TMPDIR/bundle
	make_bundle "$BUNDLE" "$ID"
}

common_teardown() {
	local id left tries
	cd "$BATS_TEST_TMPDIR/.." || cd /
	for id in "${TEST_IDS[@]}"; do
		husk delete --force "$id" >/dev/null 2>&1
	done
	for id in "${REF_IDS[@]}"; do
		runc_ref delete --force "$id" >/dev/null 2>&1
	done
	# A killed init may take a moment to be reaped and its cgroup to empty.
	tries=100
	while left=$(leftovers) && [[ -n $left ]] && ((tries-- > 0)); do
		sleep 0.02
	done
	if [[ -n $left ]]; then
		echo "# left behind by $BATS_TEST_DESCRIPTION:" >&2
		sed 's/^/#   /' <<<"$left" >&2
		clean_leftovers
		return 1
	fi
}

setup() {
	common_setup
}

teardown() {
	common_teardown
}

# ---- assertions ----

# assert_error_message WORDS [HUSK_WORDS]: the last failed command (run with hrun) printed one
# of WORDS on stderr (alternatives separated by '|', fixed strings, any case); for husk also
# exactly one line on stderr, naming one of HUSK_WORDS (the JSON path, e.g.
# 'linux.namespaces[2].type', or the cause) when given.
assert_error_message() {
	local words=$1 husk_words=${2:-}
	if ! matches_any "$words" -i <<<"$stderr"; then
		fail "stderr does not mention '$words': $stderr"
	fi
	if is_husk; then
		[[ ${#stderr_lines[@]} -eq 1 ]] || fail "expected one line on stderr, got: $stderr"
		if [[ -n $husk_words ]] && ! matches_any "$husk_words" <<<"$stderr"; then
			fail "stderr does not name '$husk_words': $stderr"
		fi
	fi
}

# matches_any 'a|b|c' [GREP_FLAGS]: stdin contains one of the fixed strings.
matches_any() {
	local alts=() a pats=()
	IFS='|' read -r -a alts <<<"$1"
	for a in "${alts[@]}"; do
		pats+=(-e "$a")
	done
	grep -qF "${@:2}" "${pats[@]}"
}

# assert_clean: nothing of this test is left right now (before teardown's delete --force):
# for a failed command, polls briefly while its processes exit.
assert_clean() {
	local left tries=50
	while left=$(leftovers) && [[ -n $left ]] && ((tries-- > 0)); do
		sleep 0.02
	done
	[[ -z $left ]] || fail "left behind: $left"
}

# assert_fails WORD [HUSK_PATH] -- CMD...: CMD fails with exit 1 (any non-zero for a reference
# runtime when EXIT_ANY=1), stderr names WORD (and, for husk, HUSK_PATH on its one line), and
# nothing is left behind.
assert_fails() {
	local word=$1 path=
	shift
	if [[ $1 != -- ]]; then
		path=$1
		shift
	fi
	[[ $1 == -- ]] && shift
	hrun "$@"
	if is_husk || [[ -z ${EXIT_ANY:-} ]]; then
		assert_failure 1
	else
		assert_failure
	fi
	assert_error_message "$word" "$path"
	assert_clean
}

# status_of ID: the status field, or "none" when the container is unknown.
status_of() {
	local s
	if s=$(husk state "$1" 2>/dev/null); then
		jq -r .status <<<"$s"
	else
		echo none
	fi
}
