/* Device rules on cgroup v1: deny everything, then the rules in order (the kernel keeps the
 * exception list), and runc's default allow-list. */
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

int cg_devices_v1_apply(struct cgroup *cg, int hier, const struct spec_device_cgroup *rules,
			size_t n, struct herr *err)
{
	int r = cg_write(cg, hier, "linux.resources.devices", "devices.deny", "a", err);

	for (size_t i = 0; r >= 0 && i < n; i++) {
		char rule[96], json[64];

		cg_device_rule_string(&rules[i], rule, sizeof(rule));
		snprintf(json, sizeof(json), "linux.resources.devices[%zu]", i);
		r = cg_write(cg, hier, json, rules[i].allow ? "devices.allow" : "devices.deny",
			     rule, err);
	}
	return r;
}
