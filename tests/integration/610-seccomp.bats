#!/usr/bin/env bats
# linux.seccomp: every action, errnoRet and defaultErrnoRet, argument filters with each
# operator, architectures, flags, the -ENOSYS answer for syscalls newer than the profile, and
# seccomp notify with tests/tools/seccomp-agent.  Checked from inside the container with a
# small static probe (`probe NR [ARGS...]` prints "ok" or "errno=N").
#
# SECCOMP_AGENT: the agent binary (default: beside the husk under test, as `make check`
# builds it).  Validate against runc with HUSK=runc SECCOMP_AGENT=/path/to/seccomp-agent.

load helpers

PROBE_SRC='
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
int main(int argc, char **argv)
{
	long a[6] = { 0 };
	long r;

	for (int i = 2; i < argc && i < 8; i++)
		a[i - 2] = strtol(argv[i], NULL, 0);
	r = syscall(strtol(argv[1], NULL, 0), a[0], a[1], a[2], a[3], a[4], a[5]);
	if (r < 0)
		printf("errno=%d\n", errno);
	else
		printf("ok\n");
	return 0;
}'

# x86_64 syscall numbers.  The target is a syscall neither sh nor the runtime makes (busybox
# sh calls getppid at startup, so getppid would hit the shell too): sched_get_priority_min
# (147) returns 0 for policies 0-3 and EINVAL for others.
NR_TARGET=147
TARGET=sched_get_priority_min
NR_GETRANDOM=318

setup_file() {
	export PROBE=$BATS_FILE_TMPDIR/probe
	${CC:-cc} -static -O2 -o "$PROBE" -x c - <<<"$PROBE_SRC" 2>/dev/null || rm -f "$PROBE"
}

setup() {
	common_setup
	[[ $(uname -m) == x86_64 ]] || skip "syscall numbers are x86_64's"
	[[ -x $PROBE ]] || skip "no static C compiler for the probe"
	cp "$PROBE" "$BUNDLE/rootfs/bin/probe"
	AGENT=${SECCOMP_AGENT:-$(dirname "$(command -v "$HUSK")")/../tests/tools/seccomp-agent}
	AGENT_PID=
}

teardown() {
	if [[ -n $AGENT_PID ]]; then
		kill "$AGENT_PID" 2>/dev/null
		wait "$AGENT_PID" 2>/dev/null
	fi
	common_teardown
}

# seccomp JSON: the whole linux.seccomp object
set_seccomp() {
	update_config '.linux.seccomp = $s' --argjson s "$1"
}

# rule NAMES_JSON ACTION [EXTRA_JSON]: one syscalls[] entry
rule() {
	local extra=${3:-'{}'}
	jq -nc --argjson n "$1" --arg a "$2" --argjson x "$extra" '{names: $n, action: $a} + $x'
}

allow_all_but() {
	local names=$1 action=$2 extra=${3:-'{}'}
	set_seccomp "$(jq -nc --argjson r "$(rule "$names" "$action" "$extra")" \
		'{defaultAction: "SCMP_ACT_ALLOW", syscalls: [$r]}')"
}

# Every x86_64 syscall numbered up to $1 except those named in the JSON array $2: a profile
# for a deny-by-default container.
syscalls_upto() {
	local hdr
	for hdr in /usr/include/x86_64-linux-gnu/asm/unistd_64.h /usr/include/asm/unistd_64.h; do
		[[ -r $hdr ]] && break
	done
	awk -v max="$1" '$1 == "#define" && $2 ~ /^__NR_/ && $3 <= max {
			sub(/^__NR_/, "", $2); print $2 }' "$hdr" |
		jq -R . | jq -sc --argjson drop "$2" '. - $drop'
}

start_agent() {
	[[ -x $AGENT ]] || skip "no seccomp-agent at $AGENT"
	SOCK=$BATS_TEST_TMPDIR/agent.sock
	"$AGENT" -s "$SOCK" -o "$BATS_TEST_TMPDIR/state.json" -l "$BATS_TEST_TMPDIR/agent.log" \
		"$@" 3>&- &
	AGENT_PID=$!
	wait_for test -S "$SOCK"
}

# ---- actions ----

@test "seccomp: SCMP_ACT_ERRNO answers EPERM by default" {
	allow_all_but '["mkdir","mkdirat"]' SCMP_ACT_ERRNO
	run_in 'mkdir /dev/shm/d 2>&1; echo "rc=$?"; test -d /dev/shm/d || echo absent'
	assert_success
	assert_output --partial "Operation not permitted"
	assert_line "rc=1"
	assert_line absent
}

@test "seccomp: errnoRet sets the errno" {
	allow_all_but '["sched_get_priority_min"]' SCMP_ACT_ERRNO '{"errnoRet": 100}'
	run_in "probe $NR_TARGET"
	assert_success
	assert_output "errno=100"
}

@test "seccomp: SCMP_ACT_KILL, KILL_THREAD, KILL_PROCESS and TRAP end the process with SIGSYS" {
	local action
	for action in SCMP_ACT_KILL SCMP_ACT_KILL_THREAD SCMP_ACT_KILL_PROCESS SCMP_ACT_TRAP; do
		allow_all_but '["sched_get_priority_min"]' "$action"
		run_in "probe $NR_TARGET; echo \"rc=\$?\""
		assert_success
		assert_line "rc=$((128 + 31))" # SIGSYS
	done
}

@test "seccomp: SCMP_ACT_TRACE without a tracer answers ENOSYS" {
	allow_all_but '["sched_get_priority_min"]' SCMP_ACT_TRACE '{"errnoRet": 7}'
	run_in "probe $NR_TARGET"
	assert_success
	assert_output "errno=38"
}

@test "seccomp: SCMP_ACT_LOG and SCMP_ACT_ALLOW let the syscall run" {
	allow_all_but '["sched_get_priority_min"]' SCMP_ACT_LOG
	run_in "probe $NR_TARGET"
	assert_success
	assert_output ok
	set_seccomp '{"defaultAction": "SCMP_ACT_LOG"}'
	run_in "probe $NR_TARGET"
	assert_success
	assert_output ok
}

@test "seccomp: syscall names unknown to libseccomp are skipped" {
	allow_all_but '["husk_no_such_syscall","sched_get_priority_min"]' SCMP_ACT_ERRNO
	run_in "probe $NR_TARGET"
	assert_success
	assert_output "errno=1"
}

# ---- deny by default: defaultErrnoRet and the -ENOSYS stub ----

@test "seccomp: deny by default answers defaultErrnoRet, and ENOSYS to syscalls newer than the profile" {
	local allow
	# every syscall numbered up to 300 but the target (147); getrandom (318) is newer
	allow=$(syscalls_upto 300 '["sched_get_priority_min"]')
	set_seccomp "$(jq -nc --argjson n "$allow" '{defaultAction: "SCMP_ACT_ERRNO",
		defaultErrnoRet: 18, syscalls: [{names: $n, action: "SCMP_ACT_ALLOW"}]}')"
	run_in "probe $NR_TARGET; probe $NR_GETRANDOM 0 0"
	assert_success
	# older than the profile's newest syscall: the default; newer: ENOSYS
	assert_line --index 0 "errno=18"
	assert_line --index 1 "errno=38"
}

@test "seccomp: no ENOSYS stub when the default allows" {
	set_seccomp "$(jq -nc --argjson r "$(rule '["sched_get_priority_min"]' SCMP_ACT_ERRNO)" \
		'{defaultAction: "SCMP_ACT_ALLOW", syscalls: [$r]}')"
	run_in "probe $NR_GETRANDOM 0 0"
	assert_success
	assert_output ok
}

# ---- argument filters ----

# denied_for OP VALUE [VALUE_TWO]: for which of a0 = 5, 10, 15 the target is refused
denied_for() {
	local arg
	arg=$(jq -nc --arg op "$1" --argjson v "$2" --argjson v2 "${3:-0}" \
		'[{index: 0, value: $v, valueTwo: $v2, op: $op}]')
	allow_all_but '["sched_get_priority_min"]' SCMP_ACT_ERRNO "$(jq -nc --argjson a "$arg" '{args: $a}')"
	run_in "for a in 5 10 15; do echo \"\$a \$(probe $NR_TARGET \$a)\"; done"
	assert_success
	grep ' errno=1$' <<<"$output" | cut -d' ' -f1 | tr '\n' ' '
}

@test "seccomp: argument filters with every operator" {
	[[ $(denied_for SCMP_CMP_NE 10) == "5 15 " ]]
	[[ $(denied_for SCMP_CMP_LT 10) == "5 " ]]
	[[ $(denied_for SCMP_CMP_LE 10) == "5 10 " ]]
	[[ $(denied_for SCMP_CMP_EQ 10) == "10 " ]]
	[[ $(denied_for SCMP_CMP_GE 10) == "10 15 " ]]
	[[ $(denied_for SCMP_CMP_GT 10) == "15 " ]]
	# (a0 & 12) == 4: 5 only
	[[ $(denied_for SCMP_CMP_MASKED_EQ 12 4) == "5 " ]]
}

@test "seccomp: conditions on two arguments AND, two on one argument OR (runc)" {
	allow_all_but '["sched_get_priority_min"]' SCMP_ACT_ERRNO '{"args": [
		{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"},
		{"index": 1, "value": 2, "op": "SCMP_CMP_EQ"}]}'
	run_in "probe $NR_TARGET 1 2; probe $NR_TARGET 1 3; probe $NR_TARGET 0 2"
	assert_success
	assert_equal "$(tr '\n' ' ' <<<"$output")" "errno=1 ok ok "

	allow_all_but '["sched_get_priority_min"]' SCMP_ACT_ERRNO '{"args": [
		{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"},
		{"index": 0, "value": 2, "op": "SCMP_CMP_EQ"}]}'
	run_in "probe $NR_TARGET 1; probe $NR_TARGET 2; probe $NR_TARGET 3"
	assert_success
	assert_equal "$(tr '\n' ' ' <<<"$output")" "errno=1 errno=1 ok "
}

# ---- architectures and flags ----

@test "seccomp: architectures list (x86_64, x86, x32)" {
	set_seccomp "$(jq -nc --argjson r "$(rule '["sched_get_priority_min"]' SCMP_ACT_ERRNO)" \
		'{defaultAction: "SCMP_ACT_ALLOW", syscalls: [$r],
		  architectures: ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"]}')"
	run_in "probe $NR_TARGET"
	assert_success
	assert_output "errno=1"
}

@test "seccomp: unknown architecture is refused, naming the JSON path" {
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_FOO"]}'
	set_cmd 'true'
	EXIT_ANY=1 assert_fails "SCMP_ARCH_FOO" "linux.seccomp.architectures[0]" -- \
		husk run -b "$BUNDLE" "$ID"
}

@test "seccomp: flags LOG, SPEC_ALLOW, TSYNC, none and absent all load" {
	local flags
	for flags in '[]' '["SECCOMP_FILTER_FLAG_LOG"]' '["SECCOMP_FILTER_FLAG_SPEC_ALLOW"]' \
		'["SECCOMP_FILTER_FLAG_TSYNC"]' \
		'["SECCOMP_FILTER_FLAG_LOG","SECCOMP_FILTER_FLAG_SPEC_ALLOW"]' null; do
		set_seccomp "$(jq -nc --argjson f "$flags" \
			'{defaultAction: "SCMP_ACT_ALLOW", flags: $f,
			  syscalls: [{names: ["mkdir","mkdirat"], action: "SCMP_ACT_ERRNO"}]}
			 | if .flags == null then del(.flags) else . end')"
		run_in 'grep -E "^Seccomp:" /proc/self/status; mkdir /dev/shm/d 2>&1; true'
		assert_success
		assert_line --regexp '^Seccomp:[[:space:]]+2$'
		assert_output --partial "Operation not permitted"
	done
}

@test "seccomp: unknown flag is refused, naming the JSON path" {
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "flags": ["SECCOMP_FILTER_FLAG_FOO"]}'
	set_cmd 'true'
	EXIT_ANY=1 assert_fails "SECCOMP_FILTER_FLAG_FOO" "linux.seccomp.flags[0]" -- \
		husk run -b "$BUNDLE" "$ID"
}

@test "seccomp: errnoRet on an action without an errno is refused" {
	allow_all_but '["sched_get_priority_min"]' SCMP_ACT_KILL '{"errnoRet": 1}'
	set_cmd 'true'
	EXIT_ANY=1 assert_fails "errno" "linux.seccomp.syscalls[0].errnoRet" -- \
		husk run -b "$BUNDLE" "$ID"
}

# ---- notify ----

notify_profile() {
	set_seccomp "$(jq -nc --arg p "$SOCK" --arg t "$TARGET" --argjson f "${1:-null}" '{
		defaultAction: "SCMP_ACT_ALLOW", listenerPath: $p, listenerMetadata: "meta=1;x",
		syscalls: [{names: ["mkdir", "mkdirat", $t], action: "SCMP_ACT_NOTIFY"}]}
		| if $f == null then . else .flags = $f end')"
}

@test "seccomp notify: the agent gets the container process state and answers with an errno" {
	start_agent -e 18
	notify_profile
	run_in 'mkdir /dev/shm/d 2>&1; echo "rc=$?"; test -d /dev/shm/d || echo absent'
	assert_success
	assert_output --partial "Invalid cross-device link"
	assert_line absent
	# one connection: the state as the runtime-spec describes it
	run jq -c '[.ociVersion != null, .fds, (.pid > 0), .metadata, .state.id,
		(.state.pid > 0), .state.bundle]' "$BATS_TEST_TMPDIR/state.json"
	assert_success
	assert_output "$(jq -nc --arg id "$ID" --arg b "$BUNDLE" \
		'[true, ["seccompFd"], true, "meta=1;x", $id, true, $b]')"
	grep -qE '^mkdir(at)? ' "$BATS_TEST_TMPDIR/agent.log"
}

@test "seccomp notify: the agent lets mkdir run (SECCOMP_USER_NOTIF_FLAG_CONTINUE) and answers another syscall" {
	start_agent -c mkdir,mkdirat -v 4242
	notify_profile
	run_in "mkdir /dev/shm/d && test -d /dev/shm/d && echo made; probe $NR_TARGET"
	assert_success
	assert_line made
	assert_line ok
	grep -q "^$TARGET " "$BATS_TEST_TMPDIR/agent.log"
}

@test "seccomp notify: SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV" {
	start_agent -c mkdir,mkdirat
	notify_profile '["SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"]'
	run_in 'mkdir /dev/shm/d && test -d /dev/shm/d && echo made'
	assert_success
	assert_line made
}

@test "seccomp notify: no agent listening is an error and leaves nothing behind" {
	SOCK=$BATS_TEST_TMPDIR/nobody.sock
	notify_profile
	set_cmd 'true'
	EXIT_ANY=1 assert_fails "nobody.sock" -- husk run -b "$BUNDLE" "$ID"
}

@test "seccomp notify: SCMP_ACT_NOTIFY on write is refused" {
	SOCK=$BATS_TEST_TMPDIR/agent.sock
	set_seccomp "$(jq -nc --arg p "$SOCK" '{defaultAction: "SCMP_ACT_ALLOW", listenerPath: $p,
		syscalls: [{names: ["write"], action: "SCMP_ACT_NOTIFY"}]}')"
	set_cmd 'true'
	EXIT_ANY=1 assert_fails "write" "linux.seccomp.syscalls[0].names[0]" -- \
		husk run -b "$BUNDLE" "$ID"
}
