/* OCI hooks: each runs with the container state JSON on stdin, its args and env, and an
 * optional timeout.  Its output is kept and shown only when it fails, as runc does. */
#ifndef HUSK_CONTAINER_HOOKS_H
#define HUSK_CONTAINER_HOOKS_H

#include "spec/spec.h"
#include "util/error.h"

/* Run the hooks of `kind` in order; stops at the first failure.  A spec without hooks of that
 * kind costs nothing. */
int hooks_run(const struct spec *spec, enum spec_hook_kind kind, const char *state_json,
	      struct herr *err);

#endif
