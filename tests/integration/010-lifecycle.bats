#!/usr/bin/env bats
# The container lifecycle: create/start/state/kill/delete, run (foreground, -d, --keep), list,
# --pid-file, and the status transitions created -> running -> stopped.

load helpers

# A container that reports a trapped signal and exits 3.
TRAP_CMD='trap "echo got TERM; exit 3" TERM; trap "echo got USR1; exit 4" USR1; echo ready; while :; do sleep 0.05; done'

@test "run: foreground container prints from inside and is gone afterwards" {
	run_in 'echo hello from $(hostname) as $(id -u)'
	assert_success
	assert_output "hello from husk as 0"
	[[ ! -e $ROOT/$ID ]]
	hrun husk state "$ID"
	assert_failure 1
}

@test "run: returns the container's exit code" {
	run_in 'exit 42'
	assert_failure 42
	run_in 'true'
	assert_success
}

@test "run: exit code 128+N when the container is killed by signal N" {
	set_cmd 'echo started; exec sleep 100'
	husk run -b "$BUNDLE" "$ID" >"$BATS_TEST_TMPDIR/out" 2>&1 </dev/null &
	local runpid=$!
	wait_status "$ID" running
	# "running" means started, not yet exec'd: wait for the command itself
	wait_for grep -q started "$BATS_TEST_TMPDIR/out"
	husk kill "$ID" KILL
	local rc=0
	wait "$runpid" || rc=$?
	[[ $rc -eq 137 ]] || fail "run returned $rc, want 137"
}

@test "run: a container killing itself with SIGTERM gives 143" {
	# Not pid 1 (no pid namespace): the shell can kill itself.
	update_config '.linux.namespaces |= map(select(.type != "pid"))'
	run_in 'kill -TERM $$; sleep 5'
	assert_failure 143
}

@test "run -d: returns at once, the container runs in the background" {
	start_bg 'echo started; exec sleep 100'
	[[ $PID -gt 0 ]]
	# The host sees the container's process, and it is the configured command.
	grep -q '^sleep' <(tr '\0' ' ' <"/proc/$PID/cmdline")
	wait_for grep -q started "$BATS_TEST_TMPDIR/$ID.out"
	husk kill "$ID" KILL
	wait_status "$ID" stopped
	husk delete "$ID"
	[[ ! -e $ROOT/$ID ]]
	[[ ! -e /proc/$PID ]] || ! grep -q '^sleep' <(tr '\0' ' ' <"/proc/$PID/cmdline" 2>/dev/null)
}

@test "run --keep: the stopped container stays until deleted" {
	set_cmd 'exit 7'
	hrun husk run --keep -b "$BUNDLE" "$ID"
	assert_failure 7
	[[ $(status_of "$ID") == stopped ]]
	[[ -d $ROOT/$ID ]]
	husk delete "$ID"
	[[ ! -e $ROOT/$ID ]]
	[[ $(status_of "$ID") == none ]]
}

@test "create/start/state: created -> running -> stopped" {
	set_cmd 'echo started; read x < /dev/null; sleep 0.3; echo done'
	husk create -b "$BUNDLE" "$ID" >"$BATS_TEST_TMPDIR/out" 2>&1 </dev/null
	hrun husk state "$ID"
	assert_success
	[[ $(jq -r .status <<<"$output") == created ]]
	local pid
	pid=$(jq -r .pid <<<"$output")
	[[ $pid -gt 0 && -d /proc/$pid ]]
	# Nothing ran yet.
	[[ ! -s $BATS_TEST_TMPDIR/out ]]
	husk start "$ID"
	# start returns at once: the container is still running.
	[[ $(status_of "$ID") == running ]]
	wait_for grep -q started "$BATS_TEST_TMPDIR/out"
	wait_status "$ID" stopped
	grep -q done "$BATS_TEST_TMPDIR/out"
	hrun husk state "$ID"
	assert_success
	[[ $(jq -r .status <<<"$output") == stopped ]]
	[[ $(jq -r .pid <<<"$output") == 0 ]]
	husk delete "$ID"
	[[ ! -e $ROOT/$ID ]]
}

@test "state: runc's fields, with the bundle and rootfs as absolute paths" {
	update_config '.annotations = {"org.example.key": "value"}'
	husk create -b "$BUNDLE" "$ID" >/dev/null 2>&1 </dev/null
	hrun husk state "$ID"
	assert_success
	local s=$output
	[[ $(jq -r .ociVersion <<<"$s") == 1.* ]]
	[[ $(jq -r .id <<<"$s") == "$ID" ]]
	[[ $(jq -r .status <<<"$s") == created ]]
	[[ $(jq -r .bundle <<<"$s") == "$BUNDLE" ]]
	[[ $(jq -r .rootfs <<<"$s") == "$BUNDLE/rootfs" ]]
	[[ $(jq -r '.pid | type' <<<"$s") == number ]]
	[[ $(jq -r .owner <<<"$s") == "" ]]
	[[ $(jq -r '.annotations["org.example.key"]' <<<"$s") == value ]]
	# created is RFC 3339 and recent.
	local created now
	created=$(jq -r .created <<<"$s")
	[[ $created =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$ ]]
	now=$(date +%s)
	(($(date -d "$created" +%s) >= now - 60))
	# The pid is the container's init, in the container's namespaces.
	local pid
	pid=$(jq -r .pid <<<"$s")
	[[ $(readlink "/proc/$pid/ns/uts") != $(readlink /proc/self/ns/uts) ]]
}

@test "create: the bundle defaults to the current directory" {
	cd "$BUNDLE"
	husk create "$ID" >/dev/null 2>&1 </dev/null
	cd /
	[[ $(state_field "$ID" bundle) == "$BUNDLE" ]]
	[[ $(state_field "$ID" status) == created ]]
}

@test "create --pid-file and run -d --pid-file write the init pid" {
	husk create --pid-file "$BATS_TEST_TMPDIR/pid1" -b "$BUNDLE" "$ID" >/dev/null 2>&1 </dev/null
	[[ $(cat "$BATS_TEST_TMPDIR/pid1") == "$(state_field "$ID" pid)" ]]
	# No newline, like runc (engines read it with strconv).
	[[ $(wc -l <"$BATS_TEST_TMPDIR/pid1") == 0 ]]

	local id2 b2
	new_bundle id2 b2
	set_cmd 'exec sleep 100' "$b2"
	husk run -d --pid-file "$BATS_TEST_TMPDIR/pid2" -b "$b2" "$id2" >/dev/null 2>&1 </dev/null
	local pid
	pid=$(cat "$BATS_TEST_TMPDIR/pid2")
	[[ $pid == "$(state_field "$id2" pid)" ]]
	grep -q '^sleep' <(tr '\0' ' ' <"/proc/$pid/cmdline")
}

@test "create --pid-file: a relative path is relative to the current directory" {
	cd "$BATS_TEST_TMPDIR"
	husk create --pid-file rel.pid -b "$BUNDLE" "$ID" >/dev/null 2>&1 </dev/null
	cd /
	[[ $(cat "$BATS_TEST_TMPDIR/rel.pid") == "$(state_field "$ID" pid)" ]]
}

@test "kill: signal names with and without SIG, numbers, and the SIGTERM default" {
	local sig want
	for sig in TERM SIGTERM 15 "" USR1 SIGUSR1 10; do
		case $sig in
		*USR1 | 10) want="got USR1" ;;
		*) want="got TERM" ;;
		esac
		local id b
		new_bundle id b
		start_bg "$TRAP_CMD" "$id" "$b"
		wait_for grep -q ready "$BATS_TEST_TMPDIR/$id.out"
		if [[ -n $sig ]]; then
			husk kill "$id" "$sig"
		else
			husk kill "$id"
		fi
		wait_status "$id" stopped
		grep -q "$want" "$BATS_TEST_TMPDIR/$id.out" ||
			fail "kill '$sig': container printed '$(cat "$BATS_TEST_TMPDIR/$id.out")'"
		husk delete "$id"
	done
}

@test "kill KILL: the init dies; the host no longer sees the process" {
	start_bg 'exec sleep 100'
	husk kill "$ID" KILL
	wait_status "$ID" stopped
	wait_for test ! -e "/proc/$PID/cmdline" -o -z "$(cat "/proc/$PID/cmdline" 2>/dev/null)"
}

@test "kill of a stopped container fails" {
	set_cmd 'true'
	husk run -d -b "$BUNDLE" "$ID" >/dev/null 2>&1 </dev/null
	wait_status "$ID" stopped
	hrun husk kill "$ID" KILL
	assert_failure 1
	assert_error_message "not running"
	[[ $(status_of "$ID") == stopped ]]
}

@test "kill of a created container: it stops without running its command" {
	set_cmd 'echo should not run'
	husk create -b "$BUNDLE" "$ID" >"$BATS_TEST_TMPDIR/out" 2>&1 </dev/null
	husk kill "$ID" KILL
	wait_status "$ID" stopped
	[[ ! -s $BATS_TEST_TMPDIR/out ]]
}

@test "delete of a running container is refused; it keeps running" {
	start_bg 'exec sleep 100'
	hrun husk delete "$ID"
	assert_failure 1
	assert_error_message "running"
	[[ $(status_of "$ID") == running ]]
	[[ -d /proc/$PID ]]
}

@test "delete --force of a running container kills it and removes everything" {
	start_bg 'exec sleep 100'
	hrun husk delete --force "$ID"
	assert_success
	[[ $(status_of "$ID") == none ]]
	[[ ! -e $ROOT/$ID ]]
	wait_for test -z "$(test_pids)"
}

@test "delete of a created container removes it" {
	husk create -b "$BUNDLE" "$ID" >/dev/null 2>&1 </dev/null
	local pid
	pid=$(state_field "$ID" pid)
	hrun husk delete "$ID"
	assert_success
	[[ ! -e $ROOT/$ID ]]
	wait_for test -z "$(test_pids)"
}

@test "delete --force of a nonexistent container succeeds" {
	hrun husk delete --force "$ID"
	assert_success
}

@test "start of a stopped container fails" {
	set_cmd 'true'
	husk run -d -b "$BUNDLE" "$ID" >/dev/null 2>&1 </dev/null
	wait_status "$ID" stopped
	hrun husk start "$ID"
	assert_failure 1
	assert_error_message "stopped"
}

@test "list: table with our containers and their status" {
	local id2 b2
	new_bundle id2 b2
	start_bg 'exec sleep 100'
	husk create -b "$b2" "$id2" >/dev/null 2>&1 </dev/null
	hrun husk list
	assert_success
	assert_line --index 0 --regexp '^ID +PID +STATUS +BUNDLE +CREATED +OWNER$'
	assert_line --regexp "^$ID +$PID +running +$BUNDLE +[0-9T:.Z-]+ +root$"
	assert_line --regexp "^$id2 +[0-9]+ +created +$b2 "
}

@test "list -q and --quiet: ids only" {
	start_bg 'exec sleep 100'
	hrun husk list -q
	assert_success
	assert_line "$ID"
	hrun husk list --quiet
	assert_line "$ID"
	refute_line --partial running
}

@test "list --format json: an array of states" {
	start_bg 'exec sleep 100'
	hrun husk list --format json
	assert_success
	jq -e 'type == "array"' <<<"$output"
	local s
	s=$(jq -c --arg id "$ID" '.[] | select(.id == $id)' <<<"$output")
	[[ -n $s ]]
	[[ $(jq -r .status <<<"$s") == running ]]
	[[ $(jq -r .pid <<<"$s") == "$PID" ]]
	[[ $(jq -r .bundle <<<"$s") == "$BUNDLE" ]]
	[[ $(jq -r .rootfs <<<"$s") == "$BUNDLE/rootfs" ]]
	[[ $(jq -r .owner <<<"$s") == root ]]
	jq -e '.created | test("^[0-9]{4}-")' <<<"$s"
}

@test "list: an empty root prints just the header (json: [] or null)" {
	local r=$BATS_TEST_TMPDIR/emptyroot
	mkdir -p "$r"
	hrun "$HUSK" --root "$r" list
	assert_success
	assert_equal "${#lines[@]}" 1
	hrun "$HUSK" --root "$r" list -q
	assert_success
	assert_output ""
	hrun "$HUSK" --root "$r" list --format json
	assert_success
	[[ $(jq -c . <<<"$output") == "[]" || $(jq -c . <<<"$output") == null ]]
}

@test "--version prints a version and the spec version" {
	hrun "$HUSK" --version
	assert_success
	assert_line --index 0 --partial version
	assert_output --partial spec
}

@test "kill --all: every process of the container gets the signal" {
	start_bg 'sleep 100 & sleep 100 & echo ready; wait'
	wait_for grep -q ready "$BATS_TEST_TMPDIR/$ID.out"
	hrun husk kill --all "$ID" KILL
	assert_success
	wait_status "$ID" stopped
	wait_for test -z "$(test_pids)"
}

@test "create --no-pivot: the container still sees only its rootfs" {
	set_cmd 'ls /; hostname'
	husk create --no-pivot -b "$BUNDLE" "$ID" >"$BATS_TEST_TMPDIR/out" 2>&1 </dev/null
	husk start "$ID"
	wait_status "$ID" stopped
	grep -qx bin "$BATS_TEST_TMPDIR/out"
	grep -qx husk "$BATS_TEST_TMPDIR/out"
	# Nothing from the host's /: the rootfs has no usr, lib or var.
	! grep -qxE 'usr|lib|var' "$BATS_TEST_TMPDIR/out"
}

@test "run --no-new-keyring: parses and runs" {
	set_cmd 'echo keyring-ok'
	hrun husk run --no-new-keyring -b "$BUNDLE" "$ID"
	assert_success
	assert_output keyring-ok
}

@test "run --preserve-fds 1: fd 3 reaches the container" {
	echo "passed through fd 3" >"$BATS_TEST_TMPDIR/fd3"
	set_cmd 'cat <&3; ls /proc/self/fd | sort -n | tr "\n" " "'
	husk run --preserve-fds 1 -b "$BUNDLE" "$ID" >"$BATS_TEST_TMPDIR/out" 2>&1 \
		3<"$BATS_TEST_TMPDIR/fd3" </dev/null
	grep -qx "passed through fd 3" "$BATS_TEST_TMPDIR/out"
}

@test "run without --preserve-fds: no extra fd leaks into the container" {
	set_cmd 'ls /proc/self/fd | sort -n | tr "\n" " "'
	husk run -b "$BUNDLE" "$ID" >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" \
		3<"$BATS_TEST_TMPDIR/err" 4</dev/null </dev/null
	# 0 1 2 and the fd ls opened for /proc/self/fd (3).
	[[ $(cat "$BATS_TEST_TMPDIR/out") == "0 1 2 3 " ]] || fail "fds: $(cat "$BATS_TEST_TMPDIR/out")"
}

@test "global flags --debug and --rootless false parse" {
	set_cmd 'echo flags-ok'
	hrun "$HUSK" --root "$ROOT" --debug --rootless false run -b "$BUNDLE" "$ID"
	assert_success
	assert_output flags-ok
}
