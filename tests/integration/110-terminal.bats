#!/usr/bin/env bats
# Terminals: process.terminal with --console-socket (the master goes over SCM_RIGHTS, as conmon
# receives it: tests/tools/recvtty), consoleSize, /dev/console, and the relay of a foreground
# run / exec -t, typed into through a real pty (tmux: CI has no terminal).
#
# RECVTTY: the receiver (default: beside the husk under test, as `make check` builds it).

load helpers

setup_file() {
	export RECVTTY=${RECVTTY:-$(dirname "$(command -v "$HUSK")")/../tests/tools/recvtty}
}

setup() {
	common_setup
	[[ -x $RECVTTY ]] || skip "no recvtty at $RECVTTY"
	update_config '.process.capabilities.ambient = []'
	SOCK=$BATS_TEST_TMPDIR/console.sock
	TMUX_SOCK=husk-test-$$-$RANDOM
}

teardown() {
	tmux -L "$TMUX_SOCK" kill-server 2>/dev/null
	[[ -n ${RECV_PID:-} ]] && kill "$RECV_PID" 2>/dev/null
	common_teardown
}

# recv MODE: recvtty listening on $SOCK, its output in $BATS_TEST_TMPDIR/recv.out and the name
# it got in recv.name.
recv() {
	rm -f "$BATS_TEST_TMPDIR/ready"
	"$RECVTTY" -m "$1" -n "$BATS_TEST_TMPDIR/recv.name" -r "$BATS_TEST_TMPDIR/ready" "$SOCK" \
		</dev/null >"$BATS_TEST_TMPDIR/recv.out" 2>&1 &
	RECV_PID=$!
	wait_for test -e "$BATS_TEST_TMPDIR/ready"
}

# The husk command line (as one string for tmux).
husk_cmd() {
	printf '%q ' "$HUSK" --root "$ROOT" "$@"
}

# screen: what the tmux pane shows.
screen() {
	tmux -L "$TMUX_SOCK" capture-pane -p -t t
}

# type_in TEXT: type a line into the tmux pane.
type_in() {
	tmux -L "$TMUX_SOCK" send-keys -t t -l "$1"
	tmux -L "$TMUX_SOCK" send-keys -t t Enter
}

screen_has() {
	screen | grep -qF -- "$1"
}

@test "console socket: the master arrives as runc sends it; the process has the pty" {
	update_config '.process.terminal = true | .process.consoleSize = {"height": 30, "width": 100}'
	set_cmd 'tty; stty size; ls -l /dev/console | cut -c1; ls -1 /proc/self/fd; echo done'
	recv single
	hrun husk run -d --console-socket "$SOCK" -b "$BUNDLE" "$ID"
	assert_success
	wait "$RECV_PID"
	RECV_PID=
	# runc 1.1 names it /dev/ptmx; later runc and husk /dev/pts/ptmx
	[[ $(cat "$BATS_TEST_TMPDIR/recv.name") == /dev/pts/ptmx ]] || ! is_husk
	run cat "$BATS_TEST_TMPDIR/recv.out"
	assert_line --index 0 /dev/pts/0
	assert_line --index 1 "30 100"
	assert_line --index 2 c
	assert_line --index 3 0
	assert_line --index 6 3
	assert_line --index 7 done
}

@test "console socket: create, then start; stdio is the pty, not the caller's" {
	update_config '.process.terminal = true'
	set_cmd 'echo on-the-pty; echo to-stderr >&2'
	recv single
	hrun husk create --console-socket "$SOCK" -b "$BUNDLE" "$ID"
	assert_success
	hrun husk start "$ID"
	assert_success
	assert_output ""
	wait "$RECV_PID"
	RECV_PID=
	run cat "$BATS_TEST_TMPDIR/recv.out"
	assert_line on-the-pty
	assert_line to-stderr
}

@test "exec -t --console-socket -d: the exec'd process gets its own pty" {
	start_bg 'sleep 1000'
	recv single
	hrun husk exec -t -d --console-socket "$SOCK" "$ID" sh -c 'tty; echo $TERM; stty size'
	assert_success
	wait "$RECV_PID"
	RECV_PID=
	# runc 1.1 names it /dev/ptmx; later runc and husk /dev/pts/ptmx
	[[ $(cat "$BATS_TEST_TMPDIR/recv.name") == /dev/pts/ptmx ]] || ! is_husk
	# recvtty clears ONLCR once it has the master; output written before that has \r\n
	run tr -d '\r' <"$BATS_TEST_TMPDIR/recv.out"
	assert_line --index 0 /dev/pts/0
	assert_line --index 1 xterm
}

@test "console socket errors (runc's checks)" {
	update_config '.process.terminal = true'
	hrun husk create -b "$BUNDLE" "$ID"
	assert_failure
	assert_error_message "cannot allocate tty"
	update_config '.process.terminal = false'
	hrun husk create --console-socket "$SOCK" -b "$BUNDLE" "$ID"
	assert_failure
	assert_error_message "cannot use console socket"
	update_config '.process.terminal = true'
	hrun husk create --console-socket "$BATS_TEST_TMPDIR/nobody-listens" -b "$BUNDLE" "$ID"
	assert_failure
	assert_error_message "connect"
}

@test "foreground run with a terminal: type into a shell through a real pty" {
	command -v tmux >/dev/null || skip "no tmux"
	update_config '.process.terminal = true | .process.args = ["sh"]'
	tmux -L "$TMUX_SOCK" new-session -d -s t -x 80 -y 24 \
		"$(husk_cmd run -b "$BUNDLE" "$ID"); echo husk-exit=\$?; sleep 100"
	wait_for screen_has '#'
	type_in 'echo typed $((6 * 7)); tty; stty size'
	wait_for screen_has 'typed 42'
	screen_has /dev/pts/0
	screen_has '24 80'
	# SIGWINCH: the pty follows the window
	tmux -L "$TMUX_SOCK" resize-window -t t -x 100 -y 30
	sleep 0.2
	type_in 'stty size'
	wait_for screen_has '30 100'
	type_in 'exit 3'
	wait_for screen_has 'husk-exit=3'
}

@test "exec -t in the foreground: a shell through a real pty, ^C, exit code" {
	command -v tmux >/dev/null || skip "no tmux"
	start_bg 'sleep 1000'
	tmux -L "$TMUX_SOCK" new-session -d -s t -x 90 -y 20 \
		"$(husk_cmd exec -t "$ID" sh); echo husk-exit=\$?; sleep 100"
	wait_for screen_has '#'
	type_in 'echo in $(hostname) $((2 + 3))'
	wait_for screen_has 'in husk-test 5' || wait_for screen_has 'in  5' || true
	type_in 'stty size; sleep 100'
	wait_for screen_has '20 90'
	# ^C goes to the pty (raw mode): it interrupts the sleep, not husk
	tmux -L "$TMUX_SOCK" send-keys -t t C-c
	type_in 'echo still-here'
	wait_for screen_has 'still-here'
	type_in 'exit 5'
	wait_for screen_has 'husk-exit=5'
}

@test "exec -t without a terminal on stdin: input is relayed, EOF ends it" {
	is_husk || skip "runc refuses exec -t without a terminal to set raw"
	start_bg 'sleep 1000'
	printf 'line-one\n' >"$BATS_TEST_TMPDIR/in"
	timeout 10 "$HUSK" --root "$ROOT" exec -t "$ID" sh -c 'read x; echo got:$x; cat; echo eof' \
		<"$BATS_TEST_TMPDIR/in" >"$BATS_TEST_TMPDIR/out" 2>&1
	run cat "$BATS_TEST_TMPDIR/out"
	assert_line --partial got:line-one
	assert_line --partial eof
	# no \r: the pty does not translate output (runc clears ONLCR too)
	! grep -q $'\r' "$BATS_TEST_TMPDIR/out" || fail "carriage returns in the output"
}
