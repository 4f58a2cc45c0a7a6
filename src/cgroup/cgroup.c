/* The container's cgroup across hierarchies: paths (runc's cgroupsPath semantics), creation,
 * joining, the state-file string, signals, freezing and removal. */
#include "cgroup/internal.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/fs.h"

/* ---- paths ---- */

char *cg_clean_path(const char *path)
{
	size_t len = strlen(path);
	char *out = malloc(len + 2);
	size_t w = 0;
	const char *p = path;

	if (!out)
		return NULL;
	/* out is "" or "/a/b" while building; ".." pops a component, never above the root */
	out[0] = '\0';
	while (*p) {
		const char *seg;
		size_t n;

		while (*p == '/')
			p++;
		seg = p;
		while (*p && *p != '/')
			p++;
		n = (size_t)(p - seg);
		if (n == 0 || (n == 1 && seg[0] == '.'))
			continue;
		if (n == 2 && seg[0] == '.' && seg[1] == '.') {
			while (w > 0 && out[w] != '/')
				w--;
			out[w] = '\0';
			continue;
		}
		out[w++] = '/';
		memcpy(out + w, seg, n);
		w += n;
		out[w] = '\0';
	}
	if (w == 0)
		strcpy(out, "/");
	return out;
}

char *cg_resolve_path(const char *cgroups_path, const char *id, const char *own)
{
	_cleanup_free_ char *raw = NULL, *rel = NULL, *joined = NULL;

	if (cgroups_path && *cgroups_path == '/')
		return cg_clean_path(cgroups_path);
	/* As runc's CleanPath: a relative path is cleaned as if it were absolute first, so
	 * "../x" can't climb above husk's own cgroup. */
	if (asprintf(&raw, "/%s", cgroups_path && *cgroups_path ? cgroups_path : id) < 0 ||
	    !(rel = cg_clean_path(raw)) || asprintf(&joined, "%s%s", own ? own : "", rel) < 0)
		return NULL;
	return cg_clean_path(joined);
}

int cg_systemd_parse(const char *cgroups_path, char **slice, char **prefix, char **name,
		     struct herr *err)
{
	const char *a, *b;

	if (!cgroups_path || !(a = strchr(cgroups_path, ':')) || !(b = strchr(a + 1, ':')) ||
	    strchr(b + 1, ':'))
		return herr_set(err, -EINVAL,
				"linux.cgroupsPath: expected \"slice:prefix:name\" for systemd "
				"cgroups, got \"%s\"",
				cgroups_path ? cgroups_path : "");
	*slice = strndup(cgroups_path, (size_t)(a - cgroups_path));
	*prefix = strndup(a + 1, (size_t)(b - a - 1));
	*name = strdup(b + 1);
	if (!*slice || !*prefix || !*name) {
		free(*slice);
		free(*prefix);
		free(*name);
		return herr_errno(err, ENOMEM, "linux.cgroupsPath");
	}
	return 0;
}

static int systemd_check(const char *cgroups_path, struct herr *err)
{
	struct stat st;

	if (cgroups_path && *cgroups_path) {
		_cleanup_free_ char *slice = NULL, *prefix = NULL, *name = NULL;
		int r = cg_systemd_parse(cgroups_path, &slice, &prefix, &name, err);
		if (r < 0)
			return r;
	}
	/* sd_booted(): systemd creates this directory when it runs as PID 1 */
	if (stat("/run/systemd/system", &st) < 0 || !S_ISDIR(st.st_mode))
		return herr_set(err, -ENOTSUP,
				"--systemd-cgroup: systemd is not running on this host "
				"(/run/systemd/system is missing); drop --systemd-cgroup to use "
				"the cgroupfs driver");
	return herr_set(err, -ENOTSUP,
			"--systemd-cgroup: the systemd cgroup driver is not implemented yet; drop "
			"--systemd-cgroup to use the cgroupfs driver");
}

/* ---- conversions ---- */

/* log2 and 10^x without libm (the binary links without -lm): enough precision that the
 * exact points of runc's curve (2 -> 1, 1024 -> 100) come out exact. */
static double ln_ratio(double m)
{
	double t = (m - 1) / (m + 1), t2 = t * t, term = t, sum = 0;

	for (int k = 1; k < 60; k += 2) {
		sum += term / k;
		term *= t2;
	}
	return 2 * sum;
}

static const double LN2 = 0.69314718055994530942, LN10 = 2.30258509299404568402;

static double log2_(double x)
{
	int k = 0;

	while (x >= 2) {
		x /= 2;
		k++;
	}
	while (x < 1) {
		x *= 2;
		k--;
	}
	return k + ln_ratio(x) / LN2;
}

static double pow10_(double e)
{
	double y = e * LN10, r, term = 1, sum = 1;
	long k = (long)(y / LN2);

	if (y < 0 && k * LN2 > y)
		k--;
	r = y - (double)k * LN2;
	for (int i = 1; i < 30; i++) {
		term *= r / i;
		sum += term;
	}
	for (; k > 0; k--)
		sum *= 2;
	for (; k < 0; k++)
		sum /= 2;
	return sum;
}

uint64_t cg_shares_to_weight(uint64_t shares)
{
	double l, v;
	uint64_t n;

	/* runc: a quadratic in log2(shares) through (2, 1), (1024, 100) and (262144, 10000),
	 * rounded up */
	if (shares == 0)
		return 0;
	if (shares <= 2)
		return 1;
	if (shares >= 262144)
		return 10000;
	l = log2_((double)shares);
	v = pow10_((l * l + 125 * l) / 612.0 - 7.0 / 34.0);
	n = (uint64_t)v;
	if (v - (double)n < 1e-9 * v) /* an exact point computed a hair above */
		return n;
	if ((double)(n + 1) - v < 1e-9 * v)
		return n + 1;
	return n + 1;
}

uint64_t cg_blkio_to_io_weight(uint64_t weight)
{
	if (weight == 0)
		return 0;
	return 1 + (weight - 10) * 9999 / 990;
}

int cg_swap_to_v2(int64_t swap, bool swap_set, int64_t limit, bool limit_set, int64_t *out,
		  bool *set, struct herr *err)
{
	int64_t s = swap_set ? swap : 0, m = limit_set ? limit : 0;

	*set = true;
	if (m == -1 && s == 0) { /* v1 compatibility: unlimited memory and swap */
		*out = -1;
		return 0;
	}
	if (s == -1 || m == -1) {
		*out = s;
		*set = s != 0;
		return 0;
	}
	if (s == 0) {
		*set = swap_set; /* an explicit 0: no swap at all */
		*out = 0;
		return 0;
	}
	if (m == 0)
		return herr_set(err, -EINVAL,
				"linux.resources.memory.swap: unable to set swap limit without "
				"memory limit");
	if (m < 0)
		return herr_set(err, -EINVAL, "linux.resources.memory.limit: invalid value %lld",
				(long long)m);
	if (s < m)
		return herr_set(
		    err, -EINVAL,
		    "linux.resources.memory.swap: memory+swap limit (%lld) should be >= "
		    "memory limit (%lld)",
		    (long long)s, (long long)m);
	*out = s - m;
	return 0;
}

int cg_parse_size(const char *s, int64_t *out)
{
	static const struct {
		char c;
		int shift;
	} units[] = {{'k', 10}, {'m', 20}, {'g', 30}, {'t', 40}, {'p', 50}};
	char *end;
	double v;
	int shift = 0;

	/* go-units RAMInBytes: a number, an optional unit k/m/g/t/p (binary), an optional "b"
	 * or "ib"; -1 is unlimited */
	while (isspace((unsigned char)*s))
		s++;
	if (strcmp(s, "-1") == 0) {
		*out = -1;
		return 0;
	}
	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno || v < 0 || v != v)
		return -EINVAL;
	while (*end == ' ')
		end++;
	if (*end) {
		char u = (char)tolower((unsigned char)*end);
		bool found = false;

		for (size_t i = 0; i < ARRAY_SIZE(units); i++) {
			if (units[i].c == u) {
				shift = units[i].shift;
				found = true;
			}
		}
		if (found)
			end++;
		if (found && tolower((unsigned char)*end) == 'i')
			end++;
		if (tolower((unsigned char)*end) == 'b')
			end++;
		if (*end)
			return -EINVAL;
	}
	v *= (double)(1ULL << shift);
	if (v >= 9.2e18)
		return -ERANGE;
	*out = (int64_t)v;
	return 0;
}

/* ---- file access ---- */

int cg_dir(const struct cgroup *cg, size_t i, char *buf, size_t len)
{
	const struct cg_hier *h = &cg->layout.hier[i];
	const char *p = cg->path[i];
	size_t rl = strlen(h->root);
	int n;

	if (!p)
		return -ENOENT;
	/* a mount of a sub-tree (cgroup namespace, container): paths are relative to its root */
	if (strcmp(h->root, "/") != 0 && strncmp(p, h->root, rl) == 0 &&
	    (p[rl] == '/' || p[rl] == '\0'))
		p += rl;
	n = snprintf(buf, len, "%s%s", h->mountpoint, strcmp(p, "/") == 0 ? "" : p);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int cg_hier_of(const struct cgroup *cg, enum cg_ctrl c)
{
	int i = cg->layout.ctrl[c];

	return i >= 0 && cg->path[i] ? i : -1;
}

static int open_dir(const struct cgroup *cg, int hier)
{
	char dir[PATH_MAX];
	int r = cg_dir(cg, (size_t)hier, dir, sizeof(dir));

	if (r < 0) {
		errno = -r;
		return -1;
	}
	return open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

int cg_write_keep(const struct cgroup *cg, int hier, int *fd, const char *json,
		  const char *file, const char *value, struct herr *err)
{
	int r;

	if (*fd < 0) {
		_cleanup_close_ int dfd = open_dir(cg, hier);

		if (dfd < 0)
			return herr_sys(err, "%s: open cgroup %s", json, cg->path[hier]);
		*fd = openat(dfd, file, O_WRONLY | O_CLOEXEC);
		if (*fd < 0) {
			if (errno == ENOENT)
				return herr_errno(err, errno, "%s: %s in %s", json, file,
						  cg->layout.hier[hier].mountpoint);
			return herr_sys(err, "%s: open %s", json, file);
		}
	}
	r = write_all(*fd, value, strlen(value));
	if (r < 0)
		return herr_errno(err, r, "%s: write %s to %s", json, value, file);
	return 0;
}

int cg_write(const struct cgroup *cg, int hier, const char *json, const char *file,
	     const char *value, struct herr *err)
{
	_cleanup_close_ int fd = -1;

	return cg_write_keep(cg, hier, &fd, json, file, value, err);
}

int cg_read(const struct cgroup *cg, int hier, const char *file, char **out, struct herr *err)
{
	_cleanup_close_ int dfd = open_dir(cg, hier);

	if (dfd < 0)
		return herr_sys(err, "open cgroup %s", cg->path[hier]);
	return read_file_at(dfd, file, out, NULL, err);
}

bool cg_has_file(const struct cgroup *cg, int hier, const char *file)
{
	_cleanup_close_ int dfd = open_dir(cg, hier);

	return dfd >= 0 && faccessat(dfd, file, F_OK, 0) == 0;
}

int cg_read_u64(const struct cgroup *cg, int hier, const char *file, uint64_t *out)
{
	_cleanup_free_ char *buf = NULL;
	struct herr e;
	int r = cg_read(cg, hier, file, &buf, &e);

	if (r < 0)
		return r;
	if (strncmp(buf, "max", 3) == 0) {
		*out = UINT64_MAX;
		return 0;
	}
	errno = 0;
	*out = strtoull(buf, NULL, 10);
	return errno ? -errno : 0;
}

/* ---- the object ---- */

static struct cgroup *cgroup_new(void)
{
	struct cgroup *cg = calloc(1, sizeof(*cg));

	if (!cg)
		return NULL;
	cg_layout_init(&cg->layout);
	cg->v2fd = -1;
	return cg;
}

void cgroup_free(struct cgroup *cg)
{
	if (!cg)
		return;
	for (size_t i = 0; i < CG_MAX_HIER; i++)
		free(cg->path[i]);
	free(cg->encoded);
	if (cg->v2fd >= 0)
		close(cg->v2fd);
	cg_layout_free(&cg->layout);
	free(cg);
}

static void cgroup_freep(struct cgroup **cg)
{
	cgroup_free(*cg);
}
#define _cleanup_cgroup_ _cleanup_(cgroup_freep)

/* The state-file string: the path most hierarchies share, then ";KEY:PATH" for each hierarchy
 * whose path differs (relative cgroupsPath under a process that sits in different cgroups per
 * hierarchy).  "/husk-test/c1" or "/a/c1;memory:/x/a/c1". */
int cg_encode(struct cgroup *cg)
{
	const char *common = NULL;
	size_t len = 1;
	char *s;

	for (size_t i = 0; i < cg->layout.n; i++) {
		if (!cg->path[i])
			continue;
		if (!common || (cg->layout.v2 == (int)i))
			common = cg->path[i];
		len += strlen(cg->layout.hier[i].key) + strlen(cg->path[i]) + 2;
	}
	if (!common)
		common = "/";
	s = malloc(len + strlen(common));
	if (!s)
		return -ENOMEM;
	strcpy(s, common);
	for (size_t i = 0; i < cg->layout.n; i++) {
		if (!cg->path[i] || strcmp(cg->path[i], common) == 0)
			continue;
		strcat(s, ";");
		strcat(s, cg->layout.hier[i].key);
		strcat(s, ":");
		strcat(s, cg->path[i]);
	}
	free(cg->encoded);
	cg->encoded = s;
	return 0;
}

int cg_decode(struct cgroup *cg, const char *str, struct herr *err)
{
	_cleanup_free_ char *copy = strdup(str);
	char *save = NULL, *common;

	if (!copy)
		return herr_errno(err, ENOMEM, "cgroup %s", str);
	common = strtok_r(copy, ";", &save);
	if (!common || *common != '/')
		return herr_set(err, -EINVAL, "invalid cgroup path \"%s\" in the state file", str);
	for (size_t i = 0; i < cg->layout.n; i++) {
		if (!(cg->path[i] = strdup(common)))
			return herr_errno(err, ENOMEM, "cgroup %s", str);
	}
	for (char *t = strtok_r(NULL, ";", &save); t; t = strtok_r(NULL, ";", &save)) {
		char *colon = strchr(t, ':');

		if (!colon || colon[1] != '/')
			return herr_set(err, -EINVAL,
					"invalid cgroup path \"%s\" in the state file", str);
		*colon = '\0';
		for (size_t i = 0; i < cg->layout.n; i++) {
			if (strcmp(cg->layout.hier[i].key, t) != 0)
				continue;
			free(cg->path[i]);
			if (!(cg->path[i] = strdup(colon + 1)))
				return herr_errno(err, ENOMEM, "cgroup %s", str);
		}
	}
	return 0;
}

const char *cgroup_path(const struct cgroup *cg)
{
	return cg->encoded;
}

int cgroup_v2_fd(const struct cgroup *cg)
{
	return cg->v2fd;
}

static int open_v2fd(struct cgroup *cg)
{
	if (cg->layout.v2 < 0 || !cg->path[cg->layout.v2] || cg->v2fd >= 0)
		return 0;
	cg->v2fd = open_dir(cg, cg->layout.v2);
	return cg->v2fd < 0 ? -errno : 0;
}

int cgroup_load(const char *path, bool systemd, struct cgroup **out, struct herr *err)
{
	_cleanup_cgroup_ struct cgroup *cg = cgroup_new();
	int r;

	if (!cg)
		return herr_errno(err, ENOMEM, "cgroup");
	cg->systemd = systemd;
	r = cg_layout_load(&cg->layout, err);
	if (r < 0)
		return r;
	r = cg_decode(cg, path, err);
	if (r < 0)
		return r;
	if (cg_encode(cg) < 0)
		return herr_errno(err, ENOMEM, "cgroup");
	open_v2fd(cg); /* gone already (deleted container): cgroup_v2_fd() is -1 */
	*out = steal_pointer(&cg);
	return 0;
}

/* ---- create ---- */

/* rmdir the directories this cgroup created, leaf first, waiting a little for exiting tasks. */
static int rmdir_retry(const char *dir)
{
	for (int attempt = 0;; attempt++) {
		if (rmdir(dir) == 0 || errno == ENOENT)
			return 0;
		if (errno != EBUSY || attempt >= 100)
			return -errno;
		nanosleep(&(struct timespec){.tv_nsec = 10 * 1000 * 1000}, NULL);
	}
}

/* Descendants the container made itself (cgroup namespace, nested runtimes) go first; the
 * common leaf goes at the first rmdir, with no listing. */
static int rmdir_tree(const char *dir)
{
	_cleanup_closedir_ DIR *d = NULL;
	struct dirent *de;
	int r = 0;

	if (rmdir(dir) == 0 || errno == ENOENT)
		return 0;
	if (errno != EBUSY && errno != ENOTEMPTY)
		return -errno;
	d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		char sub[PATH_MAX];

		if (de->d_type != DT_DIR || strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (snprintf(sub, sizeof(sub), "%s/%s", dir, de->d_name) >= (int)sizeof(sub))
			continue;
		int q = rmdir_tree(sub);
		if (q < 0 && r == 0)
			r = q;
	}
	int q = rmdir_retry(dir);
	return r < 0 ? r : q;
}

static void remove_created(struct cgroup *cg)
{
	for (size_t i = 0; i < cg->layout.n; i++) {
		char dir[PATH_MAX];

		if (cg->created[i] && cg_dir(cg, i, dir, sizeof(dir)) == 0)
			rmdir_tree(dir);
	}
}

/* mkdir every level of hierarchy i below the mount root; v1 cpuset levels get the parent's
 * cpus/mems (an empty cpuset can't take tasks), v2 levels get the needed controllers enabled
 * in their parent's cgroup.subtree_control. */
static int make_dirs(struct cgroup *cg, size_t i, uint32_t v2_needed, struct herr *err)
{
	const struct cg_hier *h = &cg->layout.hier[i];
	char dir[PATH_MAX];
	size_t base;
	int r = cg_dir(cg, i, dir, sizeof(dir));

	if (r < 0)
		return herr_errno(err, r, "cgroup %s", cg->path[i]);
	base = strlen(h->mountpoint);
	for (char *p = dir + base + 1; p <= dir + strlen(dir); p++) {
		bool last = *p == '\0';

		if (*p != '/' && !last)
			continue;
		*p = '\0';
		if (h->v2) {
			/* the parent of this level delegates the controllers to it (never the leaf
			 * itself: a cgroup with controllers enabled for children can't hold tasks) */
			char *slash = strrchr(dir, '/');

			*slash = '\0';
			r = cg_v2_enable_controllers(dir, v2_needed, err);
			*slash = '/';
			if (r < 0)
				return r;
		}
		/* mkdir first: EEXIST comes before any permission or read-only error, so an
		 * existing level costs one call and is never taken for ours */
		if (mkdir(dir, 0755) == 0) {
			if (last)
				cg->created[i] = true;
			if (!h->v2 && (h->ctrls & CG_BIT(CG_CPUSET))) {
				r = cg_v1_cpuset_inherit(dir, err);
				if (r < 0)
					return r;
			}
		} else if (errno != EEXIST) {
			return herr_sys(err, "mkdir %s", dir);
		}
		if (!last)
			*p = '/';
		else
			break;
	}
	return 0;
}

static int resolve_paths(struct cgroup *cg, const struct cgroup_opts *opts, struct herr *err)
{
	for (size_t i = 0; i < cg->layout.n; i++) {
		cg->path[i] = cg_resolve_path(opts->cgroups_path, opts->id, cg->layout.hier[i].own);
		if (!cg->path[i])
			return herr_errno(err, ENOMEM, "cgroup");
		if (strcmp(cg->path[i], "/") == 0)
			return herr_set(err, -EINVAL,
					"linux.cgroupsPath: \"%s\" is the root cgroup; a container "
					"needs its own",
					opts->cgroups_path ? opts->cgroups_path : "");
		if (strchr(cg->path[i], ';'))
			return herr_set(err, -EINVAL, "linux.cgroupsPath: \";\" is not allowed");
	}
	return 0;
}

int cgroup_create(const struct cgroup_opts *opts, const struct spec_resources *res,
		  const struct spec_device *devs, size_t n_devs, struct cgroup **out,
		  struct herr *err)
{
	_cleanup_cgroup_ struct cgroup *cg = cgroup_new();
	static const struct spec_resources none;
	uint32_t v2_needed;
	int r;

	if (!cg)
		return herr_errno(err, ENOMEM, "cgroup");
	if (!res)
		res = &none;
	if (opts->systemd)
		return systemd_check(opts->cgroups_path, err);
	cg->rootless = opts->rootless;
	cg->spec_devices = devs;
	cg->n_spec_devices = n_devs;
	r = cg_layout_load(&cg->layout, err);
	if (r < 0)
		return r;
	r = resolve_paths(cg, opts, err);
	if (r < 0)
		return r;
	v2_needed = cg_v2_needed(&cg->layout, res);
	for (size_t i = 0; i < cg->layout.n; i++) {
		r = make_dirs(cg, i, cg->layout.hier[i].v2 ? v2_needed : 0, err);
		if (r < 0 && opts->rootless && (r == -EACCES || r == -EPERM || r == -EROFS)) {
			free(cg->path[i]); /* rootless without delegation: run without it */
			cg->path[i] = NULL;
			continue;
		}
		if (r < 0) {
			remove_created(cg);
			return r;
		}
	}
	r = cg_resources_apply(cg, res, false, err);
	if (r < 0) {
		remove_created(cg);
		return r;
	}
	if (cg_encode(cg) < 0 || open_v2fd(cg) < 0) {
		r = herr_sys(err, "open the cgroup2 directory");
		remove_created(cg);
		return r;
	}
	*out = steal_pointer(&cg);
	return 0;
}

int cgroup_update(struct cgroup *cg, const struct spec_resources *res, struct herr *err)
{
	return cg_resources_apply(cg, res, true, err);
}

void cgroup_set_spec_devices(struct cgroup *cg, const struct spec_device *devs, size_t n)
{
	cg->spec_devices = devs;
	cg->n_spec_devices = n;
}

/* ---- processes ---- */

int cgroup_enter(struct cgroup *cg, pid_t pid, unsigned skip, struct herr *err)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%d", (int)pid);
	for (size_t i = 0; i < cg->layout.n; i++) {
		bool v2 = (int)i == cg->layout.v2;
		int r;

		if (!cg->path[i] || (v2 && (skip & CGROUP_SKIP_V2)) ||
		    (!v2 && (skip & CGROUP_SKIP_V1)))
			continue;
		r = cg_write(cg, (int)i, "cgroup", "cgroup.procs", buf, err);
		if (r < 0) {
			if (cg->rootless && (r == -EACCES || r == -EPERM))
				continue;
			return herr_wrap(err, "join %s%s", cg->layout.hier[i].mountpoint,
					 cg->path[i]);
		}
	}
	return 0;
}

int cgroup_open_self_join(struct cgroup *cg, int *fds, size_t max, size_t *n, struct herr *err)
{
	*n = 0;
	for (size_t i = 0; i < cg->layout.n; i++) {
		char dir[PATH_MAX], tasks[PATH_MAX + 8];
		int fd, r;

		if (!cg->path[i] || (int)i == cg->layout.v2)
			continue;
		r = cg_dir(cg, i, dir, sizeof(dir));
		if (r < 0)
			return herr_errno(err, r, "cgroup of %s", cg->layout.hier[i].mountpoint);
		snprintf(tasks, sizeof(tasks), "%s/tasks", dir);
		fd = open(tasks, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0) {
			if (cg->rootless && (errno == EACCES || errno == EPERM))
				continue;
			return herr_sys(err, "join %s/tasks", dir);
		}
		if (*n == max) {
			close(fd);
			return herr_set(err, -E2BIG, "join cgroups: too many hierarchies");
		}
		fds[(*n)++] = fd;
	}
	return 0;
}

int cgroup_self_join(int *fds, size_t n, struct herr *err)
{
	int r = 0;

	for (size_t i = 0; i < n; i++) {
		if (r == 0 && write(fds[i], "0", 1) != 1)
			r = herr_sys(err, "join the container's cgroup");
		close(fds[i]);
	}
	return r;
}

/* The directory of hierarchy i's cgroup, with `sub` below it (never above: cleaned as an
 * absolute path first). */
static int sub_dir(const struct cgroup *cg, size_t i, const char *sub, char *buf, size_t len)
{
	_cleanup_free_ char *raw = NULL, *clean = NULL;
	size_t n;
	int r = cg_dir(cg, i, buf, len);

	if (r < 0 || !sub || !*sub)
		return r;
	if (asprintf(&raw, "/%s", sub) < 0 || !(clean = cg_clean_path(raw)))
		return -ENOMEM;
	if (strcmp(clean, "/") == 0)
		return 0;
	n = strlen(buf);
	if (n + strlen(clean) >= len)
		return -ENAMETOOLONG;
	memcpy(buf + n, clean, strlen(clean) + 1);
	return 0;
}

static const char *sub_for(const struct cgroup *cg, size_t i, const struct cgroup_sub *subs,
			   size_t n)
{
	for (size_t k = 0; k < n; k++) {
		int c;

		if (!subs[k].controller)
			return subs[k].path;
		c = cg_ctrl_from_name(subs[k].controller, cg->layout.hier[i].v2);
		if (c >= 0 && cg->layout.ctrl[c] == (int)i)
			return subs[k].path;
	}
	return NULL;
}

int cgroup_enter_sub(struct cgroup *cg, pid_t pid, const struct cgroup_sub *subs, size_t n,
		     bool cloned_into_v2, struct herr *err)
{
	char dir[PATH_MAX], buf[32];

	for (size_t k = 0; k < n; k++) {
		int c = subs[k].controller ? cg_ctrl_from_name(subs[k].controller, false) : 0;
		if (c < 0 || (subs[k].controller && cg_hier_of(cg, c) < 0))
			return herr_set(err, -EINVAL, "--cgroup: unknown controller %s",
					subs[k].controller);
	}
	snprintf(buf, sizeof(buf), "%d", (int)pid);
	for (size_t i = 0; i < cg->layout.n; i++) {
		_cleanup_close_ int dfd = -1;
		int r;

		if (!cg->path[i] || (cloned_into_v2 && (int)i == cg->layout.v2))
			continue;
		r = sub_dir(cg, i, sub_for(cg, i, subs, n), dir, sizeof(dir));
		if (r < 0)
			return herr_errno(err, r, "cgroup %s", cg->path[i]);
		dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		r = dfd < 0 ? -errno : write_file_at(dfd, "cgroup.procs", buf, err);
		if (r < 0) {
			if (cg->rootless && (r == -EACCES || r == -EPERM))
				continue;
			return herr_errno(err, r, "join cgroup %s", dir);
		}
	}
	return 0;
}

int cgroup_v2_open_sub(const struct cgroup *cg, const char *sub, struct herr *err)
{
	char dir[PATH_MAX];
	int fd, r;

	if (cg->layout.v2 < 0 || !cg->path[cg->layout.v2])
		return -1;
	r = sub_dir(cg, (size_t)cg->layout.v2, sub, dir, sizeof(dir));
	if (r < 0)
		return herr_errno(err, r, "cgroup %s", cg->path[cg->layout.v2]);
	fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return herr_sys(err, "open cgroup %s", dir);
	return fd;
}

/* The hierarchy whose cgroup.procs lists every process of the container: the unified one
 * when there is one (hybrid included: husk joins it too), else any v1 hierarchy. */
static int procs_hier(const struct cgroup *cg)
{
	static const enum cg_ctrl pref[] = {CG_PIDS, CG_FREEZER, CG_MEMORY, CG_DEVICES, CG_CPU};

	if (cg->layout.v2 >= 0 && cg->path[cg->layout.v2])
		return cg->layout.v2;
	for (size_t i = 0; i < ARRAY_SIZE(pref); i++) {
		if (cg_hier_of(cg, pref[i]) >= 0)
			return cg_hier_of(cg, pref[i]);
	}
	for (size_t i = 0; i < cg->layout.n; i++) {
		if (cg->path[i])
			return (int)i;
	}
	return -1;
}

static int collect_pids(const char *dir, pid_t **pids, size_t *n, size_t *cap)
{
	char file[PATH_MAX];
	_cleanup_fclose_ FILE *f = NULL;
	_cleanup_closedir_ DIR *d = NULL;
	struct dirent *de;
	long v;

	snprintf(file, sizeof(file), "%s/cgroup.procs", dir);
	f = fopen(file, "re");
	if (!f)
		return errno == ENOENT ? 0 : -errno;
	while (fscanf(f, "%ld", &v) == 1) {
		if (*n == *cap) {
			pid_t *np = realloc(*pids, (*cap ? *cap * 2 : 16) * sizeof(pid_t));
			if (!np)
				return -ENOMEM;
			*pids = np;
			*cap = *cap ? *cap * 2 : 16;
		}
		(*pids)[(*n)++] = (pid_t)v;
	}
	/* sub-cgroups the container made */
	if (!(d = opendir(dir)))
		return 0;
	while ((de = readdir(d))) {
		char sub[PATH_MAX];
		int r;

		if (de->d_type != DT_DIR || de->d_name[0] == '.')
			continue;
		if (snprintf(sub, sizeof(sub), "%s/%s", dir, de->d_name) >= (int)sizeof(sub))
			continue;
		r = collect_pids(sub, pids, n, cap);
		if (r < 0)
			return r;
	}
	return 0;
}

int cgroup_pids(struct cgroup *cg, pid_t **pids, size_t *n, struct herr *err)
{
	char dir[PATH_MAX];
	size_t cap = 0;
	int h = procs_hier(cg), r;

	*pids = NULL;
	*n = 0;
	if (h < 0)
		return 0;
	r = cg_dir(cg, (size_t)h, dir, sizeof(dir));
	if (r == 0)
		r = collect_pids(dir, pids, n, &cap);
	if (r < 0) {
		free(*pids);
		*pids = NULL;
		*n = 0;
		return herr_errno(err, r, "list the processes of cgroup %s", cg->path[h]);
	}
	return 0;
}

int cgroup_signal_all(struct cgroup *cg, int sig, struct herr *err)
{
	_cleanup_free_ pid_t *pids = NULL;
	bool freeze = false;
	size_t n = 0;
	int r;

	/* SIGKILL: freeze first on v1 so nothing forks between reading cgroup.procs and the kill,
	 * as runc does; v2's cgroup.kill is atomic */
	if (sig == SIGKILL && cg->layout.v2 >= 0 && cg->path[cg->layout.v2] &&
	    cg_has_file(cg, cg->layout.v2, "cgroup.kill"))
		return cg_write(cg, cg->layout.v2, "cgroup", "cgroup.kill", "1", err);
	if (sig == SIGKILL) {
		struct herr ignored = {0};

		freeze = cgroup_freeze(cg, true, &ignored) == 0;
	}
	r = cgroup_pids(cg, &pids, &n, err);
	for (size_t i = 0; r >= 0 && i < n; i++) {
		if (kill(pids[i], sig) < 0 && errno != ESRCH)
			r = herr_sys(err, "kill %d", (int)pids[i]);
	}
	if (freeze) { /* thawed, the frozen tasks take their SIGKILL (a paused one too) */
		struct herr ignored = {0};

		cgroup_freeze(cg, false, &ignored);
	}
	return r < 0 ? r : 0;
}

int cgroup_destroy(struct cgroup *cg, struct herr *err)
{
	int r = 0;

	for (int attempt = 0; attempt < 5; attempt++) {
		_cleanup_free_ pid_t *pids = NULL;
		size_t n = 0;

		if (cgroup_pids(cg, &pids, &n, err) < 0 || n == 0)
			break;
		if (cgroup_signal_all(cg, SIGKILL, err) < 0)
			break;
		/* a frozen v1 cgroup holds the SIGKILL back */
		cgroup_freeze(cg, false, err);
		nanosleep(&(struct timespec){.tv_nsec = 20 * 1000 * 1000}, NULL);
	}
	herr_clear(err);
	for (size_t i = 0; i < cg->layout.n; i++) {
		char dir[PATH_MAX];
		int q;

		if (!cg->path[i] || cg_dir(cg, i, dir, sizeof(dir)) < 0)
			continue;
		q = rmdir_tree(dir);
		if (q < 0 && r == 0)
			r = herr_errno(err, q, "remove cgroup %s", dir);
	}
	return r;
}

/* ---- freezer ---- */

int cgroup_freeze(struct cgroup *cg, bool frozen, struct herr *err)
{
	int h = cg_hier_of(cg, CG_FREEZER);

	if (h >= 0 && !cg->layout.hier[h].v2)
		return cg_v1_freeze(cg, h, frozen, err);
	if (cg->layout.v2 >= 0 && cg->path[cg->layout.v2])
		return cg_v2_freeze(cg, cg->layout.v2, frozen, err);
	return herr_set(err, -ENOTSUP, "pause: no freezer cgroup is available");
}

int cgroup_is_frozen(struct cgroup *cg, bool *frozen, struct herr *err)
{
	int h = cg_hier_of(cg, CG_FREEZER);
	_cleanup_free_ char *buf = NULL;
	int r;

	*frozen = false;
	if (h >= 0 && !cg->layout.hier[h].v2) {
		r = cg_read(cg, h, "freezer.state", &buf, err);
		if (r == -ENOENT)
			return 0;
		if (r < 0)
			return r;
		*frozen = strncmp(buf, "FROZEN", 6) == 0 || strncmp(buf, "FREEZING", 8) == 0;
		return 0;
	}
	if (cg->layout.v2 < 0 || !cg->path[cg->layout.v2])
		return 0;
	r = cg_read(cg, cg->layout.v2, "cgroup.freeze", &buf, err);
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	*frozen = buf[0] == '1';
	return 0;
}
