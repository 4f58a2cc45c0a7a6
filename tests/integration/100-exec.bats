#!/usr/bin/env bats
# exec: every runc flag, checked from inside the new process (/proc/self/status, id, pwd, env,
# /proc/self/fd, /proc/self/cgroup, namespaces) and from the host (pid files, exit codes,
# processes).  Runs against runc too: HUSK=runc tests/run.sh tests/integration/100-exec.bats

load helpers

# status_field FIELD: FIELD of /proc/self/status in $output, blanks squeezed.
status_field() {
	awk -v f="$1:" '$1 == f { $1 = ""; sub(/^ +/, ""); print }' <<<"$output" | tr -s '\t ' ' '
}

# A running container to exec into: `sleep` as its init.
# No ambient capabilities: without inheritable ones they can't be raised, and the warnings
# (runc prints them too) would get in the way of the one-line error checks.
running() {
	update_config '.process.capabilities.ambient = []'
	start_bg 'sleep 1000'
}

@test "exec: runs in the container, stdout passes through, exit code comes back" {
	running
	hrun husk exec "$ID" sh -c 'echo hello; hostname'
	assert_success
	assert_line --index 0 hello
	hrun husk exec "$ID" sh -c 'exit 7'
	[ "$status" -eq 7 ]
	hrun husk exec "$ID" sh -c 'kill -9 $$'
	[ "$status" -eq 137 ]
}

@test "exec: joins every namespace of the init and its cgroup" {
	running
	hrun husk exec -d --pid-file "$BATS_TEST_TMPDIR/pid" "$ID" sleep 100
	assert_success
	local xpid ns
	xpid=$(cat "$BATS_TEST_TMPDIR/pid")
	for ns in mnt pid net ipc uts cgroup user; do
		[[ $(readlink "/proc/$xpid/ns/$ns") == "$(readlink "/proc/$PID/ns/$ns")" ]] ||
			fail "$ns namespace differs"
	done
	[[ $(cat "/proc/$xpid/cgroup") == "$(cat "/proc/$PID/cgroup")" ]]
	# and it is a child of nobody in the container but the init (pid 1 there)
	hrun husk exec "$ID" sh -c 'echo $PPID'
	assert_output 0
	kill -9 "$xpid"
}

@test "exec: in a created container" {
	set_cmd 'sleep 1000'
	hrun husk create -b "$BUNDLE" "$ID"
	assert_success
	hrun husk exec "$ID" echo created-ok
	assert_success
	assert_output created-ok
	[[ $(status_of "$ID") == created ]]
}

@test "exec --env: appended to the config's env" {
	running
	hrun husk exec --env FOO=bar --env BAZ=1 "$ID" env
	assert_success
	assert_line FOO=bar
	assert_line BAZ=1
	assert_line "HUSK_TEST_ID=$ID"
	assert_line TERM=xterm
}

@test "exec --cwd" {
	running
	hrun husk exec --cwd /tmp "$ID" pwd
	assert_success
	assert_output /tmp
	hrun husk exec "$ID" pwd
	assert_output /
}

@test "exec --user uid[:gid], --additional-gids" {
	running
	hrun husk exec --user 1000:1000 "$ID" id
	assert_success
	assert_output "uid=1000(user) gid=1000(user)"
	hrun husk exec -u 1000 "$ID" sh -c 'id -u; id -g'
	assert_output $'1000\n0'
	hrun husk exec -u 1000:1000 -g 10 -g 65534 "$ID" cat /proc/self/status
	assert_success
	[[ $(status_field Groups | xargs) == "10 65534" ]]
}

@test "exec --cap: added to bounding, effective and permitted" {
	running
	hrun husk exec "$ID" cat /proc/self/status
	[[ $(status_field CapEff) == 0000000020000420 ]] || fail "CapEff $(status_field CapEff)"
	hrun husk exec --cap CAP_SYS_ADMIN --cap CAP_NET_RAW "$ID" cat /proc/self/status
	assert_success
	# CAP_SYS_ADMIN 21, CAP_NET_RAW 13 on top of AUDIT_WRITE, KILL, NET_BIND_SERVICE
	[[ $(status_field CapEff) == 0000000020202420 ]] || fail "CapEff $(status_field CapEff)"
	[[ $(status_field CapBnd) == 0000000020202420 ]] || fail "CapBnd $(status_field CapBnd)"
	[[ $(status_field CapPrm) == 0000000020202420 ]] || fail "CapPrm $(status_field CapPrm)"
	[[ $(status_field CapInh) == 0000000000000000 ]]
}

@test "exec --no-new-privs" {
	update_config '.process.noNewPrivileges = false'
	running
	hrun husk exec "$ID" cat /proc/self/status
	[[ $(status_field NoNewPrivs) == 0 ]]
	hrun husk exec --no-new-privs "$ID" cat /proc/self/status
	assert_success
	[[ $(status_field NoNewPrivs) == 1 ]]
}

@test "exec --process: the process file is used as is" {
	running
	cat >"$BATS_TEST_TMPDIR/process.json" <<-EOF
		{
			"args": ["sh", "-c", "id; pwd; echo \$ONLY; cat /proc/self/status"],
			"env": ["ONLY=from-process-json", "PATH=/bin"],
			"cwd": "/etc",
			"user": {"uid": 1000, "gid": 1000, "additionalGids": [10]},
			"noNewPrivileges": true,
			"capabilities": {"bounding": ["CAP_KILL"], "effective": ["CAP_KILL"],
				"permitted": ["CAP_KILL"]}
		}
	EOF
	hrun husk exec --process "$BATS_TEST_TMPDIR/process.json" "$ID"
	assert_success
	assert_line --index 0 "uid=1000(user) gid=1000(user) groups=10"
	assert_line --index 1 /etc
	assert_line --index 2 from-process-json
	[[ $(status_field NoNewPrivs) == 1 ]]
	[[ $(status_field CapBnd) == 0000000000000020 ]]
	hrun husk exec -p "$BATS_TEST_TMPDIR/process.json" "$ID" ignored args
	assert_success
}

@test "exec --detach --pid-file: returns at once, the process runs on" {
	running
	hrun husk exec -d --pid-file "$BATS_TEST_TMPDIR/x.pid" "$ID" sh -c 'sleep 0.3; echo late'
	assert_success
	local xpid
	xpid=$(cat "$BATS_TEST_TMPDIR/x.pid")
	[[ $xpid =~ ^[0-9]+$ ]]
	kill -0 "$xpid"
	wait_for eval '! kill -0 '"$xpid"' 2>/dev/null'
}

@test "exec --pid-file: relative to the current directory" {
	running
	cd "$BATS_TEST_TMPDIR"
	hrun husk exec -d --pid-file rel.pid "$ID" true
	assert_success
	[[ -s $BATS_TEST_TMPDIR/rel.pid ]]
}

@test "exec: only stdio and --preserve-fds reach the process" {
	running
	# busybox ls holds one fd of its own on the directory
	hrun husk exec "$ID" ls /proc/self/fd
	assert_success
	assert_output $'0\n1\n2\n3'
	: >"$BATS_TEST_TMPDIR/three"
	"$HUSK" --root "$ROOT" exec --preserve-fds 2 "$ID" sh -c 'echo to-3 >&3; ls /proc/self/fd' \
		3>>"$BATS_TEST_TMPDIR/three" 4</dev/null 5</dev/null >"$BATS_TEST_TMPDIR/out"
	[[ $(cat "$BATS_TEST_TMPDIR/three") == to-3 ]]
	[[ $(tr '\n' ' ' <"$BATS_TEST_TMPDIR/out") == "0 1 2 3 4 5 " ]]
}

@test "exec --preserve-fds: a missing fd is an error" {
	running
	hrun husk exec --preserve-fds 40 "$ID" true
	[ "$status" -eq 255 ]
	assert_error_message "preserved-fd"
}

@test "exec --cgroup: a sub-cgroup of the container" {
	running
	local ver mnt made=0
	while read -r ver mnt; do
		[[ -d $mnt/$CGROUP_PARENT/$ID ]] || continue
		mkdir "$mnt/$CGROUP_PARENT/$ID/sub" && made=1
		# a new v1 cpuset takes no task before it has cpus and mems
		if [[ -e $mnt/$CGROUP_PARENT/$ID/sub/cpuset.cpus ]]; then
			cat "$mnt/$CGROUP_PARENT/$ID/cpuset.cpus" >"$mnt/$CGROUP_PARENT/$ID/sub/cpuset.cpus"
			cat "$mnt/$CGROUP_PARENT/$ID/cpuset.mems" >"$mnt/$CGROUP_PARENT/$ID/sub/cpuset.mems"
		fi
	done < <(cgroup_mounts)
	((made)) || skip "no cgroup for the container"
	hrun husk exec --cgroup sub "$ID" cat /proc/self/cgroup
	assert_success
	grep -q '/sub$' <<<"$output" || fail "not in sub: $output"
	hrun husk exec --cgroup nonexistent "$ID" true
	[ "$status" -eq 255 ]
}

@test "exec --cgroup: argument errors (runc's messages)" {
	running
	hrun husk exec --cgroup a:x --cgroup b "$ID" true
	assert_failure
	assert_error_message "missing <controller>: prefix"
	if is_husk; then # runc 1.1 has no such check; later versions do
		hrun husk exec --cgroup :x "$ID" true
		assert_failure
		assert_error_message "empty <controller> prefix"
	fi
	if is_husk; then
		hrun husk exec --cgroup memory:x --cgroup cpu,memory:y "$ID" true
		[ "$status" -eq 255 ]
		assert_error_message "specified multiple times"
	fi
}

@test "exec --apparmor, --process-label: refused where the LSM is absent" {
	[[ -e /sys/kernel/security/apparmor ]] && skip "apparmor present"
	running
	hrun husk exec --apparmor some-profile "$ID" true
	[ "$status" -eq 255 ]
	assert_error_message "apparmor"
	[[ -e /sys/fs/selinux/enforce ]] && skip "selinux present"
	hrun husk exec --process-label system_u:system_r:container_t:s0 "$ID" true
	[ "$status" -eq 255 ]
	assert_error_message "selinux"
}

@test "exec: stopped and paused containers are refused (runc's messages)" {
	running
	hrun husk pause "$ID"
	assert_success
	hrun husk exec "$ID" true
	[ "$status" -eq 255 ]
	assert_error_message "cannot exec in a paused container (use --ignore-paused to override)"
	# with --ignore-paused the process starts frozen and runs on resume
	(husk exec --ignore-paused "$ID" sh -c 'echo resumed' >"$BATS_TEST_TMPDIR/ip.out" 2>&1 </dev/null; echo $? >>"$BATS_TEST_TMPDIR/ip.out") &
	sleep 0.3
	[[ ! -s $BATS_TEST_TMPDIR/ip.out ]]
	hrun husk resume "$ID"
	assert_success
	wait
	[[ $(cat "$BATS_TEST_TMPDIR/ip.out") == $'resumed\n0' ]]
	hrun husk kill "$ID" KILL
	wait_status "$ID" stopped
	hrun husk exec "$ID" true
	[ "$status" -eq 255 ]
	assert_error_message "cannot exec in a stopped container"
}

@test "exec: usage errors" {
	running
	hrun husk exec
	assert_failure
	assert_error_message 'requires a minimum of 1 argument(s)'
	hrun husk exec "$ID"
	[ "$status" -eq 255 ]
	assert_error_message "args cannot be empty" # runc 1.1: "process args ..."
	# runc 1.1: "parsing abc as int for uid failed: ..."
	hrun husk exec -u abc "$ID" true
	[ "$status" -eq 255 ]
	assert_error_message "uid"
	hrun husk exec -u 1:abc "$ID" true
	[ "$status" -eq 255 ]
	assert_error_message "gid"
	hrun husk exec --cwd relative "$ID" true
	[ "$status" -eq 255 ]
	assert_error_message "Cwd must be an absolute path"
	hrun husk exec -d -t "$ID" true
	[ "$status" -eq 255 ]
	assert_error_message "cannot allocate tty"
	hrun husk exec --console-socket /nonexistent "$ID" true
	[ "$status" -eq 255 ]
	assert_error_message "cannot use console socket"
	hrun husk exec "$ID" /does/not/exist
	[ "$status" -eq 255 ]
	assert_error_message "exec failed"
	hrun husk exec nonexistent-container-id true
	[ "$status" -eq 255 ]
	assert_error_message "does not exist"
}

@test "exec: the exec'd process is not dumpable until execve, then is" {
	running
	# after execve the process is an ordinary, dumpable one the container can inspect
	hrun husk exec "$ID" sh -c 'cat /proc/self/status >/dev/null && ls -l /proc/self/exe'
	assert_success
	assert_output --partial '/bin/busybox'
}
