#!/usr/bin/env bats
# `state` and `list --format json` validated against schemas/state.schema.json, offline
# (python3-jsonschema), in each status: created, running, stopped, with annotations.

load helpers

SCHEMA=$SRC_DIR/schemas/state.schema.json

setup() {
	common_setup
	[[ -f $SCHEMA ]] || fail "missing $SCHEMA"
	PY=
	local p
	for p in /usr/bin/python3 python3; do
		if "$p" -c 'import jsonschema' 2>/dev/null; then
			PY=$p
			break
		fi
	done
	[[ -n $PY ]] || fail "python3-jsonschema is not installed (apt-get install python3-jsonschema)"
}

# validate JSON_TEXT: one state object; validate_list JSON_TEXT: an array of them.
validate() {
	"$PY" - "$SCHEMA" "$1" "${2:-one}" <<-'EOF'
		import json, sys
		import jsonschema
		schema = json.load(open(sys.argv[1]))
		cls = jsonschema.validators.validator_for(schema)
		cls.check_schema(schema)
		doc = json.loads(sys.argv[2])
		docs = doc if sys.argv[3] == "list" else [doc]
		if sys.argv[3] == "list" and not isinstance(doc, list):
		    sys.exit("list output is not an array")
		errors = [e for d in docs for e in cls(schema).iter_errors(d)]
		for e in errors:
		    print("%s: %s" % ("/".join(map(str, e.absolute_path)) or "(root)", e.message))
		sys.exit(1 if errors else 0)
	EOF
}

@test "state schema: the schema itself is a valid JSON Schema and rejects junk" {
	run validate '{"id": 42}'
	assert_failure
	run validate '{}'
	assert_failure
	run validate '{"ociVersion": "1.0.2", "id": "x", "status": "exploded", "pid": 1, "bundle": "/b"}'
	assert_failure
}

@test "state schema: created, running and stopped states validate" {
	update_config '.annotations = {"org.example.a": "1", "org.example.b": "two"}'
	set_cmd 'read x < /dev/null; sleep 0.2'
	husk create -b "$BUNDLE" "$ID" >/dev/null 2>&1 </dev/null
	hrun husk state "$ID"
	assert_success
	[[ $(jq -r .status <<<"$output") == created ]]
	run validate "$output"
	assert_success

	husk start "$ID"
	hrun husk state "$ID"
	if [[ $(jq -r .status <<<"$output") == running ]]; then
		run validate "$output"
		assert_success
	fi

	wait_status "$ID" stopped
	hrun husk state "$ID"
	assert_success
	[[ $(jq -r .status <<<"$output") == stopped ]]
	run validate "$output"
	assert_success
}

@test "state schema: a running container's state validates" {
	start_bg 'exec sleep 100'
	hrun husk state "$ID"
	assert_success
	[[ $(jq -r .status <<<"$output") == running ]]
	run validate "$output"
	assert_success
}

@test "state schema: list --format json validates, every entry" {
	local id2 b2
	new_bundle id2 b2
	start_bg 'exec sleep 100'
	husk create -b "$b2" "$id2" >/dev/null 2>&1 </dev/null
	hrun husk list --format json
	assert_success
	[[ $(jq 'length' <<<"$output") -ge 2 ]]
	run validate "$output" list
	assert_success
}
