/* A bump allocator: many small allocations freed together.  The parsed config lives in one. */
#ifndef HUSK_UTIL_ARENA_H
#define HUSK_UTIL_ARENA_H

#include <stddef.h>

struct arena;

struct arena *arena_new(void);
void arena_free(struct arena *a);
/* Zeroed memory; NULL only when out of memory. */
void *arena_alloc(struct arena *a, size_t size);
char *arena_strdup(struct arena *a, const char *s);

#endif
