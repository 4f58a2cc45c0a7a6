/* `husk update --resources FILE`: spec_parse_resources() on arbitrary bytes. */
#include "fuzz.h"

#include "spec/spec.h"
#include "util/arena.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_quiet_log();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *arena = arena_new();
	struct spec_resources *res = NULL;
	struct herr err = {0};

	if (!arena)
		abort();
	if (spec_parse_resources((const char *)data, size, "resources.json", &res, arena, &err) <
		0 &&
	    (err.code >= 0 || !err.msg[0]))
		abort();
	arena_free(arena);
	return 0;
}
