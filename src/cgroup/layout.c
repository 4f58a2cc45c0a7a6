/* Layout detection: which hierarchies are mounted (mountinfo), which controller is bound to
 * which of them, and where this process sits in each (/proc/self/cgroup).
 *   v1:     only `cgroup` mounts
 *   hybrid: `cgroup` mounts plus a `cgroup2` one (usually /sys/fs/cgroup/unified)
 *   v2:     a single `cgroup2` mount */
#include "cgroup/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/cleanup.h"
#include "util/fs.h"

static const struct {
	const char *v1;
	const char *v2;
} ctrl_names[CG_NCTRL] = {
    [CG_CPU] = {"cpu", "cpu"},
    [CG_CPUACCT] = {"cpuacct", NULL},
    [CG_CPUSET] = {"cpuset", "cpuset"},
    [CG_MEMORY] = {"memory", "memory"},
    [CG_DEVICES] = {"devices", NULL},
    [CG_FREEZER] = {"freezer", NULL},
    [CG_BLKIO] = {"blkio", "io"},
    [CG_PIDS] = {"pids", "pids"},
    [CG_HUGETLB] = {"hugetlb", "hugetlb"},
    [CG_NET_CLS] = {"net_cls", NULL},
    [CG_NET_PRIO] = {"net_prio", NULL},
    [CG_RDMA] = {"rdma", "rdma"},
    [CG_PERF_EVENT] = {"perf_event", "perf_event"},
    [CG_MISC] = {"misc", "misc"},
    [CG_NAME_SYSTEMD] = {"name=systemd", NULL},
};

const char *cg_ctrl_name(enum cg_ctrl c, bool v2)
{
	if ((unsigned)c >= CG_NCTRL)
		return NULL;
	return v2 ? ctrl_names[c].v2 : ctrl_names[c].v1;
}

int cg_ctrl_from_name(const char *name, bool v2)
{
	for (int c = 0; c < CG_NCTRL; c++) {
		const char *n = cg_ctrl_name(c, v2);
		if (n && strcmp(n, name) == 0)
			return c;
	}
	return -1;
}

void cg_layout_init(struct cg_layout *l)
{
	memset(l, 0, sizeof(*l));
	l->v2 = -1;
	for (int c = 0; c < CG_NCTRL; c++)
		l->ctrl[c] = -1;
}

void cg_layout_free(struct cg_layout *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->hier[i].mountpoint);
		free(l->hier[i].root);
		free(l->hier[i].own);
		free(l->hier[i].key);
	}
	cg_layout_init(l);
}

/* mountinfo escapes space, tab, newline and backslash as \ooo. */
static void unescape_octal(char *s)
{
	char *w = s;

	for (char *r = s; *r;) {
		if (r[0] == '\\' && r[1] >= '0' && r[1] <= '7' && r[2] >= '0' && r[2] <= '7' &&
		    r[3] >= '0' && r[3] <= '7') {
			*w++ = (char)((r[1] - '0') * 64 + (r[2] - '0') * 8 + (r[3] - '0'));
			r += 4;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
}

/* Controllers named in a v1 mount's super options ("rw,cpu,cpuacct", "rw,name=systemd") or in a
 * /proc/self/cgroup controller list ("cpu,cpuacct"). */
static uint32_t v1_ctrls_of(const char *opts)
{
	_cleanup_free_ char *copy = strdup(opts);
	uint32_t mask = 0;
	char *save = NULL;

	if (!copy)
		return 0;
	for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		int c = cg_ctrl_from_name(t, false);
		if (c >= 0)
			mask |= CG_BIT(c);
	}
	return mask;
}

static int add_hier(struct cg_layout *l, const char *mnt, const char *root, bool v2, uint32_t ctrls,
		    const char *key)
{
	struct cg_hier *h;

	for (size_t i = 0; i < l->n; i++) {
		/* the same hierarchy mounted twice (bind mounts, cpu,cpuacct aliases): first wins
		 */
		if (l->hier[i].v2 == v2 && (v2 || l->hier[i].ctrls == ctrls))
			return 0;
	}
	if (l->n == CG_MAX_HIER)
		return 0;
	h = &l->hier[l->n];
	h->mountpoint = strdup(mnt);
	h->root = strdup(root);
	h->own = strdup("/");
	h->key = strdup(key);
	if (!h->mountpoint || !h->root || !h->own || !h->key)
		return -ENOMEM;
	h->v2 = v2;
	h->ctrls = ctrls;
	if (v2)
		l->v2 = (int)l->n;
	l->n++;
	return 0;
}

/* One line: "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTS" */
static int parse_mountinfo_line(struct cg_layout *l, char *line)
{
	char *field[6] = {0}, *save = NULL, *t, *fstype, *super;
	size_t n = 0;

	for (t = strtok_r(line, " ", &save); t && n < 6; t = strtok_r(NULL, " ", &save))
		field[n++] = t;
	if (n < 6)
		return 0;
	while (t && strcmp(t, "-") != 0)
		t = strtok_r(NULL, " ", &save);
	if (!t)
		return 0;
	fstype = strtok_r(NULL, " ", &save);
	strtok_r(NULL, " ", &save); /* source */
	super = strtok_r(NULL, " ", &save);
	if (!fstype || !super)
		return 0;
	unescape_octal(field[3]);
	unescape_octal(field[4]);
	if (strcmp(fstype, "cgroup2") == 0)
		return add_hier(l, field[4], field[3], true, 0, "unified");
	if (strcmp(fstype, "cgroup") == 0) {
		uint32_t ctrls = v1_ctrls_of(super);
		_cleanup_free_ char *key = NULL;
		size_t klen = 0;

		if (!ctrls)
			return 0; /* a named hierarchy other than name=systemd: not ours */
		key = calloc(1, strlen(super) + 1);
		if (!key)
			return -ENOMEM;
		for (int c = 0; c < CG_NCTRL; c++) {
			if (!(ctrls & CG_BIT(c)))
				continue;
			klen += (size_t)sprintf(key + klen, "%s%s", klen ? "," : "",
						cg_ctrl_name(c, false));
		}
		return add_hier(l, field[4], field[3], false, ctrls, key);
	}
	return 0;
}

int cg_layout_parse_mountinfo(struct cg_layout *l, const char *mountinfo, struct herr *err)
{
	_cleanup_free_ char *copy = strdup(mountinfo);
	char *save = NULL;

	if (!copy)
		return herr_errno(err, ENOMEM, "parse mountinfo");
	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		_cleanup_free_ char *dup = strdup(line);
		int r;

		if (!dup)
			return herr_errno(err, ENOMEM, "parse mountinfo");
		r = parse_mountinfo_line(l, dup);
		if (r < 0)
			return herr_errno(err, r, "parse mountinfo");
	}
	return 0;
}

void cg_layout_set_v2_controllers(struct cg_layout *l, const char *controllers)
{
	_cleanup_free_ char *copy = NULL;
	char *save = NULL;

	if (l->v2 < 0 || !controllers || !(copy = strdup(controllers)))
		return;
	l->hier[l->v2].ctrls = 0;
	for (char *t = strtok_r(copy, " \n", &save); t; t = strtok_r(NULL, " \n", &save)) {
		int c = cg_ctrl_from_name(t, true);
		if (c >= 0)
			l->hier[l->v2].ctrls |= CG_BIT(c);
	}
}

static struct cg_hier *hier_for_proc_line(struct cg_layout *l, const char *ctrls)
{
	uint32_t mask;

	if (*ctrls == '\0')
		return l->v2 >= 0 ? &l->hier[l->v2] : NULL;
	mask = v1_ctrls_of(ctrls);
	for (size_t i = 0; i < l->n; i++) {
		if (!l->hier[i].v2 && mask && l->hier[i].ctrls == mask)
			return &l->hier[i];
	}
	return NULL;
}

int cg_layout_set_own(struct cg_layout *l, const char *proc_cgroup, struct herr *err)
{
	_cleanup_free_ char *copy = strdup(proc_cgroup ? proc_cgroup : "");
	char *save = NULL;
	bool any_v1 = false;

	if (!copy)
		return herr_errno(err, ENOMEM, "parse /proc/self/cgroup");
	/* "ID:CONTROLLERS:PATH"; the path may itself contain ':' */
	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *c1 = strchr(line, ':'), *c2;
		struct cg_hier *h;

		if (!c1 || !(c2 = strchr(c1 + 1, ':')))
			continue;
		*c2 = '\0';
		h = hier_for_proc_line(l, c1 + 1);
		if (!h || c2[1] != '/')
			continue;
		free(h->own);
		h->own = strdup(c2 + 1);
		if (!h->own)
			return herr_errno(err, ENOMEM, "parse /proc/self/cgroup");
	}
	for (size_t i = 0; i < l->n; i++) {
		if (l->hier[i].v2)
			continue;
		any_v1 = true;
		for (int c = 0; c < CG_NCTRL; c++) {
			if ((l->hier[i].ctrls & CG_BIT(c)) && l->ctrl[c] < 0)
				l->ctrl[c] = (int)i;
		}
	}
	if (l->v2 >= 0) {
		for (int c = 0; c < CG_NCTRL; c++) {
			if ((l->hier[l->v2].ctrls & CG_BIT(c)) && l->ctrl[c] < 0)
				l->ctrl[c] = l->v2;
		}
	}
	if (!any_v1 && l->v2 < 0)
		return herr_set(err, -ENOENT, "no cgroup hierarchy is mounted");
	l->kind = !any_v1 ? CGROUP_LAYOUT_V2 : l->v2 >= 0 ? CGROUP_LAYOUT_HYBRID : CGROUP_LAYOUT_V1;
	return 0;
}

int cg_layout_load(struct cg_layout *l, struct herr *err)
{
	_cleanup_free_ char *mountinfo = NULL, *own = NULL;
	int r;

	cg_layout_init(l);
	r = read_file_at(AT_FDCWD, "/proc/self/mountinfo", &mountinfo, NULL, err);
	if (r < 0)
		return r;
	r = cg_layout_parse_mountinfo(l, mountinfo, err);
	if (r < 0)
		return r;
	if (l->v2 >= 0) {
		_cleanup_free_ char *path = NULL, *ctrls = NULL;
		struct herr ignored;

		if (asprintf(&path, "%s/cgroup.controllers", l->hier[l->v2].mountpoint) < 0)
			return herr_errno(err, ENOMEM, "cgroup layout");
		/* an unreadable (or hidden) list: no controller there */
		if (read_file_at(AT_FDCWD, path, &ctrls, NULL, &ignored) == 0)
			cg_layout_set_v2_controllers(l, ctrls);
	}
	r = read_file_at(AT_FDCWD, "/proc/self/cgroup", &own, NULL, err);
	if (r < 0)
		return r;
	return cg_layout_set_own(l, own, err);
}

enum cgroup_layout cgroup_layout_detect(void)
{
	struct cg_layout l;
	struct herr err;
	enum cgroup_layout kind = CGROUP_LAYOUT_V2;

	if (cg_layout_load(&l, &err) == 0)
		kind = l.kind;
	cg_layout_free(&l);
	return kind;
}

const char *cgroup_layout_name(enum cgroup_layout layout)
{
	static const char *const names[] = {
	    [CGROUP_LAYOUT_V1] = "v1",
	    [CGROUP_LAYOUT_HYBRID] = "hybrid",
	    [CGROUP_LAYOUT_V2] = "v2",
	};
	return (unsigned)layout < ARRAY_SIZE(names) ? names[layout] : "unknown";
}
