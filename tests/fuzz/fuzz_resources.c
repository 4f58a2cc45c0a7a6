/* `husk update --resources FILE`: spec_parse_resources() on arbitrary bytes, then the
 * device rules as the cgroup code builds them (runc's defaults appended, the v1 rule strings,
 * the v2 BPF program), without loading anything. */
#include "fuzz.h"

#include "cgroup/internal.h"
#include "spec/spec.h"
#include "util/arena.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_quiet_log();
	return 0;
}

static void device_rules(const struct spec_resources *res)
{
	struct spec_device_cgroup *rules = NULL;
	struct bpf_insn *insns = NULL;
	size_t n = 0, n_insns = 0;
	struct herr err;
	char buf[64];

	if (cg_device_rules(res->devices, res->n_devices, NULL, 0, &rules, &n) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		cg_device_rule_string(&rules[i], buf, sizeof(buf));
		if (!memchr(buf, '\0', sizeof(buf)))
			abort();
	}
	if (cg_devices_bpf_build(rules, n, &insns, &n_insns, &err) == 0) {
		if (n_insns == 0 || n_insns > 4096)
			abort(); /* BPF_MAXINSNS */
		free(insns);
	}
	free(rules);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *arena = arena_new();
	struct spec_resources *res = NULL;
	struct herr err = {0};

	if (!arena)
		abort();
	if (spec_parse_resources((const char *)data, size, "resources.json", &res, arena, &err) <
	    0) {
		if (err.code >= 0 || !err.msg[0])
			abort();
	} else {
		device_rules(res);
	}
	arena_free(arena);
	return 0;
}
