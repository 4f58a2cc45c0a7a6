#!/usr/bin/env bats
# cgroups: linux.resources read back from the host's cgroup files and from inside the
# container, limits that bite (memory/OOM, pids), device rules, update, pause/resume, ps,
# events, and bad values.  Runs on v1, hybrid and v2; the layout is printed first.
# Every cgroup lives under husk-test/ (helpers.bash sets cgroupsPath /husk-test/$ID).

load helpers

setup_file() {
	echo "# cgroup layout: $(cgroup_layout)" >&3
}

# cg_dir CTRL: the host directory of the test container's cgroup that holds CTRL's files: the
# v1 hierarchy CTRL is mounted on, else the cgroup2 one when CTRL is enabled there; empty when
# CTRL is nowhere.  CTRL "" means the cgroup2 core files.
cg_dir() {
	local ctrl=$1 id=${2:-$ID} mnt
	if [[ -n $ctrl ]]; then
		mnt=$(awk -v c="$ctrl" '{ for (i = 7; $i != "-"; i++) ; t = $(i + 1); o = $(i + 3) }
			t == "cgroup" && ("," o ",") ~ ("," c ",") { print $5; exit }' /proc/self/mountinfo)
	fi
	if [[ -z $mnt ]]; then
		mnt=$(cgroup_mounts | awk '$1 == "v2" { print $2; exit }')
		[[ -n $mnt ]] || return 0
		if [[ -n $ctrl ]] && ! grep -qw "$ctrl" "$mnt/cgroup.controllers" 2>/dev/null; then
			return 0
		fi
	fi
	echo "$mnt/$CGROUP_PARENT/$id"
}

# on_v2 CTRL: CTRL is driven through cgroup2 here.
on_v2() {
	local v2
	v2=$(cgroup_mounts | awk '$1 == "v2" { print $2; exit }')
	[[ -n $v2 && $(cg_dir "$1") == "$v2"/* ]]
}

# cg_cat CTRL V1FILE V2FILE: the value of the container's cgroup file for CTRL.
cg_cat() {
	local d
	d=$(cg_dir "$1")
	[[ -n $d ]] || { echo "no $1 controller" >&2; return 1; }
	if on_v2 "$1"; then cat "$d/$3"; else cat "$d/$2"; fi
}

need_ctrl() {
	[[ -n $(cg_dir "$1") ]] || skip "no $1 controller on this host ($(cgroup_layout))"
}

# Inside the container: v1 mounts each hierarchy at /sys/fs/cgroup/<controller>, v2 the
# container's cgroup at /sys/fs/cgroup.
inside_file() {
	if on_v2 "$1"; then echo "/sys/fs/cgroup/$3"; else echo "/sys/fs/cgroup/$1/$2"; fi
}

# run_no_devnull CMD: run_in with stdin, stdout and stderr on files: a runtime re-opens stdio
# that is /dev/null inside the container, which a test denying /dev/null must avoid.
run_no_devnull() {
	set_cmd "$1" || return
	: >"$BATS_TEST_TMPDIR/stdin"
	status=0
	timeout 30 "$HUSK" --root "$ROOT" run -b "$BUNDLE" "$ID" <"$BATS_TEST_TMPDIR/stdin" \
		>"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" || status=$?
	output=$(cat "$BATS_TEST_TMPDIR/out")
	mapfile -t lines <"$BATS_TEST_TMPDIR/out"
	cat "$BATS_TEST_TMPDIR/err" >&2
}

# exec_no_devnull CMD: `husk exec` sh -c CMD in the test container, stdio on files (see above).
exec_no_devnull() {
	: >"$BATS_TEST_TMPDIR/stdin"
	status=0
	timeout 30 "$HUSK" --root "$ROOT" exec "$ID" sh -c "$1" <"$BATS_TEST_TMPDIR/stdin" \
		>"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" || status=$?
	output=$(cat "$BATS_TEST_TMPDIR/out")
	mapfile -t lines <"$BATS_TEST_TMPDIR/out"
	cat "$BATS_TEST_TMPDIR/err" >&2
}

# alive PID: PID runs (a zombie has exited: it only waits for its parent).
alive() {
	[[ -e /proc/$1 ]] && ! grep -q '^[^)]*) Z' "/proc/$1/stat" 2>/dev/null
}

# container_pids: the host pids of the test container's processes.
container_pids() {
	husk ps --format json "$ID" | jq -r '.[]'
}

# refute_ro_cgroup_mounts: in $output's "mount DIR OPTIONS" lines, every mount at
# /sys/fs/cgroup is read-only (per-mount options); runc 1.1 leaves the v1 tmpfs itself rw.
refute_ro_cgroup_mounts() {
	if is_husk; then
		refute_line --regexp '^mount [^ ]+ rw'
	else
		refute_line --regexp '^mount /sys/fs/cgroup/[^ ]+ rw'
	fi
}

# has_pids N: the test container has at least N processes (for wait_for, which re-runs it).
has_pids() {
	(($(container_pids | wc -l) >= $1))
}

@test "cgroups: memory, pids and cpu values land in the host's files and show inside" {
	need_ctrl memory
	need_ctrl pids
	update_config '.linux.resources.memory = {"limit": 67108864, "reservation": 33554432}
		| .linux.resources.pids = {"limit": 42}
		| .linux.resources.cpu = {"shares": 512, "quota": 50000, "period": 100000, "cpus": "0"}'
	run_in "cat $(inside_file pids pids.max pids.max) $(inside_file memory memory.limit_in_bytes memory.max)"
	assert_success
	assert_line --index 0 42
	assert_line --index 1 67108864

	start_bg 'exec sleep 100'
	[[ $(cg_cat memory memory.limit_in_bytes memory.max) == 67108864 ]]
	[[ $(cg_cat memory memory.soft_limit_in_bytes memory.low) == 33554432 ]]
	[[ $(cg_cat pids pids.max pids.max) == 42 ]]
	if on_v2 cpu; then
		[[ $(cg_cat cpu - cpu.weight) == 59 ]] # runc's shares -> weight curve
		[[ $(cg_cat cpu - cpu.max) == "50000 100000" ]]
	elif [[ -n $(cg_dir cpu) ]]; then
		[[ $(cg_cat cpu cpu.shares -) == 512 ]]
		[[ $(cg_cat cpu cpu.cfs_quota_us -) == 50000 ]]
		[[ $(cg_cat cpu cpu.cfs_period_us -) == 100000 ]]
	fi
	if [[ -n $(cg_dir cpuset) ]]; then
		[[ $(cg_cat cpuset cpuset.cpus cpuset.cpus) == 0 ]]
	fi
	# the init is in the container's cgroup on every hierarchy
	grep -q "$CGROUP_PARENT/$ID" "/proc/$PID/cgroup"
	! grep -v "$CGROUP_PARENT/$ID" "/proc/$PID/cgroup" | grep -v '^[0-9]*:[^:]*:/$' | grep -q .
}

@test "cgroups: a memory limit stops an allocator growing 100 MB at a time" {
	need_ctrl memory
	update_config '.linux.resources.memory = {"limit": 52428800, "swap": 52428800}'
	# dd's 100 MB buffer can't fit in 50 MB: the OOM killer ends it
	run_in 'dd if=/dev/zero of=/dev/null bs=100M count=1 2>/dev/null; echo "dd exited $?"'
	assert_success
	assert_output "dd exited 137"
}

@test "cgroups: events reports the OOM kill" {
	need_ctrl memory
	update_config '.linux.resources.memory = {"limit": 52428800, "swap": 52428800}
		| .root.readonly = false'
	start_bg 'while [ ! -e /tmp/go ]; do sleep 0.02; done; dd if=/dev/zero of=/dev/null bs=100M count=1; exec sleep 100'
	local out=$BATS_TEST_TMPDIR/events.out
	"$HUSK" --root "$ROOT" events --interval 1s "$ID" >"$out" 2>&1 &
	local ev=$!
	sleep 0.3
	touch "/proc/$PID/root/tmp/go"
	local tries=300
	while ! grep -q '"type":"oom"' "$out" && ((tries-- > 0)); do sleep 0.02; done
	kill "$ev"
	wait "$ev" || true
	grep '"type":"oom"' "$out" | head -1 | jq -e --arg id "$ID" '.id == $id'
}

@test "cgroups: a pids limit stops a fork loop" {
	need_ctrl pids
	update_config '.linux.resources.pids = {"limit": 10}'
	# ash gives up at the first failed fork: run the loop in a subshell
	run_in '(for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do sleep 1 & done) 2>&1; echo "loop exited $?"'
	assert_success
	assert_output --partial "can't fork"
	assert_line "loop exited 2"
}

@test "cgroups: a device deny makes /dev/null unusable, a later allow restores it" {
	is_husk || skip "runc's init opens /dev/null read-write itself (reOpenDevNull)"
	# listing /dev/null in linux.devices drops runc's default allow rule for it, so the
	# config's own rules decide (runc's specconv)
	update_config '.linux.devices = [{"path": "/dev/null", "type": "c", "major": 1, "minor": 3}]
		| .linux.resources.devices = [{"allow": false, "access": "rwm"},
			{"allow": false, "type": "c", "major": 1, "minor": 3, "access": "rwm"}]'
	run_no_devnull 'if echo x >/dev/null; then echo writable; else echo denied; fi; head -c 3 /dev/zero | wc -c'
	assert_success
	assert_line --index 0 denied
	assert_line --index 1 3 # the other default devices still work

	update_config '.linux.resources.devices += [{"allow": true, "type": "c", "major": 1, "minor": 3, "access": "rw"}]'
	run_no_devnull 'if echo x >/dev/null; then echo writable; else echo denied; fi'
	assert_success
	assert_output writable
}

@test "cgroups: update changes limits of a running container" {
	need_ctrl memory
	need_ctrl pids
	start_bg 'exec sleep 100'
	local saved
	saved=$(cd "$ROOT/$ID" && sha1sum ./* 2>/dev/null)
	hrun husk update --memory 100M --pids-limit 30 --cpu-quota 20000 --cpu-period 100000 "$ID"
	assert_success
	[[ $(cg_cat memory memory.limit_in_bytes memory.max) == 104857600 ]]
	[[ $(cg_cat pids pids.max pids.max) == 30 ]]
	if on_v2 cpu; then
		[[ $(cg_cat cpu - cpu.max) == "20000 100000" ]]
	elif [[ -n $(cg_dir cpu) ]]; then
		[[ $(cg_cat cpu cpu.cfs_quota_us -) == 20000 ]]
	fi
	# --resources from stdin
	"$HUSK" --root "$ROOT" update --resources - "$ID" <<<'{"pids": {"limit": 7}, "memory": {"limit": 209715200}}'
	[[ $(cg_cat pids pids.max pids.max) == 7 ]]
	[[ $(cg_cat memory memory.limit_in_bytes memory.max) == 209715200 ]]
	# a bad value names the flag
	hrun husk update --memory 12zz "$ID"
	assert_failure 1
	grep -qi memory <<<"$stderr"
	if is_husk; then # the kernel keeps the values: husk saves nothing (runc rewrites state.json)
		[[ $(cd "$ROOT/$ID" && sha1sum ./* 2>/dev/null) == "$saved" ]] ||
			fail "update changed the state dir"
	fi
	# and every later command finds the container as update left it
	hrun husk events --stats "$ID"
	assert_success
	jq -e '.data.memory.usage.limit == 209715200 and .data.pids.limit == 7' <<<"$output"
	hrun husk pause "$ID"
	assert_success
	hrun husk resume "$ID"
	assert_success
}

@test "cgroups: pause freezes a counter, resume continues it" {
	update_config '.root.readonly = false'
	# written aside and renamed: a reader never sees the file empty
	start_bg 'i=0; while :; do i=$((i+1)); echo $i >/tmp/c.new; mv /tmp/c.new /tmp/counter; sleep 0.02; done'
	local c=/proc/$PID/root/tmp/counter a b
	wait_for test -s "$c"
	hrun husk pause "$ID"
	assert_success
	[[ $(status_of "$ID") == paused ]]
	a=$(cat "$c")
	sleep 0.3
	b=$(cat "$c")
	[[ $a == "$b" ]] || fail "counter moved while paused: $a -> $b"
	hrun husk pause "$ID"
	assert_failure 1
	hrun husk resume "$ID"
	assert_success
	[[ $(status_of "$ID") == running ]]
	sleep 0.3
	((b < $(cat "$c"))) || fail "counter did not move after resume"
	hrun husk resume "$ID"
	assert_failure 1
}

@test "cgroups: ps lists the container's processes (json and table)" {
	start_bg 'sleep 100 & exec sleep 101'
	wait_for has_pids 2
	hrun husk ps --format json "$ID"
	assert_success
	jq -e --argjson p "$PID" 'index($p) != null' <<<"$output"
	hrun husk ps "$ID"
	assert_success
	assert_line --index 0 --regexp '^UID +PID'
	[[ ${#lines[@]} -eq 3 ]]
	assert_output --partial "sleep 101"
	hrun husk ps "$ID" -o pid,comm
	assert_success
	assert_line --index 0 --regexp 'PID +COMMAND'
	assert_line --regexp "^ *$PID +sleep$"
}

@test "cgroups: events --stats prints one stats event" {
	need_ctrl memory
	update_config '.linux.resources.memory = {"limit": 67108864}'
	start_bg 'exec sleep 100'
	hrun husk events --stats "$ID"
	assert_success
	jq -e --arg id "$ID" '.type == "stats" and .id == $id and .data.memory.usage.limit == 67108864
		and .data.memory.usage.usage > 0 and .data.cpu.usage.total > 0' <<<"$output"
	if [[ -n $(cg_dir pids) ]]; then
		jq -e '.data.pids.current >= 1' <<<"$output"
	fi
}

@test "cgroups: bad values fail with their JSON path and leave nothing behind" {
	need_ctrl memory
	update_config '.linux.resources.memory = {"limit": -5}'
	assert_fails memory linux.resources.memory.limit -- husk run -b "$BUNDLE" "$ID"

	make_bundle "$BUNDLE" "$ID"
	update_config '.linux.resources.cpu = {"cpus": "0-4096"}'
	assert_fails cpus linux.resources.cpu.cpus -- husk run -b "$BUNDLE" "$ID"

	make_bundle "$BUNDLE" "$ID"
	update_config '.linux.resources.blockIO = {"throttleReadBpsDevice": [{"major": 250, "minor": 99, "rate": 1000}]}'
	EXIT_ANY=1 assert_fails "no such device" "linux.resources.blockIO.throttleReadBpsDevice[0]" -- \
		husk run -b "$BUNDLE" "$ID"
}

@test "cgroups: unified keys are refused where their controller is on v1" {
	make_bundle "$BUNDLE" "$ID"
	if [[ $(cgroup_layout) == v2 ]]; then
		update_config '.linux.resources.unified = {"pids.max": "9"}'
		run_in 'true'
		assert_success
		update_config '.linux.resources.unified = {"nosuch.file": "1"}'
		EXIT_ANY=1 assert_fails nosuch linux.resources.unified.nosuch.file -- husk run -b "$BUNDLE" "$ID"
	else
		update_config '.linux.resources.unified = {"memory.high": "10000000"}'
		EXIT_ANY=1 assert_fails v1 linux.resources.unified.memory.high -- husk run -b "$BUNDLE" "$ID"
	fi
}

@test "cgroups: /sys/fs/cgroup inside shows the container's own cgroups, read-only" {
	need_ctrl pids
	update_config '.linux.resources.pids = {"limit": 42}'
	local max procs
	max=$(inside_file pids pids.max pids.max)
	procs=$(inside_file pids cgroup.procs cgroup.procs)
	run_in "cat $max; cat $procs
		if mkdir ${procs%/*}/husk-sub 2>/dev/null; then echo mkdir-worked; else echo mkdir-refused; fi
		if echo 7 >$max 2>/dev/null; then echo write-worked; else echo write-refused; fi
		awk '\$5 ~ \"^/sys/fs/cgroup(/|\$)\" { print \"mount\", \$5, \$6 }' /proc/self/mountinfo"
	assert_success
	assert_line --index 0 42
	assert_line 1 # the init, as its own pid namespace numbers it
	assert_line mkdir-refused
	assert_line write-refused
	assert_line --regexp '^mount /sys/fs/cgroup'
	refute_ro_cgroup_mounts
	if [[ $(cgroup_layout) == hybrid ]] && is_husk; then # runc 1.1 leaves cgroup2 out
		assert_line --regexp '^mount /sys/fs/cgroup/unified ro'
	fi
}

@test "cgroups: with a cgroup namespace /sys/fs/cgroup is the container's cgroup as its root" {
	need_ctrl pids
	update_config '.linux.namespaces += [{"type": "cgroup"}] | .linux.resources.pids = {"limit": 43}'
	run_in "cat $(inside_file pids pids.max pids.max) /proc/self/cgroup
		if mkdir $(inside_file pids husk-sub husk-sub) 2>/dev/null; then echo mkdir-worked; else echo mkdir-refused; fi
		awk '\$5 ~ \"^/sys/fs/cgroup(/|\$)\" { print \"mount\", \$5, \$6 }' /proc/self/mountinfo"
	assert_success
	assert_line --index 0 43
	# every hierarchy's path is the namespace root
	refute_line --regexp '^[0-9]+:[^:]*:/.+'
	assert_line --regexp '^[0-9]+:[^:]*:/$'
	assert_line mkdir-refused
	refute_ro_cgroup_mounts
}

@test "cgroups: delete removes the cgroups the container made below its own, with a task in them" {
	need_ctrl pids
	update_config '.mounts |= map(if .destination == "/sys/fs/cgroup"
		then .options |= map(select(. != "ro")) else . end)'
	local sub
	sub=$(dirname "$(inside_file pids x x)")
	start_bg "mkdir -p $sub/sub1/sub2 $sub/sub3 && sh -c 'echo \$\$ >$sub/sub1/sub2/cgroup.procs;
		exec sleep 1000' & exec sleep 1001"
	wait_for test -d "$(cg_dir pids)/sub3"
	wait_for grep -q . "$(cg_dir pids)/sub1/sub2/cgroup.procs"
	hrun husk delete --force "$ID"
	assert_success
	[[ ! -e $(cg_dir pids) ]]
}

@test "cgroups: kill --all and delete kill every process of a container in the host's pid namespace" {
	update_config '.linux.namespaces |= map(select(.type != "pid")) | .root.readonly = false'
	local pids p
	start_bg 'sleep 1000 & sleep 1001 & exec sleep 1002'
	wait_for has_pids 3
	pids=$(container_pids)
	hrun husk kill --all "$ID" KILL
	assert_success
	wait_status "$ID" stopped
	for p in $pids; do wait_for bash -c "! { [[ -e /proc/$p ]] && ! grep -q '^[^)]*) Z' /proc/$p/stat; }"; done

	# delete --force of a running one: when it returns, nothing of the container runs
	hrun husk delete "$ID"
	assert_success
	start_bg 'sleep 1000 & sleep 1001 & exec sleep 1002'
	wait_for has_pids 3
	pids=$(container_pids)
	hrun husk delete --force "$ID"
	assert_success
	for p in $pids; do ! alive "$p" || fail "process $p outlived delete --force"; done

	# the init exits, its children stay in the cgroup: delete (no --force) kills them
	start_bg 'sleep 1000 & sleep 1001 & while [ ! -e /tmp/go ]; do sleep 0.02; done'
	wait_for has_pids 3
	pids=$(container_pids)
	touch "/proc/$PID/root/tmp/go"
	wait_status "$ID" stopped
	hrun husk delete "$ID"
	assert_success
	for p in $pids; do ! alive "$p" || fail "process $p outlived delete"; done
}

@test "cgroups: kill --all stops a container that keeps forking, in the host's pid namespace" {
	need_ctrl pids
	update_config '.linux.namespaces |= map(select(.type != "pid"))
		| .linux.resources.pids = {"limit": 200}'
	start_bg 'while :; do sleep 100 & sleep 0.01; done'
	wait_for has_pids 5
	# v1 freezes the cgroup around the kill (nothing forks between listing and killing);
	# v2 writes cgroup.kill
	hrun husk kill --all "$ID" KILL
	assert_success
	wait_status "$ID" stopped
	wait_for test ! -s "$(cg_dir pids)/cgroup.procs"
}

@test "cgroups: update replaces the device rules of a running container, a fresh husk each time" {
	is_husk || skip "runc's update takes no device rules"
	# /dev/null in linux.devices: runc's default allow rule for it is dropped (as at create)
	update_config '.linux.devices = [{"path": "/dev/null", "type": "c", "major": 1, "minor": 3}]
		| .linux.resources.devices = [{"allow": false, "access": "rwm"},
			{"allow": true, "type": "c", "major": 1, "minor": 3, "access": "rwm"}]'
	start_bg 'exec sleep 100'
	# a sub-cgroup, as a nested runtime makes one: v1 refuses to reset the rules ("a") of a
	# cgroup with children, so husk changes only the rules that differ (as runc's emulator)
	local d v1=
	d=$(cg_dir devices)
	if [[ -n $d ]] && ! on_v2 devices; then
		v1=$d/devices.list
	else
		d=$(cg_dir "")
	fi
	mkdir "$d/nested"
	echo '{"devices": [{"allow": false, "type": "c", "major": 1, "minor": 3, "access": "rwm"}]}' \
		>"$BATS_TEST_TMPDIR/deny.json"
	echo '{"devices": [{"allow": true, "type": "c", "major": 1, "minor": 3, "access": "rw"}]}' \
		>"$BATS_TEST_TMPDIR/allow.json"
	exec_no_devnull 'echo x >/dev/null && echo writable'
	assert_output writable

	hrun husk update --resources "$BATS_TEST_TMPDIR/deny.json" "$ID"
	assert_success
	exec_no_devnull 'if echo x >/dev/null; then echo writable; else echo denied; fi; head -c 3 /dev/zero | wc -c'
	assert_line --index 0 denied
	assert_line --index 1 3
	if [[ -n $v1 ]]; then
		! grep -q '^a ' "$v1"
		! grep -q '^c 1:3 ' "$v1"
	fi

	hrun husk update --resources "$BATS_TEST_TMPDIR/allow.json" "$ID"
	assert_success
	exec_no_devnull 'if echo x >/dev/null; then echo writable; else echo denied; fi'
	assert_output writable
	if [[ -n $v1 ]]; then
		grep -qx 'c 1:3 rw' "$v1"
	fi
	# updating something else leaves the rules alone
	hrun husk update --pids-limit 50 "$ID"
	assert_success
	exec_no_devnull 'if echo x >/dev/null; then echo writable; else echo denied; fi'
	assert_output writable
}

@test "cgroups: hugepageLimits land where hugetlb is bound; events --stats reports its usage" {
	need_ctrl hugetlb
	ls /sys/kernel/mm/hugepages | grep -q . || skip "no huge page sizes on this kernel"
	if ! is_husk && [[ $(cgroup_layout) == hybrid ]] && on_v2 hugetlb; then
		skip "runc 1.1 drives no controller bound to cgroup2 in a hybrid layout"
	fi
	update_config '.linux.resources.hugepageLimits = [{"pageSize": "2MB", "limit": 4194304}]'
	start_bg 'exec sleep 100'
	# hybrid here: hugetlb is bound to the cgroup2 hierarchy, the rest to v1
	[[ $(cg_cat hugetlb hugetlb.2MB.limit_in_bytes hugetlb.2MB.max) == 4194304 ]]
	hrun husk events --stats "$ID"
	assert_success
	local sizes
	sizes=$(jq -r '.data.hugetlb | keys[]' <<<"$output" | sort)
	[[ -n $sizes ]] || fail "no hugetlb sizes in: $output"
	# runc's names: 2MB, 1GB
	for s in $sizes; do
		[[ $s =~ ^[0-9]+[KMG]B$ ]] || fail "page size name $s"
		jq -e --arg s "$s" '.data.hugetlb[$s].failcnt == 0' <<<"$output"
	done
	grep -qx 2MB <<<"$sizes"
}

@test "cgroups: more bad values: over the kernel's maximum, an unknown unified key" {
	need_ctrl cpu
	# the kernel takes a CFS period of at most 1 s
	update_config '.linux.resources.cpu = {"quota": 50000, "period": 2000000}'
	EXIT_ANY=1 assert_fails "invalid argument" "linux.resources.cpu.period" -- \
		husk run -b "$BUNDLE" "$ID"

	make_bundle "$BUNDLE" "$ID"
	update_config '.linux.resources.unified = {"nosuch.file": "1"}'
	EXIT_ANY=1 assert_fails "nosuch|unified" linux.resources.unified.nosuch.file -- \
		husk run -b "$BUNDLE" "$ID"

	if is_husk; then # runc 1.1 takes any limit below 1 as "max"
		make_bundle "$BUNDLE" "$ID"
		update_config '.linux.resources.pids = {"limit": -7}'
		assert_fails "invalid" linux.resources.pids.limit -- husk run -b "$BUNDLE" "$ID"
	fi
}
