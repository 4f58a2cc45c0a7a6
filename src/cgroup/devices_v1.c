/* Device rules on cgroup v1: deny everything, then the rules in order (the kernel keeps the
 * exception list), and runc's default allow-list.  A cgroup that already denies by default
 * (update, a nested parent) gets only the differences. */
#include "cgroup/internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/cleanup.h"

/* runc's specconv.AllowedDevices, appended after the config's rules. */
static const struct {
	const char *path; /* dropped when linux.devices lists this path itself */
	struct spec_device_cgroup rule;
} defaults[] = {
    {NULL, {true, 'c', {false, 0}, {false, 0}, (char *)"m"}},
    {NULL, {true, 'b', {false, 0}, {false, 0}, (char *)"m"}},
    {"/dev/null", {true, 'c', {true, 1}, {true, 3}, (char *)"rwm"}},
    {"/dev/random", {true, 'c', {true, 1}, {true, 8}, (char *)"rwm"}},
    {"/dev/full", {true, 'c', {true, 1}, {true, 7}, (char *)"rwm"}},
    {"/dev/tty", {true, 'c', {true, 5}, {true, 0}, (char *)"rwm"}},
    {"/dev/zero", {true, 'c', {true, 1}, {true, 5}, (char *)"rwm"}},
    {"/dev/urandom", {true, 'c', {true, 1}, {true, 9}, (char *)"rwm"}},
    {NULL, {true, 'c', {true, 136}, {false, 0}, (char *)"rwm"}}, /* /dev/pts/N */
    {NULL, {true, 'c', {true, 5}, {true, 2}, (char *)"rwm"}},	 /* /dev/ptmx */
    {NULL, {true, 'c', {true, 10}, {true, 200}, (char *)"rwm"}}, /* /dev/net/tun */
};

int cg_device_rules(const struct spec_device_cgroup *rules, size_t n,
		    const struct spec_device *devs, size_t n_devs, struct spec_device_cgroup **out,
		    size_t *n_out)
{
	struct spec_device_cgroup *v = calloc(n + ARRAY_SIZE(defaults) + 1, sizeof(*v));
	size_t k = 0;

	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		v[k++] = rules[i];
	for (size_t i = 0; i < ARRAY_SIZE(defaults); i++) {
		bool listed = false;

		for (size_t j = 0; defaults[i].path && j < n_devs; j++)
			listed |= devs[j].path && strcmp(devs[j].path, defaults[i].path) == 0;
		if (!listed)
			v[k++] = defaults[i].rule;
	}
	*out = v;
	*n_out = k;
	return 0;
}

void cg_device_rule_string(const struct spec_device_cgroup *r, char *buf, size_t len)
{
	char maj[24] = "*", min[24] = "*";

	if (r->major.set && r->major.v >= 0)
		snprintf(maj, sizeof(maj), "%lld", (long long)r->major.v);
	if (r->minor.set && r->minor.v >= 0)
		snprintf(min, sizeof(min), "%lld", (long long)r->minor.v);
	snprintf(buf, len, "%c %s:%s %s", r->type ? r->type : 'a', maj, min,
		 r->access && *r->access ? r->access : "rwm");
}

/* ---- the kernel's model of a v1 devices cgroup (security/device_cgroup.c) ---- */

/* A default behaviour and exceptions keyed by type, major and minor (-1: "*"), each with its
 * access bits.  In default-allow mode devices.list shows only "a *:* rwm", not the
 * exceptions. */
struct dev_ex {
	char type;
	long long major, minor;
	unsigned access; /* DEV_R | DEV_W | DEV_M */
};

struct dev_state {
	bool allow_all;
	struct dev_ex ex[128];
	size_t n;
	bool overflow; /* more exceptions than fit: transitions fall back to a rewrite */
};

enum { DEV_R = 1, DEV_W = 2, DEV_M = 4 };

static unsigned dev_access_bits(const char *s)
{
	unsigned a = 0;

	for (; s && *s; s++)
		a |= *s == 'r' ? DEV_R : *s == 'w' ? DEV_W : *s == 'm' ? DEV_M : 0;
	return a;
}

static struct dev_ex *dev_find(struct dev_state *st, const struct dev_ex *key)
{
	for (size_t i = 0; i < st->n; i++) {
		if (st->ex[i].type == key->type && st->ex[i].major == key->major &&
		    st->ex[i].minor == key->minor)
			return &st->ex[i];
	}
	return NULL;
}

/* dev_exception_add: merge the access bits into the same key, or a new exception. */
static void dev_add(struct dev_state *st, const struct dev_ex *e)
{
	struct dev_ex *w = dev_find(st, e);

	if (w)
		w->access |= e->access;
	else if (st->n < ARRAY_SIZE(st->ex))
		st->ex[st->n++] = *e;
	else
		st->overflow = true;
}

/* dev_exception_rm: clear the access bits of the same key, dropping it when none is left. */
static void dev_rm(struct dev_state *st, const struct dev_ex *e)
{
	struct dev_ex *w = dev_find(st, e);

	if (!w)
		return;
	w->access &= ~e->access;
	if (!w->access)
		*w = st->ex[--st->n];
}

/* One rule as devcgroup_update_access() applies it: "a" resets the behaviour; a rule that
 * agrees with the default removes an exception, one that disagrees adds it. */
static void dev_apply_rule(struct dev_state *st, const struct spec_device_cgroup *r)
{
	struct dev_ex e = {r->type ? r->type : 'a', r->major.set ? r->major.v : -1,
			   r->minor.set ? r->minor.v : -1,
			   dev_access_bits(r->access && *r->access ? r->access : "rwm")};

	if (e.type == 'a') {
		st->allow_all = r->allow;
		st->n = 0;
		st->overflow = false;
		return;
	}
	if (e.major < 0)
		e.major = -1;
	if (e.minor < 0)
		e.minor = -1;
	if (r->allow == st->allow_all)
		dev_rm(st, &e);
	else
		dev_add(st, &e);
}

/* The cgroup's current state from devices.list ("c 1:3 rwm", "a *:* rwm"). */
static int dev_read_state(struct cgroup *cg, int hier, struct dev_state *st)
{
	_cleanup_free_ char *text = NULL;
	struct herr ignored = {0};
	int r = cg_read(cg, hier, "devices.list", &text, &ignored);

	memset(st, 0, sizeof(*st));
	if (r < 0)
		return r;
	for (char *line = text, *next; line && *line; line = next) {
		char type, maj[24], min[24], acc[8];
		struct dev_ex e;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (sscanf(line, "%c %23[^:]:%23s %7s", &type, maj, min, acc) != 4)
			return -EINVAL;
		if (type == 'a') {
			st->allow_all = true;
			st->n = 0;
			return 0;
		}
		e = (struct dev_ex){type, strcmp(maj, "*") == 0 ? -1 : atoll(maj),
				    strcmp(min, "*") == 0 ? -1 : atoll(min), dev_access_bits(acc)};
		dev_add(st, &e);
	}
	return st->overflow ? -E2BIG : 0;
}

static void dev_ex_string(const struct dev_ex *e, unsigned access, char *buf, size_t len)
{
	char maj[24] = "*", min[24] = "*";

	if (e->major >= 0)
		snprintf(maj, sizeof(maj), "%lld", e->major);
	if (e->minor >= 0)
		snprintf(min, sizeof(min), "%lld", e->minor);
	snprintf(buf, len, "%c %s:%s %s%s%s", e->type, maj, min, access & DEV_R ? "r" : "",
		 access & DEV_W ? "w" : "", access & DEV_M ? "m" : "");
}

/* Both default-deny: allow what the target adds, then deny what it drops.  No reset, so no
 * moment without the rules, and it works on a cgroup with children, where the kernel refuses
 * "a" (runc's devices emulator does the same). */
static int dev_transition(struct cgroup *cg, int hier, struct dev_state *cur,
			  struct dev_state *want, struct herr *err)
{
	_cleanup_close_ int allow = -1, deny = -1;
	char rule[96];
	int r;

	for (size_t i = 0; i < want->n; i++) {
		struct dev_ex *c = dev_find(cur, &want->ex[i]);
		unsigned add = want->ex[i].access & ~(c ? c->access : 0);

		if (!add)
			continue;
		dev_ex_string(&want->ex[i], add, rule, sizeof(rule));
		r = cg_write_keep(cg, hier, &allow, "linux.resources.devices", "devices.allow",
				  rule, err);
		if (r < 0)
			return r;
	}
	for (size_t i = 0; i < cur->n; i++) {
		struct dev_ex *w = dev_find(want, &cur->ex[i]);
		unsigned drop = cur->ex[i].access & ~(w ? w->access : 0);

		if (!drop)
			continue;
		dev_ex_string(&cur->ex[i], drop, rule, sizeof(rule));
		r = cg_write_keep(cg, hier, &deny, "linux.resources.devices", "devices.deny",
				  rule, err);
		if (r < 0)
			return r;
	}
	return 0;
}

int cg_devices_v1_apply(struct cgroup *cg, int hier, const struct spec_device_cgroup *rules,
			size_t n, struct herr *err)
{
	_cleanup_close_ int allow = -1, deny = -1;
	struct dev_state cur, want = {0};
	int r;

	/* husk's rules start from "deny everything" */
	for (size_t i = 0; i < n; i++)
		dev_apply_rule(&want, &rules[i]);
	if (!want.allow_all && !want.overflow && dev_read_state(cg, hier, &cur) == 0 &&
	    !cur.allow_all)
		return dev_transition(cg, hier, &cur, &want, err);

	r = cg_write_keep(cg, hier, &deny, "linux.resources.devices", "devices.deny", "a", err);
	for (size_t i = 0; r >= 0 && i < n; i++) {
		char rule[96], json[64];

		cg_device_rule_string(&rules[i], rule, sizeof(rule));
		snprintf(json, sizeof(json), "linux.resources.devices[%zu]", i);
		r = cg_write_keep(cg, hier, rules[i].allow ? &allow : &deny, json,
				  rules[i].allow ? "devices.allow" : "devices.deny", rule, err);
	}
	return r;
}
