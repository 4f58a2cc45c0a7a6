#!/usr/bin/env bats
# The bad-input corpus.  Every case: exit code 1, stderr names the cause (for husk: one line,
# with the JSON path for config problems, e.g.
#   config.json: linux.namespaces[2].type: unknown namespace "pidd"
# ), and nothing left behind right after the failure (state dir, mounts, cgroups, processes).
# runc's wording differs; the cases check a key word both share, and the JSON path for husk.

load helpers

# create_fails WORD [JSON_PATH]: `husk create` of $BUNDLE fails that way, leaving nothing.
create_fails() {
	assert_fails "$@" -- husk create -b "$BUNDLE" "$ID"
}

# run_fails WORD [JSON_PATH]: the same with `husk run`.
run_fails() {
	assert_fails "$@" -- husk run -b "$BUNDLE" "$ID"
}

# ---- the bundle ----

@test "error: rootfs missing" {
	rm -rf "$BUNDLE/rootfs"
	create_fails rootfs root.path
}

@test "error: root.path is a file, not a directory" {
	rm -rf "$BUNDLE/rootfs"
	echo x >"$BUNDLE/rootfs"
	create_fails "rootfs|not a directory" "rootfs"
}

@test "error: config.json missing" {
	rm "$BUNDLE/config.json"
	create_fails config.json
}

@test "error: bundle directory does not exist" {
	assert_fails "$BATS_TEST_TMPDIR/nope" -- husk create -b "$BATS_TEST_TMPDIR/nope" "$ID"
}

@test "error: bundle is a file" {
	echo x >"$BATS_TEST_TMPDIR/file-bundle"
	assert_fails "file-bundle" -- husk create -b "$BATS_TEST_TMPDIR/file-bundle" "$ID"
}

@test "error: config.json is unreadable (a directory)" {
	rm "$BUNDLE/config.json"
	mkdir "$BUNDLE/config.json"
	create_fails config.json
}

@test "error: config.json is a dangling symlink" {
	rm "$BUNDLE/config.json"
	ln -s /nonexistent/config.json "$BUNDLE/config.json"
	create_fails config.json
}

# ---- JSON ----

@test "error: broken JSON" {
	printf '{"ociVersion": "1.0.2", "process": {' >"$BUNDLE/config.json"
	create_fails "config.json|EOF" config.json
}

@test "error: empty config.json" {
	: >"$BUNDLE/config.json"
	create_fails "config.json|EOF" config.json
}

@test "error: config.json is not an object" {
	echo '["not", "an", "object"]' >"$BUNDLE/config.json"
	create_fails "config.json|cannot unmarshal" config.json
}

@test "error: trailing garbage after the JSON object" {
	jq -c . "$BUNDLE/config.json" >"$BUNDLE/c"
	echo '} garbage' >>"$BUNDLE/c"
	mv "$BUNDLE/c" "$BUNDLE/config.json"
	is_husk || skip "runc (Go's json.Decoder) ignores what follows the object"
	create_fails config.json
}

# ---- wrong types ----

@test "error: wrong type: process.args is a string" {
	update_config '.process.args = "sh -c true"'
	create_fails args process.args
}

@test "error: wrong type: process.user.uid is a string" {
	update_config '.process.user.uid = "0"'
	create_fails uid process.user.uid
}

@test "error: wrong type: hostname is a number" {
	update_config '.hostname = 42'
	create_fails hostname hostname
}

@test "error: wrong type: linux.namespaces is an object" {
	update_config '.linux.namespaces = {"type": "pid"}'
	create_fails namespace linux.namespaces
}

@test "error: wrong type: mounts[0].options is a string" {
	update_config '.mounts[0].options = "nosuid"'
	create_fails options "mounts[0].options"
}

@test "error: wrong type: root.readonly is a string" {
	update_config '.root.readonly = "yes"'
	create_fails readonly root.readonly
}

@test "error: wrong type: rlimit hard is negative" {
	update_config '.process.rlimits[0].hard = -1'
	create_fails hard "process.rlimits[0].hard"
}

# ---- required fields ----

@test "error: root missing" {
	update_config 'del(.root)'
	create_fails root root
}

@test "error: namespace without a type" {
	update_config '.linux.namespaces += [{"path": "/proc/1/ns/net"}]'
	create_fails namespace "linux.namespaces[5].type"
}

@test "error: wrong type: process.user.gid is negative" {
	update_config '.process.user.gid = -5'
	create_fails gid process.user.gid
}

@test "error: wrong type: rlimit type is a number" {
	update_config '.process.rlimits[0].type = 7'
	create_fails type "process.rlimits[0].type"
}

# ---- namespaces ----

@test "error: unknown namespace" {
	update_config '.linux.namespaces[2].type = "pidd"'
	create_fails pidd "linux.namespaces[2].type"
}

@test "error: duplicate namespaces" {
	update_config '.linux.namespaces += [{"type": "pid"}]'
	create_fails pid "linux.namespaces[5]"
}

@test "error: namespace path does not exist" {
	update_config '(.linux.namespaces[] | select(.type == "network")) .path = "/proc/999999999/ns/net"'
	create_fails /proc/999999999/ns/net "linux.namespaces[1].path"
}

@test "error: hostname without a uts namespace" {
	update_config '.linux.namespaces |= map(select(.type != "uts"))'
	create_fails hostname hostname
}

# ---- process ----

@test "error: process missing" {
	update_config 'del(.process)'
	create_fails process process
}

@test "error: args empty" {
	update_config '.process.args = []'
	create_fails args process.args
}

@test "error: cwd relative" {
	update_config '.process.cwd = "tmp"'
	create_fails cwd process.cwd
}

@test "error: unknown rlimit type" {
	update_config '.process.rlimits = [{"type": "RLIMIT_BOGUS", "soft": 1, "hard": 1}]'
	create_fails RLIMIT_BOGUS "process.rlimits[0].type"
}

@test "error: duplicate rlimit" {
	update_config '.process.rlimits += [{"type": "RLIMIT_NOFILE", "soft": 10, "hard": 10}]'
	is_husk || skip "runc 1.1 accepts a duplicate rlimit (the last one wins)"
	create_fails RLIMIT_NOFILE "process.rlimits[1]"
}

@test "error: rlimit soft above hard" {
	update_config '.process.rlimits = [{"type": "RLIMIT_NOFILE", "soft": 200, "hard": 100}]'
	run_fails "RLIMIT_NOFILE|rlimit" "process.rlimits[0]|RLIMIT_NOFILE"
}

@test "error: unknown capability: refused, or ignored with a warning naming it (as runc)" {
	update_config '.process.capabilities.bounding += ["CAP_BOGUS"]'
	hrun husk create -b "$BUNDLE" "$ID"
	if ((status == 0)); then
		assert_error_message CAP_BOGUS
		[[ $(status_of "$ID") == created ]]
	else
		assert_failure 1
		assert_error_message CAP_BOGUS "process.capabilities.bounding[3]"
		assert_clean
	fi
}

@test "error: missing executable" {
	update_config '.process.args = ["/no/such/binary"]'
	run_fails /no/such/binary "process.args|/no/such/binary"
}

# ---- mounts and devices ----

@test "error: mount with a nonexistent bind source" {
	update_config '.mounts += [{"destination": "/data", "type": "bind", "source": $s, "options": ["bind"]}]' \
		--arg s "$BATS_TEST_TMPDIR/missing-src"
	create_fails missing-src "mounts[7]"
}

@test "error: mount destination empty" {
	update_config '.mounts += [{"destination": "", "type": "tmpfs", "source": "tmpfs"}]'
	create_fails destination "mounts[7].destination"
}

@test "error: unknown filesystem type" {
	update_config '.mounts += [{"destination": "/data", "type": "nosuchfs", "source": "none"}]'
	create_fails "nosuchfs|no such device" "/data"
}

@test "error: bad device type" {
	update_config '.linux.devices = [{"path": "/dev/x", "type": "x", "major": 1, "minor": 3}]'
	create_fails type "linux.devices[0].type"
}

@test "error: device path relative" {
	update_config '.linux.devices = [{"path": "dev/x", "type": "c", "major": 1, "minor": 3}]'
	is_husk || skip "runc 1.1 accepts a relative device path (resolves it under /)"
	create_fails dev/x "linux.devices[0].path"
}

@test "error: sysctl not in a container namespace" {
	update_config '.linux.sysctl = {"vm.swappiness": "1"}'
	create_fails vm.swappiness "linux.sysctl"
}

# ---- hooks ----

@test "error: hook path relative" {
	update_config '.hooks.prestart = [{"path": "bin/true"}]'
	create_fails bin/true "hooks.prestart[0].path"
}

# ---- container ids ----

@test "error: container id ../x" {
	assert_fails "../x|invalid container id" "../x" -- husk create -b "$BUNDLE" "../x"
	[[ ! -e $RUN_DIR/x ]]
}

@test "error: container id a/b" {
	assert_fails "a/b|invalid container id" "a/b" -- husk create -b "$BUNDLE" "a/b"
	[[ ! -e $ROOT/a ]]
}

@test "error: container id empty" {
	assert_fails "id" -- husk create -b "$BUNDLE" ""
}

@test "error: container id over-long" {
	local long
	long=$(printf 'x%.0s' {1..1024})
	EXIT_ANY=1 assert_fails "long" -- husk create -b "$BUNDLE" "$long"
	[[ ! -e $ROOT/$long ]]
}

@test "error: duplicate id on create" {
	husk create -b "$BUNDLE" "$ID" >/dev/null 2>&1 </dev/null
	local pid
	pid=$(state_field "$ID" pid)
	hrun husk create -b "$BUNDLE" "$ID"
	assert_failure 1
	assert_error_message "exists" "$ID"
	# The first one is untouched.
	[[ $(status_of "$ID") == created && $(state_field "$ID" pid) == "$pid" ]]
}

# ---- lifecycle misuse ----

@test "error: start of a running container" {
	start_bg 'exec sleep 100'
	hrun husk start "$ID"
	assert_failure 1
	assert_error_message "running" "$ID"
	[[ $(status_of "$ID") == running ]]
}

@test "error: state of a nonexistent container" {
	assert_fails "not exist" "$ID" -- husk state "$ID"
}

@test "error: kill of a nonexistent container" {
	assert_fails "not exist" "$ID" -- husk kill "$ID" KILL
}

@test "error: delete of a nonexistent container" {
	assert_fails "not exist" "$ID" -- husk delete "$ID"
}

@test "error: start of a nonexistent container" {
	assert_fails "not exist" "$ID" -- husk start "$ID"
}

@test "error: kill with a bad signal name" {
	start_bg 'exec sleep 100'
	hrun husk kill "$ID" SIGFOO
	assert_failure 1
	assert_error_message "SIGFOO"
	[[ $(status_of "$ID") == running ]]
}

@test "error: kill with a bad signal number" {
	start_bg 'exec sleep 100'
	hrun husk kill "$ID" 999
	assert_failure 1
	assert_error_message "999|invalid" "999"
	[[ $(status_of "$ID") == running ]]
}

# ---- the command line ----

@test "error: unknown command" {
	# runc exits 3 here (urfave/cli); husk uses 1 for every failure.
	EXIT_ANY=1 assert_fails "frobnicate" -- husk frobnicate
}

@test "error: unknown flag" {
	assert_fails "bogus" -- husk create --bogus -b "$BUNDLE" "$ID"
}

@test "error: unknown global flag" {
	assert_fails "bogus" -- "$HUSK" --root "$ROOT" --bogus state "$ID"
}

@test "error: missing argument" {
	assert_fails "state" -- husk state
}

@test "error: too many arguments" {
	assert_fails "state" -- husk state "$ID" extra
}

@test "error: --log-format unknown" {
	EXIT_ANY=1 assert_fails "yaml" -- "$HUSK" --root "$ROOT" --log-format yaml state "$ID"
}

@test "error: --pid-file in a missing directory: create fails, nothing left" {
	create_fails_pid() {
		assert_fails "pid" -- husk create --pid-file "$BATS_TEST_TMPDIR/no/dir/pid" -b "$BUNDLE" "$ID"
	}
	create_fails_pid
}

# ---- the log ----

@test "--log FILE --log-format json: the error is a JSON line with level, msg, time" {
	update_config '.linux.namespaces[2].type = "pidd"'
	local log=$BATS_TEST_TMPDIR/log.json
	hrun "$HUSK" --root "$ROOT" --log "$log" --log-format json create -b "$BUNDLE" "$ID"
	assert_failure 1
	[[ -s $log ]]
	# Every line is a JSON object; the last error names the cause.
	jq -e . "$log" >/dev/null
	local line
	line=$(jq -c 'select(.level == "error")' "$log" | tail -n 1)
	[[ -n $line ]]
	jq -e '.msg | test("pidd")' <<<"$line"
	jq -e '.time | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}")' <<<"$line"
	jq -e 'keys == ["level", "msg", "time"]' <<<"$line"
	if is_husk; then
		jq -e '.msg | contains("linux.namespaces[2].type")' <<<"$line"
	fi
	assert_clean
}

@test "--log FILE (text): runc's logfmt line, level=error msg=..." {
	update_config '.linux.namespaces[2].type = "pidd"'
	local log=$BATS_TEST_TMPDIR/log.txt
	hrun "$HUSK" --root "$ROOT" --log "$log" create -b "$BUNDLE" "$ID"
	assert_failure 1
	grep -E '^time="[^"]+" level=error msg=".*pidd.*"$' "$log"
}

@test "error: a torn state.json: state and delete fail naming it, delete --force removes it" {
	mkdir -p "$ROOT/$ID"
	printf '{"id": "%s", "pid":' "$ID" >"$ROOT/$ID/state.json"
	hrun husk state "$ID"
	assert_failure 1
	assert_error_message "corrupt" "$ID"
	hrun husk delete "$ID"
	assert_failure 1
	[[ -d $ROOT/$ID ]]
	hrun husk delete --force "$ID"
	assert_success
	[[ ! -e $ROOT/$ID ]]
}
