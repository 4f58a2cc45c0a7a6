/* cgroup v2 specifics: delegation of controllers down the tree, the freezer, and the raw
 * `unified` keys. */
#include "cgroup/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "util/cleanup.h"
#include "util/fs.h"

#define J "linux.resources."

/* Enable ctrls for the children of dir: "+memory" to cgroup.subtree_control, one controller
 * at a time so the error names it.  Only missing ones are written. */
int cg_v2_enable_controllers(const char *dir, uint32_t ctrls, struct herr *err)
{
	_cleanup_free_ char *cur = NULL;
	char path[PATH_MAX];
	int r;

	if (!ctrls)
		return 0;
	snprintf(path, sizeof(path), "%s/cgroup.subtree_control", dir);
	if ((r = read_file_at(AT_FDCWD, path, &cur, NULL, err)) < 0)
		return r;
	for (int c = 0; c < CG_NCTRL; c++) {
		const char *name = cg_ctrl_name(c, true);
		char word[40];
		bool present = false;
		char *p = cur;
		size_t n;

		if (!(ctrls & CG_BIT(c)) || !name)
			continue;
		n = strlen(name);
		while ((p = strstr(p, name))) {
			if ((p == cur || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\n' || !p[n]))
				present = true;
			p += n;
		}
		if (present)
			continue;
		snprintf(word, sizeof(word), "+%s", name);
		if ((r = write_file_at(AT_FDCWD, path, word, err)) < 0)
			return herr_wrap(err, "enable the %s controller in %s", name, dir);
	}
	return 0;
}

int cg_v2_freeze(struct cgroup *cg, int hier, bool frozen, struct herr *err)
{
	const char *op = frozen ? "pause" : "resume";
	int r;

	if ((r = cg_write(cg, hier, op, "cgroup.freeze", frozen ? "1" : "0", err)) < 0)
		return r;
	/* cgroup.events says "frozen 1" once every task has stopped */
	for (int attempt = 0; attempt < 2000; attempt++) {
		_cleanup_free_ char *ev = NULL;
		char *f;

		if ((r = cg_read(cg, hier, "cgroup.events", &ev, err)) < 0)
			return r;
		if ((f = strstr(ev, "frozen ")) && f[7] == (frozen ? '1' : '0'))
			return 0;
		nanosleep(&(struct timespec){.tv_nsec = 1000 * 1000}, NULL);
	}
	return herr_set(err, -EBUSY, "%s: cgroup.events did not report frozen %d", op, frozen);
}

/* linux.resources.unified: raw cgroup v2 files.  The key must name a file of a controller
 * bound to the cgroup2 hierarchy (or a core "cgroup." file), nothing with a path in it. */
int cg_unified_apply(struct cgroup *cg, const struct spec_resources *res, struct herr *err)
{
	for (size_t i = 0; i < res->n_unified; i++) {
		const char *key = res->unified[i].key, *dot = strchr(key, '.');
		char json[256], name[32];
		int c, r, h = cg->layout.v2;

		snprintf(json, sizeof(json), J "unified.%s", key);
		if (!dot || strchr(key, '/') || dot == key || (size_t)(dot - key) >= sizeof(name))
			return herr_set(err, -EINVAL, "%s: not a cgroup v2 file name", json);
		if (h < 0 || !cg->path[h])
			return herr_set(err, -ENOTSUP,
					"%s: this host has no cgroup v2 hierarchy (cgroup %s "
					"layout)",
					json, cgroup_layout_name(cg->layout.kind));
		snprintf(name, sizeof(name), "%.*s", (int)(dot - key), key);
		c = cg_ctrl_from_name(name, true);
		if (strcmp(name, "cgroup") != 0) {
			if (c < 0)
				return herr_set(err, -EINVAL, "%s: unknown controller \"%s\"", json,
						name);
			if (cg->layout.ctrl[c] != h)
				return herr_set(
				    err, -ENOTSUP,
				    "%s: the %s controller is on cgroup v1 on this host "
				    "(%s layout); use the v1 fields of linux.resources",
				    json, name, cgroup_layout_name(cg->layout.kind));
		}
		if (!cg_has_file(cg, h, key))
			return herr_set(err, -ENOENT, "%s: no such cgroup file %s", json, key);
		if ((r = cg_write(cg, h, json, key, res->unified[i].value, err)) < 0)
			return r;
	}
	return 0;
}
