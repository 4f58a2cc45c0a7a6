/* Shared by the libFuzzer targets in tests/fuzz: quiet logging and a NUL-terminated copy of
 * the input.  Each target defines LLVMFuzzerTestOneInput(); build.sh builds them. */
#ifndef HUSK_TESTS_FUZZ_H
#define HUSK_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Warnings (deprecated fields, ...) go through log.c's formatting, into /dev/null. */
static inline void fuzz_quiet_log(void)
{
	log_init("/dev/null", LOG_FORMAT_JSON, LOG_LEVEL_DEBUG);
}

/* A malloc'ed copy with a NUL after it (ASan catches a read past either end). */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

#endif
