#!/usr/bin/env bats
# The session keyring (a new one per container, "_ses.<id>", unless --no-new-keyring), and
# the config fields this host cannot honour: linux.intelRdt without resctrl, AppArmor and
# SELinux settings with neither module enabled.  Side by side with runc where it agrees.

load helpers

# keyprobe: prints "<serial> <KEYCTL_DESCRIBE of the session keyring>", i.e.
# "123 keyring;0;0;3f1b0000;_ses.ID" (busybox has no keyctl, and /proc/keys is masked).
setup_file() {
	cat >"$BATS_FILE_TMPDIR/keyprobe.c" <<-'EOF'
		#include <linux/keyctl.h>
		#include <stdio.h>
		#include <sys/syscall.h>
		#include <unistd.h>
		int main(void)
		{
			char d[512];
			long id = syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0);
			long n = id < 0 ? -1 : syscall(SYS_keyctl, KEYCTL_DESCRIBE, id, d, sizeof(d) - 1);
			if (n < 0) {
				perror("keyctl");
				return 1;
			}
			d[n] = 0;
			printf("%ld %s\n", id, d);
			return 0;
		}
	EOF
	gcc -static -O2 -o "$BATS_FILE_TMPDIR/keyprobe" "$BATS_FILE_TMPDIR/keyprobe.c"
}

setup() {
	common_setup
	cp "$BATS_FILE_TMPDIR/keyprobe" "$BUNDLE/rootfs/keyprobe"
}

teardown() {
	common_teardown
}

# host_has_keyring NAME: the host's /proc/keys lists a keyring with that description.
host_has_keyring() {
	awk -v n="$1" '$8 == "keyring" && $9 == n ":" { f = 1 } END { exit !f }' /proc/keys
}

@test "keyring: the container gets a session keyring named _ses.<id>, searchable by its uid" {
	run_in /keyprobe
	assert_success
	# possessor: all; user: view, read, link and search (runc's 0x80000 added)
	assert_output --regexp "^[0-9]+ keyring;0;0;3f1b0000;_ses\.$ID\$"
}

@test "keyring: the host sees the container's keyring while it runs, and not after delete" {
	start_bg 'sleep 100'
	run husk exec "$ID" /keyprobe
	assert_success
	assert_output --partial ";_ses.$ID"
	host_has_keyring "_ses.$ID"
	husk delete --force "$ID"
	# an unreferenced key goes with the kernel's key garbage collector, shortly
	wait_for eval '! host_has_keyring "_ses.$ID"'
}

@test "keyring: --no-new-keyring keeps the caller's session keyring" {
	local mine
	mine=$("$BATS_FILE_TMPDIR/keyprobe")
	run_in /keyprobe
	assert_success
	assert_output --regexp ";_ses\.$ID\$"
	update_config '.process.args = ["/keyprobe"]'
	hrun husk run --no-new-keyring -b "$BUNDLE" "$ID"
	assert_success
	assert_output "$mine"
	refute_output --partial "_ses.$ID"
}

@test "keyring: with a user namespace, others may search it (runc's 0x8)" {
	update_config '.linux.namespaces += [{"type": "user"}]
		| .linux.uidMappings = [{"containerID": 0, "hostID": 0, "size": 65536}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 0, "size": 65536}]'
	run_in /keyprobe
	assert_success
	# without the user's search bit (0x80000) that runc sets only without a user namespace
	assert_output --regexp "^[0-9]+ keyring;0;0;3f130008;_ses\.$ID\$"
}

@test "keyring: the same keyring as runc 1.1 makes" {
	update_config '.process.args = ["/keyprobe"]'
	hrun runc_ref run -b "$BUNDLE" "$ID"
	REF_IDS+=("$ID")
	assert_success
	local ref=${output#* }
	hrun husk run -b "$BUNDLE" "$ID"
	assert_success
	[[ ${output#* } == "$ref" ]] || fail "husk: ${output#* }, runc: $ref"
}

# ---- intelRdt ----

@test "intelRdt: refused without resctrl, naming linux.intelRdt; nothing left behind" {
	grep -q ' - resctrl ' /proc/self/mountinfo && skip "resctrl is mounted"
	update_config '.linux.intelRdt = {"closID": "husk-test"}'
	assert_fails "Intel RDT" "linux.intelRdt" -- husk run -b "$BUNDLE" "$ID"
	update_config '.linux.intelRdt = {}'
	assert_fails "Intel RDT" "linux.intelRdt" -- husk create -b "$BUNDLE" "$ID"
	[[ $(status_of "$ID") == none ]]
}

@test "intelRdt: l3CacheSchema without resctrl fails with runc 1.1 too" {
	grep -q ' - resctrl ' /proc/self/mountinfo && skip "resctrl is mounted"
	update_config '.linux.intelRdt = {"l3CacheSchema": "L3:0=f"}'
	hrun runc_ref run -b "$BUNDLE" "$ID"
	REF_IDS+=("$ID")
	assert_failure
	matches_any "Intel RDT" <<<"$stderr" # "... but Intel RDT/CAT is not enabled"
	assert_fails "Intel RDT" "linux.intelRdt" -- husk run -b "$BUNDLE" "$ID"
}

# ---- AppArmor / SELinux, disabled on this host ----

apparmor_enabled() {
	[[ -e /sys/kernel/security/apparmor ]] &&
		[[ $(cat /sys/module/apparmor/parameters/enabled 2>/dev/null) == Y* ]]
}

@test "apparmor: a profile without AppArmor fails create, as runc 1.1's init does" {
	apparmor_enabled && skip "AppArmor is enabled"
	update_config '.process.apparmorProfile = "husk-test-profile"'
	hrun runc_ref run -b "$BUNDLE" "$ID"
	REF_IDS+=("$ID")
	assert_failure
	matches_any "apparmor failed to apply profile" <<<"$stderr"
	assert_fails "apparmor failed to apply profile" "process.apparmorProfile" -- \
		husk run -b "$BUNDLE" "$ID"
	assert_fails "apparmor failed to apply profile" "process.apparmorProfile" -- \
		husk create -b "$BUNDLE" "$ID"
	[[ $(status_of "$ID") == none ]]
}

@test "apparmor: an empty profile is no profile" {
	update_config '.process.apparmorProfile = ""'
	run_in 'echo ok'
	assert_success
	assert_output ok
}

@test "selinux: a process label without SELinux is refused before anything starts" {
	[[ -e /sys/fs/selinux/enforce ]] && skip "SELinux is enabled"
	update_config '.process.selinuxLabel = "system_u:system_r:container_t:s0"'
	hrun runc_ref run -b "$BUNDLE" "$ID"
	REF_IDS+=("$ID")
	assert_failure
	matches_any "selinux is disabled or not supported" <<<"$stderr"
	assert_fails "selinux is disabled or not supported" "process.selinuxLabel" -- \
		husk run -b "$BUNDLE" "$ID"
}

@test "selinux: a mount label without SELinux is refused (runc 1.1 fails its first tmpfs mount)" {
	[[ -e /sys/fs/selinux/enforce ]] && skip "SELinux is enabled"
	update_config '.linux.mountLabel = "system_u:object_r:container_file_t:s0"'
	hrun runc_ref run -b "$BUNDLE" "$ID"
	REF_IDS+=("$ID")
	assert_failure
	assert_fails "selinux" "linux.mountLabel" -- husk run -b "$BUNDLE" "$ID"
}

@test "selinux: an exec process label is refused too (the shared helper)" {
	[[ -e /sys/fs/selinux/enforce ]] && skip "SELinux is enabled"
	start_bg 'sleep 100'
	hrun husk exec --process-label system_u:system_r:container_t:s0 "$ID" true
	assert_failure
	assert_error_message "selinux is disabled or not supported"
	apparmor_enabled && return
	hrun husk exec --apparmor husk-test-profile "$ID" true
	assert_failure
	assert_error_message "apparmor failed to apply profile"
}
