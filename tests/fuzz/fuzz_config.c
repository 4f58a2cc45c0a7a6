/* config.json: spec_parse() (yajl tree -> struct spec, then spec_validate()) on arbitrary
 * bytes, then what `husk create` does with a parsed config before it clones: each mount's
 * options through mount_opts_parse(). */
#include "fuzz.h"

#include "linux/mount.h"
#include "spec/spec.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_quiet_log();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct spec *spec = NULL;
	struct herr err = {0};

	/* The input buffer is not NUL-terminated: spec_parse() must not need it to be. */
	if (spec_parse((const char *)data, size, "config.json", &spec, &err) < 0) {
		if (err.code >= 0 || !err.msg[0])
			abort(); /* a failure must say why */
		return 0;
	}
	for (size_t i = 0; i < spec->n_mounts; i++) {
		struct mount_opts o;

		if (mount_opts_parse(spec->mounts[i].options, spec->mounts[i].n_options, &o,
				     &err) == 0)
			mount_opts_free(&o);
	}
	spec_free(spec);
	return 0;
}
