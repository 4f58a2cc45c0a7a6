#!/usr/bin/env bats
# stdio and fds as engines pass them (inherited pipes, --preserve-fds, socket activation,
# nothing else), --pidfd-socket on create/run/exec, signal forwarding and exit codes.

load helpers

setup_file() {
	export RECVTTY=${RECVTTY:-$(dirname "$(command -v "$HUSK")")/../tests/tools/recvtty}
}

setup() {
	common_setup
	update_config '.process.capabilities.ambient = []'
	SOCK=$BATS_TEST_TMPDIR/pidfd.sock
}

teardown() {
	[[ -n ${RECV_PID:-} ]] && kill "$RECV_PID" 2>/dev/null
	common_teardown
}

# recv_pidfd: recvtty -m pidfd on $SOCK; prints "<name> <pid>" then "exited" to recv.out.
recv_pidfd() {
	[[ -x $RECVTTY ]] || skip "no recvtty at $RECVTTY"
	is_husk || "$HUSK" create --help 2>&1 | grep -q pidfd-socket || skip "no --pidfd-socket (runc < 1.2)"
	rm -f "$BATS_TEST_TMPDIR/ready"
	"$RECVTTY" -m pidfd -r "$BATS_TEST_TMPDIR/ready" "$SOCK" </dev/null \
		>"$BATS_TEST_TMPDIR/recv.out" 2>&1 &
	RECV_PID=$!
	wait_for test -e "$BATS_TEST_TMPDIR/ready"
}

@test "detached run without a terminal: the caller's pipes reach the container" {
	set_cmd 'sleep 0.2; echo through-the-pipe; echo err-pipe >&2'
	"$HUSK" --root "$ROOT" run -d -b "$BUNDLE" "$ID" </dev/null 2>"$BATS_TEST_TMPDIR/err" |
		cat >"$BATS_TEST_TMPDIR/out"
	# cat ended: the container, the last writer, has exited
	[[ $(cat "$BATS_TEST_TMPDIR/out") == through-the-pipe ]]
	[[ $(cat "$BATS_TEST_TMPDIR/err") == err-pipe ]]
}

@test "run: only stdio reaches the container; --preserve-fds passes N more" {
	run_in 'ls -1 /proc/self/fd'
	assert_success
	assert_output $'0\n1\n2\n3'
	set_cmd 'echo to-fd-3 >&3; ls -1 /proc/self/fd'
	"$HUSK" --root "$ROOT" run --preserve-fds 1 -b "$BUNDLE" "$ID" 3>"$BATS_TEST_TMPDIR/three" \
		</dev/null >"$BATS_TEST_TMPDIR/out"
	[[ $(cat "$BATS_TEST_TMPDIR/three") == to-fd-3 ]]
	[[ $(tr '\n' ' ' <"$BATS_TEST_TMPDIR/out") == "0 1 2 3 4 " ]]
}

@test "socket activation: LISTEN_FDS fds pass, LISTEN_PID names the container process" {
	update_config '.linux.namespaces |= map(select(.type != "pid")) + [{"type": "pid"}]'
	set_cmd 'echo "$LISTEN_FDS $LISTEN_PID $$"; echo activated >&3; ls -1 /proc/self/fd | wc -l'
	bash -c 'export LISTEN_FDS=1 LISTEN_PID=$$; exec "$@"' _ "$HUSK" --root "$ROOT" run \
		-b "$BUNDLE" "$ID" 3>"$BATS_TEST_TMPDIR/sock" </dev/null >"$BATS_TEST_TMPDIR/out"
	run cat "$BATS_TEST_TMPDIR/out"
	assert_line --index 0 "1 1 1"
	assert_line --index 1 5
	[[ $(cat "$BATS_TEST_TMPDIR/sock") == activated ]]
	# LISTEN_PID naming someone else: nothing passed
	set_cmd 'echo "[$LISTEN_FDS]"'
	LISTEN_FDS=1 LISTEN_PID=1 "$HUSK" --root "$ROOT" run -b "$BUNDLE" "$ID" \
		3>/dev/null </dev/null >"$BATS_TEST_TMPDIR/out"
	[[ $(cat "$BATS_TEST_TMPDIR/out") == "[]" ]]
}

@test "--pidfd-socket: run -d sends a pidfd of the init" {
	recv_pidfd
	set_cmd 'sleep 1000'
	hrun husk run -d --pidfd-socket "$SOCK" -b "$BUNDLE" "$ID"
	assert_success
	wait_status "$ID" running
	wait_for grep -q . "$BATS_TEST_TMPDIR/recv.out"
	[[ $(head -1 "$BATS_TEST_TMPDIR/recv.out") == "standard $(state_field "$ID" pid)" ]]
	hrun husk kill "$ID" KILL
	wait_for grep -q exited "$BATS_TEST_TMPDIR/recv.out"
}

@test "--pidfd-socket: create sends it too" {
	recv_pidfd
	set_cmd 'true'
	hrun husk create --pidfd-socket "$SOCK" -b "$BUNDLE" "$ID"
	assert_success
	wait_for grep -q . "$BATS_TEST_TMPDIR/recv.out"
	[[ $(head -1 "$BATS_TEST_TMPDIR/recv.out") == "standard $(state_field "$ID" pid)" ]]
}

@test "--pidfd-socket: exec sends a pidfd of the exec'd process" {
	start_bg 'sleep 1000'
	recv_pidfd
	hrun husk exec -d --pidfd-socket "$SOCK" --pid-file "$BATS_TEST_TMPDIR/x.pid" "$ID" sleep 0.5
	assert_success
	wait_for grep -q . "$BATS_TEST_TMPDIR/recv.out"
	[[ $(head -1 "$BATS_TEST_TMPDIR/recv.out") == "setns $(cat "$BATS_TEST_TMPDIR/x.pid")" ]]
	wait_for grep -q exited "$BATS_TEST_TMPDIR/recv.out"
}

@test "foreground run: signals are forwarded, the exit code comes back" {
	set_cmd 'trap "echo got-term; exit 3" TERM; echo ready; while :; do sleep 0.05; done'
	"$HUSK" --root "$ROOT" run -b "$BUNDLE" "$ID" </dev/null >"$BATS_TEST_TMPDIR/out" 2>&1 &
	local hpid=$!
	wait_for grep -q ready "$BATS_TEST_TMPDIR/out"
	kill -TERM "$hpid"
	local rc=0
	wait "$hpid" || rc=$?
	[ "$rc" -eq 3 ]
	grep -q got-term "$BATS_TEST_TMPDIR/out"
}

@test "foreground run: 128+N when the init dies of signal N" {
	# (pid 1 of a pid namespace cannot kill itself: the signal comes from the host)
	set_cmd 'sleep 1000'
	"$HUSK" --root "$ROOT" run -b "$BUNDLE" "$ID" </dev/null >/dev/null 2>&1 &
	local hpid=$! rc=0
	wait_status "$ID" running
	husk kill "$ID" KILL
	wait "$hpid" || rc=$?
	[ "$rc" -eq 137 ]
}

@test "foreground exec: signals are forwarded to the exec'd process" {
	start_bg 'sleep 1000'
	"$HUSK" --root "$ROOT" exec "$ID" sh -c 'trap "echo got-usr1; exit 4" USR1; echo ready; while :; do sleep 0.05; done' \
		</dev/null >"$BATS_TEST_TMPDIR/out" 2>&1 &
	local hpid=$! rc=0
	wait_for grep -q ready "$BATS_TEST_TMPDIR/out"
	kill -USR1 "$hpid"
	wait "$hpid" || rc=$?
	[ "$rc" -eq 4 ]
	grep -q got-usr1 "$BATS_TEST_TMPDIR/out"
}

@test "kill accepts KILL, SIGKILL and 9" {
	local sig
	for sig in KILL SIGKILL 9; do
		start_bg 'sleep 1000'
		hrun husk kill "$ID" "$sig"
		assert_success
		wait_status "$ID" stopped
		husk delete "$ID"
	done
}
