#!/usr/bin/env bats
# linux.netDevices (runtime-spec 1.3): a host interface moved into the container's network
# namespace, renamed when asked, with its permanent global addresses, and up.  The tests make
# their own interfaces (a veth pair hk<rand>a/hk<rand>b: this kernel may lack the dummy driver),
# move the "a" end, and check from inside and from the host; the namespace going away with
# the container takes the pair with it.  Only interfaces a test created are touched.

load helpers

setup() {
	common_setup
	IF=hk$((RANDOM % 10000))x$$
	IF=${IF:0:12}
	ip link add "${IF}a" type veth peer name "${IF}b"
	ip addr add 10.213.7.9/24 dev "${IF}a"
	ip addr add 10.213.8.1/32 scope host dev "${IF}a"
	ip -6 addr add fd00:4b:11::9/64 dev "${IF}a" nodad
}

teardown() {
	local left=0
	common_teardown || left=1
	# one end removes the pair; wherever it is, only this test's names are touched
	if ip link show "${IF}b" >/dev/null 2>&1 || ip link show "${IF}a" >/dev/null 2>&1; then
		ip link del "${IF}b" 2>/dev/null || ip link del "${IF}a" 2>/dev/null
		# the container's namespace may still be going away
		wait_for eval '! ip link show "${IF}a" >/dev/null 2>&1 && ! ip link show "${IF}b" >/dev/null 2>&1'
	fi
	return $left
}

host_has_link() {
	ip link show "$1" >/dev/null 2>&1
}

@test "netDevices: moved and renamed, addresses kept (global, permanent only), up; gone from the host" {
	update_config '.linux.netDevices = {($a): {"name": "ctr0"}}' --arg a "${IF}a"
	start_bg 'sleep 100'
	run husk exec "$ID" sh -c 'ls /sys/class/net | sort | tr "\n" " "; echo;
		cat /sys/class/net/ctr0/flags; ip -o addr show dev ctr0'
	assert_success
	assert_line --index 0 "ctr0 lo "
	# IFF_UP
	(($(sed -n 2p <<<"$output") & 1))
	assert_output --regexp "inet 10\.213\.7\.9/24 .*scope global"
	assert_output --regexp "inet6 fd00:4b:11::9/64 .*scope global"
	refute_output --partial "10.213.8.1"
	# from the host: the moved end is gone, its peer still here, linked to the container's
	! host_has_link "${IF}a"
	host_has_link "${IF}b"
	ip -o link show "${IF}b" | grep -q 'link-netns'
	[[ -z $(ip -o addr show to 10.213.7.0/24) ]]
	# delete: the namespace, and the veth pair with it, go away
	husk delete --force "$ID"
	wait_for eval '! host_has_link "${IF}b"'
	! host_has_link "${IF}a"
	! host_has_link ctr0
}

@test "netDevices: without name the interface keeps its host name" {
	update_config '.linux.netDevices = {($a): {}}' --arg a "${IF}a"
	run_in 'ls /sys/class/net | sort | tr "\n" " "'
	assert_success
	assert_output "${IF}a lo "
	# run is over: the namespace is gone, with the pair
	wait_for eval '! host_has_link "${IF}b"'
	! host_has_link "${IF}a"
}

@test "netDevices: two devices, one renamed to the other's host name (rename and move are one step)" {
	update_config '.linux.netDevices = {($a): {"name": $b}, ($b): {"name": $a}}' \
		--arg a "${IF}a" --arg b "${IF}b"
	run_in 'ls /sys/class/net | sort | tr "\n" " "'
	assert_success
	assert_output "${IF}a ${IF}b lo "
	wait_for eval '! host_has_link "${IF}a" && ! host_has_link "${IF}b"'
}

@test "netDevices: with a new user namespace" {
	update_config '.linux.namespaces += [{"type": "user"}]
		| .linux.uidMappings = [{"containerID": 0, "hostID": 0, "size": 65536}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 0, "size": 65536}]
		| .linux.netDevices = {($a): {"name": "ctr0"}}' --arg a "${IF}a"
	run_in 'ip -o addr show dev ctr0'
	assert_success
	assert_output --regexp "inet 10\.213\.7\.9/24"
	wait_for eval '! host_has_link "${IF}b"'
}

@test "netDevices: an interface the host lacks fails create, naming it; nothing left, host untouched" {
	update_config '.linux.netDevices = {"hkmissing0": {}, ($a): {"name": "ctr0"}}' \
		--arg a "${IF}a"
	# (the text log format escapes the quotes of linux.netDevices["hkmissing0"])
	assert_fails "link not found" 'linux.netDevices[\"hkmissing0\"]' -- husk run -b "$BUNDLE" "$ID"
	[[ $(status_of "$ID") == none ]]
	host_has_link "${IF}b"
}

@test "netDevices: bad names and a missing network namespace are refused with the JSON path" {
	update_config '.linux.netDevices = {($a): {"name": "a/b"}}' --arg a "${IF}a"
	assert_fails "invalid network device name" "linux.netDevices[\\\"${IF}a\\\"].name" -- \
		husk run -b "$BUNDLE" "$ID"
	update_config '.linux.netDevices = {"averyveryverylongname": {}}'
	assert_fails "invalid network device name" 'linux.netDevices[\"averyveryverylongname\"]' -- \
		husk run -b "$BUNDLE" "$ID"
	update_config '.linux.netDevices = {($a): {}}
		| .linux.namespaces |= map(select(.type != "network"))' --arg a "${IF}a"
	assert_fails "network namespace|NET namespace" "linux.netDevices" -- \
		husk run -b "$BUNDLE" "$ID"
	# nothing moved
	host_has_link "${IF}a"
	[[ -n $(ip -o addr show dev "${IF}a" to 10.213.7.0/24) ]]
}
