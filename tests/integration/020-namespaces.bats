#!/usr/bin/env bats
# Namespaces: new ones differ from the host's, absent ones are shared, joined ones (by path)
# are the other container's; hostname and domainname; pid 1.

load helpers

# ns_inode NAME [PID]: the namespace link of PID (default: this shell) as the host sees it.
ns_of() {
	readlink "/proc/${2:-self}/ns/$1"
}

@test "new namespaces: pid, net, ipc, uts, mount differ from the host's" {
	run_in 'for n in pid net ipc uts mnt cgroup; do echo "$n $(readlink /proc/self/ns/$n)"; done'
	assert_success
	local n
	for n in pid net ipc uts mnt; do
		assert_line --regexp "^$n $n:\[[0-9]+\]$"
		refute_line "$n $(ns_of "$n")"
	done
	# No cgroup namespace in the config: the host's.
	assert_line "cgroup $(ns_of cgroup)"
}

@test "the host sees the container's namespaces at /proc/PID/ns" {
	start_bg 'for n in pid net ipc uts mnt; do echo "$n $(readlink /proc/self/ns/$n)"; done; exec sleep 100'
	wait_for grep -q '^mnt' "$BATS_TEST_TMPDIR/$ID.out"
	local n
	for n in pid net ipc uts mnt; do
		grep -qxF "$n $(ns_of "$n" "$PID")" "$BATS_TEST_TMPDIR/$ID.out"
	done
}

@test "a namespace left out of the config is the host's" {
	update_config '.linux.namespaces |= map(select(.type != "network" and .type != "ipc"))'
	run_in 'readlink /proc/self/ns/net; readlink /proc/self/ns/ipc; readlink /proc/self/ns/uts'
	assert_success
	assert_line --index 0 "$(ns_of net)"
	assert_line --index 1 "$(ns_of ipc)"
	refute_line --index 2 "$(ns_of uts)"
}

@test "cgroup namespace: new when asked, the container sees itself at /" {
	update_config '.linux.namespaces += [{"type": "cgroup"}]'
	run_in 'readlink /proc/self/ns/cgroup; cat /proc/self/cgroup'
	assert_success
	refute_line --index 0 "$(ns_of cgroup)"
	# Inside a cgroup namespace the container's own cgroup is the root.
	refute_output --partial husk-test
}

@test "a new network namespace has only lo" {
	run_in 'tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d " "'
	assert_success
	assert_output lo
}

@test "pid namespace: the container's process is pid 1" {
	run_in 'echo $$; cat /proc/1/cmdline | tr "\0" " "; echo; ps -o pid,args | wc -l'
	assert_success
	assert_line --index 0 1
	assert_line --index 1 --partial 'sh -c'
	# ps sees only the container: header, sh, ps, wc.
	(("${lines[2]}" <= 4))
}

@test "hostname and domainname are set from inside, the host's are unchanged" {
	local host_name host_domain
	host_name=$(cat /proc/sys/kernel/hostname)
	host_domain=$(cat /proc/sys/kernel/domainname)
	update_config '.hostname = "box1" | .domainname = "example.org"'
	run_in 'hostname; cat /proc/sys/kernel/hostname; cat /proc/sys/kernel/domainname'
	assert_success
	assert_line --index 0 box1
	assert_line --index 1 box1
	# runc 1.1 ignores domainname (runc 1.2 sets it); husk sets it.
	if is_husk; then
		assert_line --index 2 example.org
	fi
	[[ $(cat /proc/sys/kernel/hostname) == "$host_name" ]]
	[[ $(cat /proc/sys/kernel/domainname) == "$host_domain" ]]
}

@test "join by path: a second container shares the first one's network namespace" {
	start_bg 'exec sleep 100'
	local id2 b2
	new_bundle id2 b2
	update_config_in "$b2" '(.linux.namespaces[] | select(.type == "network")) .path = $p' \
		--arg p "/proc/$PID/ns/net"
	set_cmd 'readlink /proc/self/ns/net; readlink /proc/self/ns/uts' "$b2"
	hrun husk run -b "$b2" "$id2"
	assert_success
	assert_line --index 0 "$(ns_of net "$PID")"
	refute_line --index 0 "$(ns_of net)"
	# uts was not joined: a new one of its own.
	refute_line --index 1 "$(ns_of uts "$PID")"
}

@test "join by path: uts and ipc of another container, hostname included" {
	update_config '.hostname = "alpha"'
	start_bg 'exec sleep 100'
	local id2 b2
	new_bundle id2 b2
	update_config_in "$b2" 'del(.hostname) | .linux.namespaces |= map(
		if .type == "uts" then .path = $uts elif .type == "ipc" then .path = $ipc else . end)' \
		--arg uts "/proc/$PID/ns/uts" --arg ipc "/proc/$PID/ns/ipc"
	set_cmd 'hostname; readlink /proc/self/ns/ipc' "$b2"
	hrun husk run -b "$b2" "$id2"
	assert_success
	assert_line --index 0 alpha
	assert_line --index 1 "$(ns_of ipc "$PID")"
}

@test "join by path: the pid namespace of another container" {
	start_bg 'exec sleep 100'
	local id2 b2
	new_bundle id2 b2
	update_config_in "$b2" '(.linux.namespaces[] | select(.type == "pid")) .path = $p' \
		--arg p "/proc/$PID/ns/pid"
	set_cmd 'echo $$; cat /proc/1/cmdline | tr "\0" " "' "$b2"
	hrun husk run -b "$b2" "$id2"
	assert_success
	# Not pid 1: the first container's sleep is.
	refute_line --index 0 1
	assert_line --index 1 --partial sleep
}

@test "join by path: a path that is not a namespace fails, naming the path" {
	update_config '(.linux.namespaces[] | select(.type == "network")) .path = $p' \
		--arg p "$BATS_TEST_TMPDIR"
	hrun husk run -b "$BUNDLE" "$ID"
	assert_failure 1
	assert_error_message "namespace" "$BATS_TEST_TMPDIR"
}
