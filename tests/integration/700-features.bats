#!/usr/bin/env bats
# `husk features`: the runtime-spec features document, validated against
# schemas/features.schema.json (offline, python3-jsonschema), its key entries checked, and
# compared with what `runc features` (1.1) reports where both implement a thing.

load helpers

SCHEMA=$SRC_DIR/schemas/features.schema.json

setup() {
	common_setup
	python3 -c 'import jsonschema' 2>/dev/null ||
		fail "python3-jsonschema is not installed (apt-get install python3-jsonschema)"
}

features() {
	hrun husk features
	assert_success
	FEATURES=$output
}

# q JQ_EXPR: one value of the document, compact
q() {
	jq -c "$1" <<<"$FEATURES"
}

@test "features: valid against schemas/features.schema.json" {
	is_husk || skip "the schema requires the sections husk prints"
	features
	python3 - "$SCHEMA" "$FEATURES" <<-'EOF'
		import json, sys
		import jsonschema
		schema = json.load(open(sys.argv[1]))
		cls = jsonschema.validators.validator_for(schema)
		cls.check_schema(schema)
		cls(schema).validate(json.loads(sys.argv[2]))
	EOF
}

@test "features: versions, hooks, namespaces, cgroup, security modules, netDevices" {
	is_husk || skip "husk's own answers"
	features
	[[ $(q .ociVersionMin) == '"1.0.0"' ]]
	[[ $(q .ociVersionMax) == '"1.3.0"' ]]
	[[ $(q '.hooks | length') == 6 ]]
	[[ $(q '.linux.namespaces | sort') == '["cgroup","ipc","mount","network","pid","time","user","uts"]' ]]
	[[ $(q .linux.cgroup) == '{"v1":true,"v2":true,"systemd":false,"systemdUser":false,"rdma":true}' ]]
	[[ $(q .linux.intelRdt.enabled) == false ]]
	[[ $(q .linux.netDevices.enabled) == true ]]
	[[ $(q .linux.mountExtensions.idmap.enabled) == true ]]
	[[ $(q .linux.apparmor.enabled) == true ]]
	[[ $(q .linux.seccomp.enabled) == true ]]
	[[ $(q '.annotations["io.github.seccomp.libseccomp.version"]') =~ ^\"[0-9]+\.[0-9]+\.[0-9]+\"$ ]]
}

@test "features: mount options are the parser's (every one runc 1.1 lists, plus r* and idmap)" {
	features
	local opt
	for opt in $(runc features | jq -r '.mountOptions[]'); do
		jq -e --arg o "$opt" '.mountOptions | index($o)' <<<"$FEATURES" >/dev/null ||
			fail "runc lists mount option $opt, husk does not"
	done
	is_husk || return 0
	for opt in rro rnosuid idmap ridmap tmpcopyup nosymfollow; do
		jq -e --arg o "$opt" '.mountOptions | index($o)' <<<"$FEATURES" >/dev/null ||
			fail "missing mount option $opt"
	done
}

@test "features: capabilities are every name libcap knows, a superset of runc's" {
	features
	local cap
	for cap in $(runc features | jq -r '.linux.capabilities[]'); do
		jq -e --arg c "$cap" '.linux.capabilities | index($c)' <<<"$FEATURES" >/dev/null ||
			fail "runc lists $cap, husk does not"
	done
	[[ $(q '.linux.capabilities | index("CAP_SYS_ADMIN") != null') == true ]]
	[[ $(q '.linux.capabilities | index("CAP_CHECKPOINT_RESTORE") != null') == true ]]
	# every listed name is one husk takes in a config without a warning
	update_config '.process.capabilities.bounding = $caps' \
		--argjson caps "$(q .linux.capabilities)"
	run_in 'echo ok'
	assert_success
	[[ $stderr != *"ignoring unknown"* ]] || fail "$stderr"
}

@test "features: seccomp actions, operators and archs match runc's; flags probed" {
	features
	[[ $(q '.linux.seccomp.actions | sort') == "$(runc features | jq -c '.linux.seccomp.actions | sort')" ]]
	[[ $(q '.linux.seccomp.operators | sort') == "$(runc features | jq -c '.linux.seccomp.operators | sort')" ]]
	local arch
	for arch in $(runc features | jq -r '.linux.seccomp.archs[]'); do
		jq -e --arg a "$arch" '.linux.seccomp.archs | index($a)' <<<"$FEATURES" >/dev/null ||
			fail "runc lists $arch, husk does not"
	done
	is_husk || return 0
	# supported flags are known flags; this kernel (>= 4.17) has at least LOG and SPEC_ALLOW
	[[ $(q '.linux.seccomp.supportedFlags - .linux.seccomp.knownFlags') == '[]' ]]
	[[ $(q '.linux.seccomp.supportedFlags | index("SECCOMP_FILTER_FLAG_LOG") != null') == true ]]
	[[ $(q '.linux.seccomp.supportedFlags | index("SECCOMP_FILTER_FLAG_SPEC_ALLOW") != null') == true ]]
	# an advertised flag is accepted in a config
	update_config '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW", "flags": $f}' \
		--argjson f "$(q .linux.seccomp.supportedFlags)"
	run_in 'echo ok'
	assert_success
	assert_output ok
}

@test "features: takes no arguments or flags" {
	is_husk || skip "husk's messages"
	assert_fails 'requires exactly 0 argument' -- husk features extra
	assert_fails 'flag provided but not defined' -- husk features --bogus
}
