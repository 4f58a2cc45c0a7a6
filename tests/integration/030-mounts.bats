#!/usr/bin/env bats
# Mounts as the container sees them in /proc/self/mountinfo: types, options, bind sources,
# recursive read-only, propagation, root.readonly, masked and read-only paths, /dev, devices,
# and the lxc-shared bundle.

load helpers

# mnt DEST: the mountinfo line (from the container's $output) of the top mount at DEST.
mnt() {
	awk -v d="$1" '$5 == d { l = $0 } END { if (l != "") print l; else exit 1 }' <<<"$output"
}

# mnt_type DEST, mnt_opts DEST (per-mount options), mnt_super DEST (superblock options).
mnt_type() {
	mnt "$1" | awk '{ for (i = 7; $i != "-"; i++) ; print $(i + 1) }'
}
mnt_opts() {
	mnt "$1" | awk '{ print $6 }'
}
mnt_super() {
	mnt "$1" | awk '{ for (i = 7; $i != "-"; i++) ; print $(i + 3) }'
}
mnt_optional() {
	mnt "$1" | awk '{ s = ""; for (i = 7; $i != "-"; i++) s = s " " $i; print s }'
}

# has_opt LIST OPT: OPT is in the comma-separated LIST.
has_opt() {
	[[ ,$1, == *,$2,* ]]
}

add_mount() {
	update_config '.mounts += [$m]' --argjson m "$1"
}

@test "default mounts: proc, /dev tmpfs, devpts, shm, mqueue, sysfs ro with their options" {
	run_in 'cat /proc/self/mountinfo'
	assert_success
	[[ $(mnt_type /proc) == proc ]]
	[[ $(mnt_type /dev) == tmpfs ]]
	has_opt "$(mnt_opts /dev)" nosuid
	has_opt "$(mnt_super /dev)" mode=755
	[[ $(mnt_type /dev/pts) == devpts ]]
	has_opt "$(mnt_opts /dev/pts)" noexec
	has_opt "$(mnt_super /dev/pts)" gid=5
	has_opt "$(mnt_super /dev/pts)" mode=620
	has_opt "$(mnt_super /dev/pts)" ptmxmode=666
	[[ $(mnt_type /dev/shm) == tmpfs ]]
	local o
	o=$(mnt_opts /dev/shm)
	has_opt "$o" nosuid && has_opt "$o" nodev && has_opt "$o" noexec
	[[ $(mnt_type /dev/mqueue) == mqueue ]]
	[[ $(mnt_type /sys) == sysfs ]]
	o=$(mnt_opts /sys)
	has_opt "$o" ro && has_opt "$o" nosuid && has_opt "$o" nodev && has_opt "$o" noexec
	# root.readonly is true in the default config.
	has_opt "$(mnt_opts /)" ro
}

@test "mounts are applied in order, on top of each other" {
	add_mount '{"destination": "/mnt", "type": "tmpfs", "source": "tmpfs", "options": ["size=1m"]}'
	add_mount '{"destination": "/mnt/inner", "type": "tmpfs", "source": "tmpfs", "options": ["size=2m"]}'
	run_in 'cat /proc/self/mountinfo'
	assert_success
	has_opt "$(mnt_super /mnt)" size=1024k
	has_opt "$(mnt_super /mnt/inner)" size=2048k
	# /mnt/inner is mounted on the /mnt tmpfs: its parent id is /mnt's mount id.
	[[ $(mnt /mnt/inner | awk '{ print $2 }') == $(mnt /mnt | awk '{ print $1 }') ]]
}

@test "tmpfs: size, mode, nosuid/nodev/noexec; exec on noexec fails" {
	add_mount '{"destination": "/scratch", "type": "tmpfs", "source": "tmpfs",
		"options": ["nosuid", "nodev", "noexec", "size=4m", "mode=1777"]}'
	run_in 'cat /proc/self/mountinfo; echo "mode $(stat -c %a /scratch)";
		cp /bin/busybox /scratch/bb && /scratch/bb true; echo "exec $?"'
	assert_success
	[[ $(mnt_type /scratch) == tmpfs ]]
	local o
	o=$(mnt_opts /scratch)
	has_opt "$o" nosuid && has_opt "$o" nodev && has_opt "$o" noexec
	has_opt "$(mnt_super /scratch)" size=4096k
	assert_line "mode 1777"
	refute_line "exec 0"
}

@test "bind mount ro of a host directory: content visible, writes fail" {
	mkdir -p "$BATS_TEST_TMPDIR/data"
	echo "from host" >"$BATS_TEST_TMPDIR/data/file"
	add_mount "$(jq -n --arg s "$BATS_TEST_TMPDIR/data" \
		'{destination: "/data", type: "bind", source: $s, options: ["bind", "ro"]}')"
	run_in 'cat /data/file; touch /data/new 2>/dev/null && echo writable || echo read-only; cat /proc/self/mountinfo'
	assert_success
	assert_line "from host"
	assert_line read-only
	has_opt "$(mnt_opts /data)" ro
	[[ ! -e $BATS_TEST_TMPDIR/data/new ]]
}

@test "bind mount rw: the container's writes reach the host" {
	mkdir -p "$BATS_TEST_TMPDIR/data"
	add_mount "$(jq -n --arg s "$BATS_TEST_TMPDIR/data" \
		'{destination: "/data", type: "bind", source: $s, options: ["rbind", "rw"]}')"
	run_in 'echo written > /data/out'
	assert_success
	[[ $(cat "$BATS_TEST_TMPDIR/data/out") == written ]]
}

@test "bind mount: a relative source is relative to the bundle" {
	mkdir -p "$BUNDLE/shared"
	echo relative >"$BUNDLE/shared/file"
	add_mount '{"destination": "/shared", "type": "bind", "source": "shared", "options": ["bind", "ro"]}'
	# Run from elsewhere: the bundle, not the cwd, anchors the path.
	cd /
	run_in 'cat /shared/file'
	assert_success
	assert_output relative
}

@test "bind mount of a single file" {
	echo "one file" >"$BATS_TEST_TMPDIR/motd"
	add_mount "$(jq -n --arg s "$BATS_TEST_TMPDIR/motd" \
		'{destination: "/etc/motd", type: "bind", source: $s, options: ["bind", "ro"]}')"
	run_in 'cat /etc/motd'
	assert_success
	assert_output "one file"
}

@test "rbind + rro: submounts of the source are read-only too (ro alone leaves them writable)" {
	local src=$BATS_TEST_TMPDIR/base
	mkdir -p "$src/sub"
	add_mount "$(jq -n --arg s "$src" \
		'{destination: "/rro", type: "bind", source: $s, options: ["rbind", "rro"]}')"
	add_mount "$(jq -n --arg s "$src" \
		'{destination: "/plainro", type: "bind", source: $s, options: ["rbind", "ro"]}')"
	set_cmd 'touch /rro/sub/x 2>/dev/null && echo "rro sub writable" || echo "rro sub read-only";
		touch /plainro/sub/y 2>/dev/null && echo "ro sub writable" || echo "ro sub read-only";
		grep -E " /(rro|plainro)/sub " /proc/self/mountinfo'
	# The submount exists only in a private mount namespace, never on the host.
	hrun unshare -m --propagation private sh -c \
		'mount -t tmpfs -o size=1m tmpfs "$1/sub" && exec "$2" --root "$3" run -b "$4" "$5"' \
		sh "$src" "$HUSK" "$ROOT" "$BUNDLE" "$ID"
	assert_success
	assert_line "rro sub read-only"
	assert_line "ro sub writable"
	[[ $(grep -c ' /rro/sub ' <<<"$output") == 1 ]]
}

@test "propagation: rshared bind is shared inside, rprivate is not" {
	mkdir -p "$BATS_TEST_TMPDIR/d1" "$BATS_TEST_TMPDIR/d2"
	add_mount "$(jq -n --arg s "$BATS_TEST_TMPDIR/d1" \
		'{destination: "/shared", type: "bind", source: $s, options: ["rbind", "rshared"]}')"
	add_mount "$(jq -n --arg s "$BATS_TEST_TMPDIR/d2" \
		'{destination: "/private", type: "bind", source: $s, options: ["rbind", "rprivate"]}')"
	run_in 'cat /proc/self/mountinfo'
	assert_success
	[[ $(mnt_optional /shared) == *shared:* ]]
	[[ $(mnt_optional /private) != *shared:* && $(mnt_optional /private) != *master:* ]]
}

@test "root.readonly true: / is read-only; false: writes land in the bundle's rootfs" {
	run_in 'touch /newfile 2>&1; cat /proc/self/mountinfo'
	assert_success
	assert_output --partial "Read-only file system"
	has_opt "$(mnt_opts /)" ro
	[[ ! -e $BUNDLE/rootfs/newfile ]]

	update_config '.root.readonly = false'
	run_in 'echo inside > /newfile; cat /proc/self/mountinfo'
	assert_success
	has_opt "$(mnt_opts /)" rw
	[[ $(cat "$BUNDLE/rootfs/newfile") == inside ]]
}

@test "root.path: an absolute path outside the bundle works" {
	local rootfs=$BATS_TEST_TMPDIR/elsewhere
	mv "$BUNDLE/rootfs" "$rootfs"
	update_config '.root.path = $p' --arg p "$rootfs"
	run_in 'hostname'
	assert_success
	assert_output husk
}

@test "mount targets are resolved inside the rootfs, even through an absolute symlink" {
	local outside=$BATS_TEST_TMPDIR/outside
	mkdir -p "$outside"
	update_config '.root.readonly = false'
	# In the rootfs, /escape -> $outside: inside the container that is rootfs/$outside.
	ln -s "$outside" "$BUNDLE/rootfs/escape"
	add_mount '{"destination": "/escape/target", "type": "tmpfs", "source": "tmpfs"}'
	run_in 'cat /proc/self/mountinfo'
	assert_success
	[[ $(mnt_type "$outside/target") == tmpfs ]]
	[[ ! -e $outside/target ]]
	[[ -d $BUNDLE/rootfs/$outside/target ]]
}

@test "maskedPaths: files read as empty, directories list as empty" {
	update_config '.linux.maskedPaths += ["/etc/group", "/home"]'
	run_in 'echo "timer_list $(wc -c < /proc/timer_list)"; echo "keys $(cat /proc/keys | wc -c)";
		echo "group $(wc -c < /etc/group)"; echo "home $(ls -A /home | wc -l)";
		echo "firmware $(ls -A /sys/firmware | wc -l)"; cat /proc/self/mountinfo'
	assert_success
	assert_line "timer_list 0"
	assert_line "keys 0"
	assert_line "group 0"
	assert_line "home 0"
	assert_line "firmware 0"
	# The host's files are untouched.
	[[ -s $BUNDLE/rootfs/etc/group && -d $BUNDLE/rootfs/home/user ]]
}

@test "maskedPaths: a path that does not exist is ignored" {
	update_config '.linux.maskedPaths += ["/does/not/exist"]'
	run_in 'echo ok'
	assert_success
	assert_output ok
}

@test "readonlyPaths: writes fail, reads work" {
	update_config '.root.readonly = false | .linux.readonlyPaths += ["/home"]'
	run_in 'ls /home; touch /home/x 2>/dev/null && echo "home writable" || echo "home read-only";
		echo 1 > /proc/sys/kernel/ns_last_pid 2>/dev/null && echo "sys writable" || echo "sys read-only";
		cat /proc/sys/kernel/ostype; touch /etc/x && echo "etc writable"; cat /proc/self/mountinfo'
	assert_success
	assert_line user
	assert_line "home read-only"
	assert_line "sys read-only"
	assert_line Linux
	assert_line "etc writable"
	has_opt "$(mnt_opts /home)" ro
	has_opt "$(mnt_opts /proc/sys)" ro
}

@test "/dev: the default devices, symlinks and directories" {
	run_in 'for d in null zero full random urandom tty; do echo "$d $(stat -c "%F %t:%T %a" /dev/$d)"; done
		for l in ptmx fd stdin stdout stderr; do echo "$l -> $(readlink /dev/$l)"; done
		for d in pts shm mqueue; do test -d /dev/$d && echo "dir $d"; done
		echo x > /dev/null && echo "null ok"; echo "zero $(head -c 4 /dev/zero | od -An -tx1 | tr -d " ")"
		echo x > /dev/full 2>/dev/null || echo "full ENOSPC"; echo "urandom $(head -c 8 /dev/urandom | wc -c)"
		ls /dev | tr "\n" " "'
	assert_success
	assert_line "null character special file 1:3 666"
	assert_line "zero character special file 1:5 666"
	assert_line "full character special file 1:7 666"
	assert_line "random character special file 1:8 666"
	assert_line "urandom character special file 1:9 666"
	assert_line "tty character special file 5:0 666"
	assert_line "ptmx -> pts/ptmx"
	assert_line "fd -> /proc/self/fd"
	assert_line "stdin -> /proc/self/fd/0"
	assert_line "stdout -> /proc/self/fd/1"
	assert_line "stderr -> /proc/self/fd/2"
	assert_line "dir pts"
	assert_line "dir shm"
	assert_line "dir mqueue"
	assert_line "null ok"
	assert_line "zero 00000000"
	assert_line "full ENOSPC"
	assert_line "urandom 8"
	# Nothing from the host's /dev (no terminal: no /dev/console).
	refute_output --partial vda
	refute_output --partial console
}

@test "linux.devices: type, major/minor, fileMode, uid and gid" {
	update_config '.linux.devices = [
		{"path": "/dev/mynull", "type": "c", "major": 1, "minor": 3, "fileMode": 432, "uid": 1000, "gid": 65534},
		{"path": "/dev/sub/myblk", "type": "b", "major": 7, "minor": 200, "fileMode": 384, "uid": 0, "gid": 0},
		{"path": "/dev/myfifo", "type": "p", "fileMode": 420}
	]'
	run_in 'for d in mynull sub/myblk myfifo; do echo "$d $(stat -c "%F %t:%T %a %u %g" /dev/$d)"; done'
	assert_success
	assert_line "mynull character special file 1:3 660 1000 65534"
	assert_line "sub/myblk block special file 7:c8 600 0 0"
	assert_line "myfifo fifo 0:0 644 0 0"
}

@test "lxc-shared: two containers share the read-only base, each with its own writable part" {
	local dir=$BATS_TEST_TMPDIR/lxc id n ida idb
	mkdir -p "$dir"
	"$BUNDLES_DIR/build-rootfs.sh" --usr "$dir/base" --skeleton "$dir/a/rootfs" "$dir/b/rootfs"
	new_id ida lxa
	new_id idb lxb
	for n in a b; do
		id=ida
		[[ $n == b ]] && id=idb
		id=${!id}
		jq --arg cg "/$CGROUP_PARENT/$id" --arg id "$id" \
			'.linux.cgroupsPath = $cg | .process.env += ["HUSK_TEST_ID=" + $id]' \
			"$BUNDLES_DIR/lxc-shared/$n/config.json" >"$dir/$n/config.json"
		set_cmd 'echo "$(hostname): shared /usr is $(touch /usr/.probe 2>/dev/null && echo writable || echo read-only), /tmp is $(stat -f -c %T /tmp)"
			echo "mine $(hostname)" > /tmp/who; echo "$(hostname)" > /etc/who
			echo ready; exec sleep 100' "$dir/$n"
		husk run -d -b "$dir/$n" "$id" >"$BATS_TEST_TMPDIR/$n.out" 2>&1 </dev/null
	done
	wait_status "$ida" running
	wait_status "$idb" running
	wait_for grep -q ready "$BATS_TEST_TMPDIR/a.out"
	wait_for grep -q ready "$BATS_TEST_TMPDIR/b.out"
	grep -qx 'lxc-a: shared /usr is read-only, /tmp is tmpfs' "$BATS_TEST_TMPDIR/a.out"
	grep -qx 'lxc-b: shared /usr is read-only, /tmp is tmpfs' "$BATS_TEST_TMPDIR/b.out"
	# Both run at once from the same base; each wrote only its own part.
	[[ $(status_of "$ida") == running && $(status_of "$idb") == running ]]
	[[ ! -e $dir/base/.probe ]]
	[[ $(cat "$dir/a/rootfs/etc/who") == lxc-a && $(cat "$dir/b/rootfs/etc/who") == lxc-b ]]
	[[ ! -e $dir/a/rootfs/tmp/who ]]
	# The host sees the base mounted read-only in each container's mount namespace.
	local pid
	for id in "$ida" "$idb"; do
		pid=$(state_field "$id" pid)
		grep -E " /usr ro[, ]" "/proc/$pid/mountinfo"
	done
}

@test "mount targets through a relative symlink in the image (/var/run -> ../run)" {
	update_config '.root.readonly = false'
	mkdir -p "$BUNDLE/rootfs/var" "$BUNDLE/rootfs/run"
	ln -s ../run "$BUNDLE/rootfs/var/run"
	add_mount '{"destination": "/var/run/sock", "type": "tmpfs", "source": "tmpfs", "options": ["size=1m"]}'
	run_in 'cat /proc/self/mountinfo'
	assert_success
	[[ $(mnt_type /run/sock) == tmpfs ]]
	[[ -d $BUNDLE/rootfs/run/sock && -L $BUNDLE/rootfs/var/run ]]
}

@test "mount destination relative: accepted as runc does, under /" {
	add_mount '{"destination": "data", "type": "tmpfs", "source": "tmpfs", "options": ["size=1m"]}'
	run_in 'cat /proc/self/mountinfo'
	assert_success
	[[ $(mnt_type /data) == tmpfs ]]
	# runc and husk warn that this is deprecated.
	[[ -z $stderr ]] || grep -q data <<<"$stderr"
}
