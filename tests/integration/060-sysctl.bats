#!/usr/bin/env bats
# linux.sysctl: namespaced sysctls set for the container only, read back from /proc/sys inside;
# sysctls the container's namespaces do not cover are refused.

load helpers

@test "sysctl: net.* and kernel.* (ipc) values are set inside, the host's unchanged" {
	local host_fwd host_msgmax host_somax
	host_fwd=$(cat /proc/sys/net/ipv4/ip_forward)
	host_msgmax=$(cat /proc/sys/kernel/msgmax)
	host_somax=$(cat /proc/sys/net/core/somaxconn)
	update_config '.linux.sysctl = {
		"net.ipv4.ip_forward": "1",
		"net.core.somaxconn": "1234",
		"kernel.msgmax": "4321",
		"kernel.shmmni": "2048",
		"net.ipv4.ping_group_range": "0 100"}'
	run_in 'for f in net/ipv4/ip_forward net/core/somaxconn kernel/msgmax kernel/shmmni net/ipv4/ping_group_range; do
		echo "$f $(cat /proc/sys/$f | tr "\t" " ")"; done'
	assert_success
	assert_line "net/ipv4/ip_forward 1"
	assert_line "net/core/somaxconn 1234"
	assert_line "kernel/msgmax 4321"
	assert_line "kernel/shmmni 2048"
	assert_line "net/ipv4/ping_group_range 0 100"
	[[ $(cat /proc/sys/net/ipv4/ip_forward) == "$host_fwd" ]]
	[[ $(cat /proc/sys/kernel/msgmax) == "$host_msgmax" ]]
	[[ $(cat /proc/sys/net/core/somaxconn) == "$host_somax" ]]
}

@test "sysctl: slash-separated names work too" {
	update_config '.linux.sysctl = {"net/ipv4/ip_forward": "1"}'
	run_in 'cat /proc/sys/net/ipv4/ip_forward'
	assert_success
	assert_output 1
}

@test "sysctl: kernel.hostname-like uts sysctls with a new uts namespace" {
	update_config '.linux.sysctl = {"kernel.domainname": "sysctl.example"}'
	run_in 'cat /proc/sys/kernel/domainname'
	assert_success
	assert_output sysctl.example
	[[ $(cat /proc/sys/kernel/domainname) != sysctl.example ]]
}

@test "sysctl: /proc/sys stays read-only for the container process" {
	update_config '.linux.sysctl = {"net.ipv4.ip_forward": "1"}'
	run_in 'echo 0 > /proc/sys/net/ipv4/ip_forward 2>/dev/null && echo writable || echo read-only; cat /proc/sys/net/ipv4/ip_forward'
	assert_success
	assert_line --index 0 read-only
	assert_line --index 1 1
}

@test "sysctl: a net.* sysctl without a network namespace is refused" {
	update_config '.linux.namespaces |= map(select(.type != "network"))
		| .linux.sysctl = {"net.ipv4.ip_forward": "1"}'
	local host_fwd
	host_fwd=$(cat /proc/sys/net/ipv4/ip_forward)
	hrun husk run -b "$BUNDLE" "$ID"
	assert_failure 1
	assert_error_message "net.ipv4.ip_forward" "linux.sysctl"
	[[ $(cat /proc/sys/net/ipv4/ip_forward) == "$host_fwd" ]]
}

@test "sysctl: a non-namespaced sysctl (vm.*) is refused" {
	local host_val
	host_val=$(cat /proc/sys/vm/swappiness)
	update_config '.linux.sysctl = {"vm.swappiness": "1"}'
	hrun husk run -b "$BUNDLE" "$ID"
	assert_failure 1
	assert_error_message "vm.swappiness" "linux.sysctl"
	[[ $(cat /proc/sys/vm/swappiness) == "$host_val" ]]
}

@test "sysctl: an unknown sysctl fails" {
	update_config '.linux.sysctl = {"net.ipv4.no_such_knob": "1"}'
	hrun husk run -b "$BUNDLE" "$ID"
	assert_failure 1
	assert_error_message "no_such_knob"
}
