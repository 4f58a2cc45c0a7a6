#!/usr/bin/env bats
# The container process: user and groups, umask, cwd, env, rlimits, oomScoreAdj,
# noNewPrivileges, capabilities, args and PATH lookup, as seen from inside (and the host).

load helpers

# status_line FIELD: the value of FIELD from a /proc/self/status dump in $output.
status_line() {
	awk -v f="$1:" '$1 == f { $1 = ""; sub(/^ +/, ""); print }' <<<"$output"
}

@test "user: uid, gid and additionalGids (id and /proc/self/status)" {
	update_config '.process.user = {"uid": 1000, "gid": 1000, "additionalGids": [10, 65534]}'
	run_in 'id; grep -E "^(Uid|Gid|Groups):" /proc/self/status'
	assert_success
	assert_line --index 0 "uid=1000(user) gid=1000(user) groups=10,65534(nogroup)"
	[[ $(status_line Uid | tr -s '\t ' ' ') == "1000 1000 1000 1000" ]]
	[[ $(status_line Gid | tr -s '\t ' ' ') == "1000 1000 1000 1000" ]]
	[[ $(status_line Groups | xargs) == "10 65534" ]]
}

@test "user: root by default, no supplementary groups" {
	run_in 'id; grep "^Groups:" /proc/self/status'
	assert_success
	assert_line --index 0 "uid=0(root) gid=0(root)"
	[[ $(status_line Groups | xargs) == "" ]]
}

@test "user: a uid with no passwd entry; HOME from passwd or /" {
	update_config '.process.user = {"uid": 4242, "gid": 4343}'
	run_in 'id -u; id -g; echo "HOME=$HOME"'
	assert_success
	assert_line --index 0 4242
	assert_line --index 1 4343
	assert_line --index 2 "HOME=/"
	update_config '.process.user = {"uid": 1000, "gid": 1000}'
	run_in 'echo "HOME=$HOME"'
	assert_output "HOME=/home/user"
	update_config '.process.user = {"uid": 0, "gid": 0}'
	run_in 'echo "HOME=$HOME"'
	assert_output "HOME=/root"
}

@test "umask: default 0022, configured 0077 applies to new files" {
	run_in 'umask'
	assert_success
	assert_output 0022
	update_config '.process.user.umask = 63 | .root.readonly = false'
	run_in 'umask; echo x > /tmp/f; stat -c %a /tmp/f'
	assert_success
	assert_line --index 0 0077
	assert_line --index 1 600
}

@test "cwd: set from the config, created when missing" {
	update_config '.process.cwd = "/home/user"'
	run_in 'pwd'
	assert_success
	assert_output /home/user
	update_config '.process.cwd = "/new/dir"'
	run_in 'pwd'
	assert_success
	assert_output /new/dir
}

@test "env: exactly the configured environment (plus HOME)" {
	update_config '.process.env = ["PATH=/bin", "FOO=bar baz", "EMPTY=", "HUSK_TEST_ID=" + $id]' \
		--arg id "$ID"
	run_in 'env | sort'
	assert_success
	assert_line "PATH=/bin"
	assert_line "FOO=bar baz"
	assert_line "EMPTY="
	assert_line "HOME=/root"
	# Nothing from the runtime's own environment.
	refute_line --partial BATS_
	refute_line --regexp '^HUSK='
}

@test "stdio: no terminal; stdout and stderr are the runtime's" {
	run_in 'test -t 0 || echo "stdin not a tty"; test -t 1 || echo "stdout not a tty"; echo to-stderr >&2'
	assert_success
	assert_line "stdin not a tty"
	assert_line "stdout not a tty"
	[[ $stderr == *to-stderr* ]]
}

@test "rlimits: ulimit and /proc/self/limits show the configured values" {
	update_config '.process.rlimits = [
		{"type": "RLIMIT_NOFILE", "soft": 100, "hard": 200},
		{"type": "RLIMIT_CORE", "soft": 0, "hard": 4096},
		{"type": "RLIMIT_NPROC", "soft": 500, "hard": 600},
		{"type": "RLIMIT_STACK", "soft": 4194304, "hard": 8388608},
		{"type": "RLIMIT_MSGQUEUE", "soft": 1000, "hard": 2000}
	]'
	run_in 'ulimit -a; echo "Hn $(ulimit -Hn)"; cat /proc/self/limits'
	assert_success
	assert_line --regexp '^open files .*\(-n\) 100$'
	assert_line --regexp '^max user processes .*\(-u\) 500$'
	assert_line --regexp '^stack size \(kb\) .*\(-s\) 4096$'
	assert_line "Hn 200"
	assert_line --regexp '^Max open files +100 +200 +files'
	assert_line --regexp '^Max core file size +0 +4096 +bytes'
	assert_line --regexp '^Max processes +500 +600 +processes'
	assert_line --regexp '^Max stack size +4194304 +8388608 +bytes'
	assert_line --regexp '^Max msgqueue size +1000 +2000 +bytes'
}

@test "rlimits: the default config's RLIMIT_NOFILE 1024" {
	run_in 'ulimit -n; grep "Max open files" /proc/self/limits'
	assert_success
	assert_line --index 0 1024
	assert_line --index 1 --regexp '^Max open files +1024 +1024 +files'
}

@test "oomScoreAdj: inside and as the host sees it" {
	update_config '.process.oomScoreAdj = 500'
	start_bg 'cat /proc/self/oom_score_adj; exec sleep 100'
	wait_for test -s "$BATS_TEST_TMPDIR/$ID.out"
	[[ $(cat "$BATS_TEST_TMPDIR/$ID.out") == 500 ]]
	[[ $(cat "/proc/$PID/oom_score_adj") == 500 ]]
}

@test "oomScoreAdj: a negative value (needs privilege, set before caps are dropped)" {
	local eff
	eff=$(awk '$1 == "CapEff:" { print $2 }' /proc/self/status)
	# CAP_SYS_RESOURCE is bit 24; sandboxes often drop it.
	(((0x$eff >> 24) & 1)) || skip "the test runner lacks CAP_SYS_RESOURCE"
	update_config '.process.oomScoreAdj = -250'
	run_in 'cat /proc/self/oom_score_adj'
	assert_success
	assert_output -- -250
}

@test "noNewPrivileges: NoNewPrivs 1 when true, 0 when false" {
	run_in 'grep NoNewPrivs /proc/self/status'
	assert_success
	assert_output --regexp 'NoNewPrivs:\s+1'
	update_config '.process.noNewPrivileges = false'
	run_in 'grep NoNewPrivs /proc/self/status'
	assert_success
	assert_output --regexp 'NoNewPrivs:\s+0'
}

@test "capabilities: the default set (ambient dropped: not in inheritable)" {
	run_in 'grep ^Cap /proc/self/status'
	assert_success
	# CAP_KILL (5), CAP_NET_BIND_SERVICE (10), CAP_AUDIT_WRITE (29)
	[[ $(status_line CapEff) == 0000000020000420 ]]
	[[ $(status_line CapPrm) == 0000000020000420 ]]
	[[ $(status_line CapBnd) == 0000000020000420 ]]
	[[ $(status_line CapInh) == 0000000000000000 ]]
	[[ $(status_line CapAmb) == 0000000000000000 ]]
}

@test "capabilities: a non-root user keeps inheritable+ambient caps across exec" {
	update_config '.process.user = {"uid": 1000, "gid": 1000} | .process.capabilities = {
		"bounding": ["CAP_CHOWN", "CAP_KILL", "CAP_SYS_ADMIN"],
		"effective": ["CAP_CHOWN", "CAP_KILL"],
		"permitted": ["CAP_CHOWN", "CAP_KILL"],
		"inheritable": ["CAP_KILL"],
		"ambient": ["CAP_KILL"]}'
	run_in 'grep ^Cap /proc/self/status'
	assert_success
	[[ $(status_line CapBnd) == 0000000000200021 ]]
	[[ $(status_line CapInh) == 0000000000000020 ]]
	[[ $(status_line CapAmb) == 0000000000000020 ]]
	[[ $(status_line CapPrm) == 0000000000000020 ]]
	[[ $(status_line CapEff) == 0000000000000020 ]]
}

@test "capabilities: root is limited by the bounding set; a dropped cap really is gone" {
	update_config '.root.readonly = false | .process.capabilities = {
		"bounding": ["CAP_CHOWN"], "effective": ["CAP_CHOWN"], "permitted": ["CAP_CHOWN"]}'
	run_in 'grep ^Cap /proc/self/status; touch /tmp/f; chown 1000 /tmp/f && echo "chown ok";
		mknod /tmp/n c 1 3 2>/dev/null || echo "mknod denied"'
	assert_success
	[[ $(status_line CapBnd) == 0000000000000001 ]]
	[[ $(status_line CapEff) == 0000000000000001 ]]
	[[ $(status_line CapPrm) == 0000000000000001 ]]
	assert_line "chown ok"
	assert_line "mknod denied"
}

@test "capabilities: no capabilities object means none" {
	update_config 'del(.process.capabilities)'
	run_in 'grep ^Cap /proc/self/status'
	assert_success
	[[ $(status_line CapEff) == 0000000000000000 ]]
	[[ $(status_line CapBnd) == 0000000000000000 ]]
}

@test "args: PATH lookup happens inside the container" {
	update_config '.root.readonly = false | .process.env |= map(select(startswith("PATH=") | not)) + ["PATH=/opt/tools:/bin"]'
	mkdir -p "$BUNDLE/rootfs/opt/tools"
	printf '#!/bin/sh\necho "hello from $0 $*"\n' >"$BUNDLE/rootfs/opt/tools/hello"
	chmod 755 "$BUNDLE/rootfs/opt/tools/hello"
	update_config '.process.args = ["hello", "a", "b c"]'
	hrun husk run -b "$BUNDLE" "$ID"
	assert_success
	assert_output "hello from /opt/tools/hello a b c"
}

@test "args: an absolute path, and a relative one resolved against cwd" {
	update_config '.process.args = ["/bin/echo", "absolute"]'
	hrun husk run -b "$BUNDLE" "$ID"
	assert_success
	assert_output absolute
	update_config '.process.cwd = "/bin" | .process.args = ["./echo", "relative"]'
	hrun husk run -b "$BUNDLE" "$ID"
	assert_success
	assert_output relative
}

@test "args: a program only on the host is not found in the container" {
	# jq exists on the host (/usr/bin/jq) but not in the busybox rootfs.
	update_config '.process.args = ["jq", "--version"]'
	hrun husk run -b "$BUNDLE" "$ID"
	assert_failure 1
	assert_error_message "jq"
	refute_output --partial jq-
}

@test "args: a missing executable fails with exit 1 and names it" {
	update_config '.process.args = ["no-such-program"]'
	hrun husk run -b "$BUNDLE" "$ID"
	assert_failure 1
	assert_error_message "no-such-program"
	[[ $(status_of "$ID") == none ]]
}

@test "args: a file that is not executable fails" {
	update_config '.process.args = ["/etc/passwd"]'
	hrun husk run -b "$BUNDLE" "$ID"
	assert_failure 1
	assert_error_message "/etc/passwd"
}
