/* Capabilities through libcap.  Unknown names are warned about and ignored (runc 1.1+);
 * the inheritable set is never filled implicitly (CVE-2022-29162). */
#ifndef HUSK_LINUX_CAPS_H
#define HUSK_LINUX_CAPS_H

#include <stdbool.h>
#include <stdint.h>

#include "spec/spec.h"
#include "util/error.h"

struct caps_sets {
	uint64_t set[SPEC_CAP_NSETS];
	bool present[SPEC_CAP_NSETS];
};

/* Resolve names to bits; unknown ones are logged as warnings and skipped. */
void caps_from_spec(const struct spec_capabilities *c, struct caps_sets *out);

/* Drop every capability not in the bounding set (needs CAP_SETPCAP: before the uid change). */
int caps_apply_bounding(const struct caps_sets *s, struct herr *err);

/* Set effective, permitted and inheritable, then raise ambient (after the uid change). */
int caps_apply(const struct caps_sets *s, struct herr *err);

/* "CAP_KILL" -> 5, -1 if unknown to this libcap. */
int caps_from_name(const char *name);

/* "CAP_CHOWN" for capability `cap` as libcap names it (malloc'ed), NULL when libcap has no
 * name for it (`husk features` lists every name libcap knows). */
char *caps_name(int cap);

#endif
