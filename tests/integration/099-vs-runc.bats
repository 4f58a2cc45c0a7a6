#!/usr/bin/env bats
# Side by side with runc on the same bundle: the same exit codes, the same state fields and
# keys, the same view from inside (capabilities, ids, hostname, limits, mounts, /dev, env).
# With HUSK=runc this compares runc with itself (and must pass).

load helpers

setup() {
	command -v runc >/dev/null || skip "runc is not installed"
	common_setup
	# The reference container uses the same id (another --root) and the same bundle, one
	# after the other, so cgroupsPath and everything else are identical.
	REF_IDS+=("$ID")
}

# both CMD: run the container with `sh -c CMD` under husk, then under runc, same bundle.
# Sets H_OUT/H_RC and R_OUT/R_RC.
both() {
	set_cmd "$1"
	hrun husk run -b "$BUNDLE" "$ID"
	H_OUT=$output H_RC=$status
	hrun runc_ref run -b "$BUNDLE" "$ID"
	R_OUT=$output R_RC=$status
}

# same: husk's and runc's outputs and exit codes are identical (a diff on failure).
same() {
	[[ $H_RC == "$R_RC" ]] || fail "exit code: husk $H_RC, runc $R_RC"
	if [[ $H_OUT != "$R_OUT" ]]; then
		fail "husk and runc differ (- husk, + runc):
$(diff <(echo "$H_OUT") <(echo "$R_OUT"))"
	fi
}

# The view of a container: everything that should not depend on the runtime.  Mounts: point,
# type and ro/rw; a bind of a sub-path (masked files: /dev/null from wherever, /proc/sys...)
# counts as "bind"; /sys/fs/cgroup is left to the cgroup tests.
VIEW='echo "== status"; grep -E "^(Cap(Inh|Prm|Eff|Bnd|Amb)|NoNewPrivs|Uid|Gid|Groups|Seccomp):" /proc/self/status
echo "== id"; id
echo "== hostname"; hostname
echo "== umask"; umask
echo "== cwd"; pwd
echo "== ulimit"; ulimit -a
echo "== env"; env | sort
echo "== oom"; cat /proc/self/oom_score_adj
echo "== pid"; echo $$
echo "== dev"; for f in /dev/* /dev/pts/* /dev/shm /dev/mqueue; do stat -c "%n %F %a %u %g %t:%T" "$f"; done
echo "== mounts"; awk "{ for (i = 7; \$i != \"-\"; i++) ; t = \$(i + 1); if (\$4 != \"/\") t = \"bind\"; split(\$6, o, \",\"); print \$5, t, o[1] }" /proc/self/mountinfo | grep -v "^/sys/fs/cgroup" | sort
echo "== masked"; for p in /proc/timer_list /proc/keys /proc/acpi /sys/firmware; do echo "$p $(cat $p 2>/dev/null | wc -c) $(ls $p 2>/dev/null | wc -l)"; done
echo "== ns"; for n in pid net ipc uts mnt cgroup; do test "$(readlink /proc/self/ns/$n)" = "$(readlink /proc/1/ns/$n)" && echo "$n same as init"; done'

@test "vs runc: the default bundle looks the same from inside" {
	both "$VIEW"
	same
}

@test "vs runc: a richer config (user, groups, caps, rlimits, umask, cwd, mounts) looks the same" {
	update_config '.process.user = {"uid": 1000, "gid": 1000, "additionalGids": [10, 65534], "umask": 23}
		| .process.cwd = "/home/user"
		| .process.env += ["LANG=C", "FOO=bar"]
		| .process.oomScoreAdj = 100
		| .process.noNewPrivileges = false
		| .process.rlimits = [{"type": "RLIMIT_NOFILE", "soft": 512, "hard": 1024},
			{"type": "RLIMIT_NPROC", "soft": 100, "hard": 200}]
		| .process.capabilities = {"bounding": ["CAP_CHOWN", "CAP_KILL", "CAP_NET_RAW"],
			"effective": ["CAP_KILL"], "permitted": ["CAP_KILL"],
			"inheritable": ["CAP_KILL"], "ambient": ["CAP_KILL"]}
		| .hostname = "rich" | .linux.sysctl = {"net.ipv4.ip_forward": "1"}
		| .linux.maskedPaths += ["/etc/group"] | .linux.readonlyPaths += ["/home"]
		| .mounts += [{"destination": "/scratch", "type": "tmpfs", "source": "tmpfs",
			"options": ["nosuid", "nodev", "size=1m"]}]
		| .linux.devices = [{"path": "/dev/mynull", "type": "c", "major": 1, "minor": 3,
			"fileMode": 432, "uid": 1000, "gid": 1000}]'
	both "$VIEW; echo == sysctl; cat /proc/sys/net/ipv4/ip_forward; echo == group; cat /etc/group | wc -c"
	same
}

@test "vs runc: shared namespaces (no pid/net ns) look the same" {
	update_config '.linux.namespaces |= map(select(.type != "pid" and .type != "network"))'
	# The shared ones are the host's; the others are new (their inodes differ per container).
	both 'readlink /proc/self/ns/pid; readlink /proc/self/ns/net; echo "$$" | grep -qx 1 || echo "not pid 1"
		tail -n +3 /proc/net/dev | wc -l'
	[[ $(head -n 1 <<<"$H_OUT") == "$(readlink /proc/self/ns/pid)" ]]
	same
}

@test "vs runc: the same exit codes for run" {
	local cmd
	for cmd in 'exit 0' 'exit 3' 'exit 255' 'kill -9 $$ 2>/dev/null; exit 9'; do
		both "$cmd"
		[[ $H_RC == "$R_RC" ]] || fail "'$cmd': husk $H_RC, runc $R_RC"
	done
	update_config '.process.args = ["/no/such/program"]'
	hrun husk run -b "$BUNDLE" "$ID"
	H_RC=$status
	hrun runc_ref run -b "$BUNDLE" "$ID"
	[[ $H_RC == "$status" ]] || fail "missing program: husk $H_RC, runc $status"
}

# lifecycle RUNTIME: a fixed sequence of commands; prints "command exit-code" lines and the
# status after each step.
lifecycle() {
	local rt=$1 rc
	step() {
		hrun "$rt" "$@"
		echo "$* -> $status"
	}
	set_cmd 'trap "exit 5" TERM; echo ready; while :; do sleep 0.05; done'
	step state "$ID"
	step kill "$ID" KILL
	step delete "$ID"
	step start "$ID"
	"$rt" create -b "$BUNDLE" "$ID" >"$BATS_TEST_TMPDIR/$rt.out" 2>&1 </dev/null
	echo "create -> $?"
	step create -b "$BUNDLE" "$ID"
	step state "$ID"
	echo "status $(jq -r .status <<<"$output")"
	step start "$ID"
	local tries=300
	until [[ $("$rt" state "$ID" 2>/dev/null | jq -r .status) == running ]] || ((tries-- == 0)); do
		sleep 0.01
	done
	wait_for grep -q ready "$BATS_TEST_TMPDIR/$rt.out"
	step start "$ID"
	step delete "$ID"
	step kill "$ID" SIGNOPE
	step kill "$ID" TERM
	tries=300
	until [[ $("$rt" state "$ID" 2>/dev/null | jq -r .status) == stopped ]] || ((tries-- == 0)); do
		sleep 0.01
	done
	step state "$ID"
	echo "status $(jq -r .status <<<"$output") pid $(jq -r .pid <<<"$output")"
	step kill "$ID" KILL
	step start "$ID"
	step delete "$ID"
	step delete --force "$ID"
	step state
	step list -q
	echo "list: $output"
}

@test "vs runc: the same exit codes through a lifecycle of commands" {
	local h r
	h=$(lifecycle husk)
	r=$(lifecycle runc_ref)
	if [[ $h != "$r" ]]; then
		fail "husk and runc differ (- husk, + runc):
$(diff <(echo "$h") <(echo "$r"))"
	fi
}

# state_keys RUNTIME: the state of a created container with the runtime-independent values.
state_view() {
	"$1" create -b "$BUNDLE" "$ID" >/dev/null 2>&1 </dev/null || return
	local s l
	s=$("$1" state "$ID")
	l=$("$1" list --format json)
	jq -S --arg b "$BUNDLE" '{keys: keys, id, status, bundle, rootfs, owner, annotations,
		pid_positive: (.pid > 0), created_is_time: (.created | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T")),
		ociVersion_type: (.ociVersion | type)}' <<<"$s"
	jq -S --arg id "$ID" '.[] | select(.id == $id) | {list_keys: keys, status, bundle, owner}' <<<"$l"
	"$1" delete --force "$ID"
}

@test "vs runc: the same state and list fields and keys" {
	update_config '.annotations = {"org.example": "yes"}'
	local h r
	h=$(state_view husk)
	r=$(state_view runc_ref)
	[[ -n $h ]]
	if [[ $h != "$r" ]]; then
		fail "husk and runc differ (- husk, + runc):
$(diff <(echo "$h") <(echo "$r"))"
	fi
}

@test "vs runc: the same list table header and columns" {
	local h r
	husk create -b "$BUNDLE" "$ID" >/dev/null 2>&1 </dev/null
	h=$(husk list | awk 'NR == 1 { $1 = $1; print; next } $1 == id { print $1, $3, $4, $6 }' id="$ID")
	husk delete --force "$ID"
	runc_ref create -b "$BUNDLE" "$ID" >/dev/null 2>&1 </dev/null
	r=$(runc_ref list | awk 'NR == 1 { $1 = $1; print; next } $1 == id { print $1, $3, $4, $6 }' id="$ID")
	runc_ref delete --force "$ID"
	[[ $h == "$r" ]] || fail "husk: $h
runc: $r"
}

# runc 1.1.5's `spec` also lists the three capabilities as ambient, which the kernel refuses
# (they are not inheritable); current runc dropped that list, and so does husk.
@test "vs runc: bundles/busybox/config.json is runc spec's defaults but hostname, args, terminal" {
	local d=$BATS_TEST_TMPDIR/spec-runc
	mkdir -p "$d"
	runc spec -b "$d"
	diff <(jq -S 'del(.hostname, .process.args, .process.terminal, .process.capabilities.ambient)' "$d/config.json") \
		<(jq -S 'del(.hostname, .process.args, .process.terminal)' "$BUNDLES_DIR/busybox/config.json")
	jq -e '.hostname == "husk" and .process.terminal == false and .process.args[0] == "sh"' \
		"$BUNDLES_DIR/busybox/config.json"
}

@test "vs runc: spec and spec --rootless write runc's defaults" {
	local h=$BATS_TEST_TMPDIR/spec-husk r=$BATS_TEST_TMPDIR/spec-runc flag
	for flag in "" --rootless; do
		rm -rf "$h" "$r"
		mkdir -p "$h" "$r"
		(cd "$h" && "$HUSK" spec $flag)
		runc spec $flag -b "$r"
		diff <(jq -S 'del(.ociVersion, .hostname, .process.capabilities.ambient)' "$r/config.json") \
			<(jq -S 'del(.ociVersion, .hostname, .process.capabilities.ambient)' "$h/config.json") ||
			fail "husk spec $flag differs from runc's"
		jq -e '.ociVersion | test("^1\\.")' "$h/config.json"
	done
	# An existing config.json is not overwritten.
	echo '{}' >"$h/config.json"
	cd "$h"
	hrun "$HUSK" spec
	assert_failure 1
	assert_error_message "config.json"
	[[ $(cat "$h/config.json") == "{}" ]]
}

@test "vs runc: the busybox example bundle prints the same line" {
	# The example bundle as shipped (only cgroupsPath added: tests stay under husk-test/).
	jq --arg cg "/$CGROUP_PARENT/$ID" '.linux.cgroupsPath = $cg' \
		"$BUNDLES_DIR/busybox/config.json" >"$BUNDLE/config.json"
	hrun husk run -b "$BUNDLE" "$ID"
	assert_success
	assert_output "hello from husk: husk uid=0(root) gid=0(root)"
	local h=$output
	hrun runc_ref run -b "$BUNDLE" "$ID"
	assert_output "$h"
}
