/* The cgroup module's parsers, none of which touches a cgroup: /proc/self/mountinfo and
 * /proc/self/cgroup texts (layout), cgroupsPath resolution and cleaning, "slice:prefix:name",
 * the cgroupPath string of the state file (decode, encode, decode again: the same paths), and
 * sizes ("100M").  The first byte picks the parser, the rest is its text. */
#include "fuzz.h"

#include "cgroup/cgroup.h"
#include "cgroup/internal.h"

static const char hybrid_mountinfo[] =
    "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
    "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct\n"
    "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime shared:9 - cgroup cgroup rw,memory\n"
    "40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd\n"
    "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";
static const char hybrid_proc[] = "9:name=systemd:/\n4:memory:/process_api/682ad\n"
				  "2:cpu,cpuacct:/\n0::/x\n";

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_quiet_log();
	return 0;
}

static void check_clean(const char *s)
{
	char *c = cg_clean_path(s), *again;

	if (!c)
		abort();
	/* absolute, no empty, "." or ".." component, no trailing slash; cleaning is idempotent */
	if (c[0] != '/' || strstr(c, "//") || strstr(c, "/./") || strstr(c, "/../") ||
	    (strlen(c) > 1 && c[strlen(c) - 1] == '/'))
		abort();
	if (strcmp(c, "/.") == 0 || strcmp(c, "/..") == 0 ||
	    (strlen(c) >= 3 &&
	     (strcmp(c + strlen(c) - 3, "/..") == 0 || strcmp(c + strlen(c) - 2, "/.") == 0)))
		abort();
	again = cg_clean_path(c);
	if (!again || strcmp(again, c) != 0)
		abort();
	free(again);
	free(c);
}

static void check_resolve(char *s)
{
	/* "cgroupsPath\nid\nown" */
	char *id = strchr(s, '\n'), *own = NULL, *r;

	if (id) {
		*id++ = '\0';
		own = strchr(id, '\n');
		if (own)
			*own++ = '\0';
	}
	r = cg_resolve_path(s, id ? id : "c1", own && *own == '/' ? own : "/");
	if (!r || r[0] != '/')
		abort();
	free(r);
}

static void load_layout(struct cgroup *cg)
{
	struct herr err;

	cg_layout_init(&cg->layout);
	cg->v2fd = -1;
	if (cg_layout_parse_mountinfo(&cg->layout, hybrid_mountinfo, &err) < 0 ||
	    cg_layout_set_own(&cg->layout, hybrid_proc, &err) < 0)
		abort();
}

/* decode -> encode -> decode: the same paths */
static void check_decode(const char *s)
{
	struct cgroup *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));
	struct herr err;

	if (!a || !b)
		abort();
	load_layout(a);
	load_layout(b);
	if (cg_decode(a, s, &err) == 0) {
		if (cg_encode(a) < 0 || cg_decode(b, a->encoded, &err) < 0)
			abort();
		for (size_t i = 0; i < a->layout.n; i++)
			if (!a->path[i] != !b->path[i] ||
			    (a->path[i] && strcmp(a->path[i], b->path[i]) != 0))
				abort();
	}
	cgroup_free(a);
	cgroup_free(b);
}

static void check_layout(const char *s, bool own)
{
	struct cg_layout l;
	struct herr err;

	cg_layout_init(&l);
	if (own) {
		if (cg_layout_parse_mountinfo(&l, hybrid_mountinfo, &err) < 0)
			abort();
		cg_layout_set_v2_controllers(&l, "cpu io memory pids");
		(void)cg_layout_set_own(&l, s, &err);
	} else if (cg_layout_parse_mountinfo(&l, s, &err) == 0) {
		(void)cg_layout_set_own(&l, hybrid_proc, &err);
	}
	cg_layout_free(&l);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, *slice, *prefix, *name;
	struct herr err;
	int64_t n64;
	long long n;

	if (size < 1)
		return 0;
	s = fuzz_cstr(data + 1, size - 1);
	switch (data[0] % 7) {
	case 0:
		check_clean(s);
		break;
	case 1:
		check_resolve(s);
		break;
	case 2:
		if (cg_systemd_parse(s, &slice, &prefix, &name, &err) == 0) {
			free(slice);
			free(prefix);
			free(name);
		}
		break;
	case 3:
		check_decode(s);
		break;
	case 4:
		check_layout(s, false);
		break;
	case 5:
		check_layout(s, true);
		break;
	case 6:
		if (cg_parse_size(s, &n64) == 0 && n64 < -1) /* -1: unlimited */
			abort();
		(void)cgroup_parse_size(s, &n);
		break;
	}
	free(s);
	return 0;
}
