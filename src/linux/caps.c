/* Capabilities: names to bits, the bounding set, then E/P/I through libcap and the ambient set.
 *
 * An absent `capabilities` object, or an absent set inside it, means the empty set: runc 1.1
 * and crun both clear every set in that case (runc >= 1.3 keeps the runtime's own sets
 * instead).  The inheritable set is only what the config lists, never filled in from ambient
 * (CVE-2022-29162). */
#include "linux/caps.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>

#include "util/cleanup.h"
#include "util/log.h"

static void caps_freep(cap_t *c)
{
	if (*c)
		cap_free(*c);
}

static void caps_free_namep(char **n)
{
	if (*n)
		cap_free(*n);
}

#define _cleanup_cap_ _cleanup_(caps_freep)
#define _cleanup_cap_name_ _cleanup_(caps_free_namep)

static const char *const caps_set_names[SPEC_CAP_NSETS] = {
    [SPEC_CAP_BOUNDING] = "bounding",	    [SPEC_CAP_EFFECTIVE] = "effective",
    [SPEC_CAP_INHERITABLE] = "inheritable", [SPEC_CAP_PERMITTED] = "permitted",
    [SPEC_CAP_AMBIENT] = "ambient",
};

/* cap_from_name() is lenient ("5", "cap_kill", "cap_kill,cap_chown" all parse); the spec and
 * runc take only the exact upper-case "CAP_" names. */
static bool caps_name_is_canonical(const char *name)
{
	const char *p;

	if (strncmp(name, "CAP_", 4) != 0 || name[4] < 'A' || name[4] > 'Z')
		return false;
	for (p = name + 4; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_'))
			return false;
	return true;
}

int caps_from_name(const char *name)
{
	cap_value_t v;

	if (!name || !caps_name_is_canonical(name) || cap_from_name(name, &v) < 0 || v < 0)
		return -1;
	return v;
}

/* True when `name` already appeared before (set, idx): warn once per name. */
static bool caps_seen_before(const struct spec_capabilities *c, int set, size_t idx)
{
	const char *name = c->names[set][idx];

	for (int s = 0; s <= set; s++) {
		size_t end = s == set ? idx : c->n_names[s];

		for (size_t i = 0; i < end; i++)
			if (strcmp(c->names[s][i], name) == 0)
				return true;
	}
	return false;
}

void caps_from_spec(const struct spec_capabilities *c, struct caps_sets *out)
{
	int last = cap_max_bits(); /* what the running kernel knows, probed by libcap */

	memset(out, 0, sizeof(*out));
	if (!c)
		return;
	for (int s = 0; s < SPEC_CAP_NSETS; s++) {
		out->present[s] = c->names[s] != NULL;
		for (size_t i = 0; i < c->n_names[s]; i++) {
			const char *name = c->names[s][i];
			int v = caps_from_name(name);

			if (v >= 0 && v < last && v < 64) {
				out->set[s] |= UINT64_C(1) << v;
				continue;
			}
			if (!caps_seen_before(c, s, i))
				log_warn("ignoring unknown or unavailable capability \"%s\" in "
					 "process.capabilities.%s",
					 name, caps_set_names[s]);
		}
	}
}

/* "CAP_KILL" for a warning (libcap says "cap_kill"). */
static void caps_display_name(int cap, char *buf, size_t size)
{
	_cleanup_cap_name_ char *name = cap_to_name(cap);
	size_t i;

	if (!name) {
		snprintf(buf, size, "capability %d", cap);
		return;
	}
	for (i = 0; name[i] && i + 1 < size; i++)
		buf[i] = (char)toupper((unsigned char)name[i]);
	buf[i] = '\0';
}

int caps_apply_bounding(const struct caps_sets *s, struct herr *err)
{
	int last = cap_max_bits();

	for (int cap = 0; cap < last && cap < 64; cap++) {
		if (s->set[SPEC_CAP_BOUNDING] & (UINT64_C(1) << cap))
			continue;
		/* EINVAL: a cap the kernel does not know; nothing to drop. */
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL) {
			char name[64];
			int saved = errno;

			caps_display_name(cap, name, sizeof(name));
			return herr_errno(err, saved, "drop %s from the bounding set", name);
		}
	}
	return 0;
}

static int caps_fill(cap_t caps, cap_flag_t flag, uint64_t bits)
{
	for (int cap = 0; bits; cap++, bits >>= 1) {
		cap_value_t v = cap;

		if ((bits & 1) && cap_set_flag(caps, flag, 1, &v, CAP_SET) < 0)
			return -errno;
	}
	return 0;
}

/* Each ambient cap must already be in permitted and inheritable; like runc, one that cannot be
 * raised is a warning (the spec asks for one), not a failure. */
static int caps_raise_ambient(uint64_t bits, struct herr *err)
{
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0) {
		if (errno == EINVAL && !bits)
			return 0; /* kernel without ambient caps (< 4.3) */
		return herr_sys(err, "clear the ambient capabilities");
	}
	for (int cap = 0; bits; cap++, bits >>= 1) {
		char name[64];

		if (!(bits & 1) || prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) == 0)
			continue;
		caps_display_name(cap, name, sizeof(name));
		log_warn("can't raise ambient capability %s: %s", name, strerror(errno));
	}
	return 0;
}

int caps_apply(const struct caps_sets *s, struct herr *err)
{
	_cleanup_cap_ cap_t caps = cap_init();
	int r;

	if (!caps)
		return herr_sys(err, "cap_init");
	if ((r = caps_fill(caps, CAP_EFFECTIVE, s->set[SPEC_CAP_EFFECTIVE])) < 0 ||
	    (r = caps_fill(caps, CAP_PERMITTED, s->set[SPEC_CAP_PERMITTED])) < 0 ||
	    (r = caps_fill(caps, CAP_INHERITABLE, s->set[SPEC_CAP_INHERITABLE])) < 0)
		return herr_errno(err, r, "cap_set_flag");
	if (cap_set_proc(caps) < 0)
		return herr_sys(err, "apply capabilities (effective, permitted, inheritable)");
	return caps_raise_ambient(s->set[SPEC_CAP_AMBIENT], err);
}

char *caps_name(int cap)
{
	_cleanup_cap_name_ char *name = cap_to_name(cap);
	char *out;

	/* libcap prints the number of a capability it has no name for */
	if (!name || strncmp(name, "cap_", 4) != 0)
		return NULL;
	out = strdup(name);
	for (char *p = out; p && *p; p++)
		*p = (char)toupper((unsigned char)*p);
	return out;
}
