/* Statistics for `events`: the numbers runc reports, read from whichever hierarchy each
 * controller is bound to. */
#include "cgroup/internal.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/cleanup.h"

enum cgroup_layout cgroup_layout_of(const struct cgroup *cg)
{
	return cg->layout.kind;
}

int cgroup_parse_size(const char *s, long long *out)
{
	int64_t v;
	int r = cg_parse_size(s, &v);

	if (r == 0)
		*out = v;
	return r;
}

static unsigned long long rd(struct cgroup *cg, int h, const char *file)
{
	uint64_t v = 0;

	if (h < 0 || cg_read_u64(cg, h, file, &v) < 0 || v == UINT64_MAX)
		return 0;
	return v;
}

/* "key value" lines (cpu.stat, memory.stat, memory.events): the value of key, 0 if absent. */
static unsigned long long kv(const char *text, const char *key)
{
	size_t n = strlen(key);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (strncmp(p, key, n) == 0 && p[n] == ' ')
			return strtoull(p + n + 1, NULL, 10);
	}
	return 0;
}

static char *rd_text(struct cgroup *cg, int h, const char *file)
{
	char *buf = NULL;
	struct herr e;

	if (h < 0 || cg_read(cg, h, file, &buf, &e) < 0)
		return NULL;
	return buf;
}

static void mem_entry(struct cgroup *cg, int h, const char *prefix, struct cgroup_mem_usage *m)
{
	char f[80];

	snprintf(f, sizeof(f), "%s.usage_in_bytes", prefix);
	m->usage = rd(cg, h, f);
	snprintf(f, sizeof(f), "%s.max_usage_in_bytes", prefix);
	m->max = rd(cg, h, f);
	snprintf(f, sizeof(f), "%s.failcnt", prefix);
	m->failcnt = rd(cg, h, f);
	snprintf(f, sizeof(f), "%s.limit_in_bytes", prefix);
	m->limit = rd(cg, h, f);
}

static int raw_stats(struct cgroup_stats *st, const char *text)
{
	size_t n = 0;

	for (const char *p = text; *p; p++)
		n += *p == '\n';
	st->mem_raw = calloc(n + 1, sizeof(*st->mem_raw));
	if (!st->mem_raw)
		return -ENOMEM;
	for (const char *p = text; *p;) {
		const char *sp = strchr(p, ' '), *nl = strchr(p, '\n');

		if (!nl)
			nl = p + strlen(p);
		if (sp && sp < nl) {
			struct spec_kv *e = &st->mem_raw[st->n_mem_raw++];
			e->key = strndup(p, (size_t)(sp - p));
			e->value = strndup(sp + 1, (size_t)(nl - sp - 1));
		}
		p = *nl ? nl + 1 : nl;
	}
	return 0;
}

static void cpu_v1(struct cgroup *cg, struct cgroup_stats *st)
{
	int acct = cg_hier_of(cg, CG_CPUACCT), cpu = cg_hier_of(cg, CG_CPU);
	_cleanup_free_ char *percpu = rd_text(cg, acct, "cpuacct.usage_percpu");
	_cleanup_free_ char *stat = rd_text(cg, acct, "cpuacct.stat");
	_cleanup_free_ char *thr = rd_text(cg, cpu, "cpu.stat");
	long hz = sysconf(_SC_CLK_TCK);
	unsigned long long tick = hz > 0 ? 1000000000ULL / (unsigned long long)hz : 10000000ULL;

	st->has_cpu = acct >= 0 || cpu >= 0;
	st->cpu_total = rd(cg, acct, "cpuacct.usage");
	if (stat) { /* USER_HZ ticks -> ns, as runc */
		st->cpu_user = kv(stat, "user") * tick;
		st->cpu_kernel = kv(stat, "system") * tick;
	}
	if (percpu) {
		size_t cap = 0;
		char *end;
		for (char *p = percpu;; p = end) {
			unsigned long long v = strtoull(p, &end, 10);
			if (end == p)
				break;
			if (st->n_percpu == cap) {
				unsigned long long *n =
				    realloc(st->percpu, (cap + 16) * sizeof(*n));
				if (!n)
					break;
				st->percpu = n;
				cap += 16;
			}
			st->percpu[st->n_percpu++] = v;
		}
	}
	if (thr) {
		st->throttle_periods = kv(thr, "nr_periods");
		st->throttle_throttled = kv(thr, "nr_throttled");
		st->throttle_time = kv(thr, "throttled_time");
	}
}

static void cpu_v2(struct cgroup *cg, int h, struct cgroup_stats *st)
{
	_cleanup_free_ char *s = rd_text(cg, h, "cpu.stat");

	if (!s)
		return;
	st->has_cpu = true;
	st->cpu_total = kv(s, "usage_usec") * 1000;
	st->cpu_user = kv(s, "user_usec") * 1000;
	st->cpu_kernel = kv(s, "system_usec") * 1000;
	st->throttle_periods = kv(s, "nr_periods");
	st->throttle_throttled = kv(s, "nr_throttled");
	st->throttle_time = kv(s, "throttled_usec") * 1000;
}

static void mem_v2(struct cgroup *cg, int h, struct cgroup_stats *st)
{
	_cleanup_free_ char *ev = rd_text(cg, h, "memory.events");

	st->mem.usage = rd(cg, h, "memory.current");
	st->mem.limit = rd(cg, h, "memory.max");
	st->mem.max = rd(cg, h, "memory.peak");
	st->mem.failcnt = ev ? kv(ev, "max") : 0;
	st->swap.usage = rd(cg, h, "memory.swap.current") + st->mem.usage;
	st->swap.limit = rd(cg, h, "memory.swap.max");
	if (st->swap.limit)
		st->swap.limit += st->mem.limit;
}

/* runc's page size names: "hugepages-2048kB" -> "2MB" (go-units CustomSize, base 1024). */
static void hugetlb_size_name(unsigned long long kb, char *buf, size_t len)
{
	static const char *const units[] = {"KB", "MB", "GB", "TB", "PB"};
	size_t u = 0;
	double v = (double)kb;

	while (v >= 1024 && u + 1 < ARRAY_SIZE(units)) {
		v /= 1024;
		u++;
	}
	snprintf(buf, len, "%g%s", v, units[u]);
}

/* Usage per huge page size: v1 hugetlb.SIZE.{usage_in_bytes,max_usage_in_bytes,failcnt}; v2
 * hugetlb.SIZE.current and the "max" count of hugetlb.SIZE.events (no peak: max stays 0). */
static int hugetlb_stats(struct cgroup *cg, struct cgroup_stats *st)
{
	int h = cg_hier_of(cg, CG_HUGETLB);
	_cleanup_closedir_ DIR *d = NULL;
	struct dirent *de;
	size_t cap = 0;

	if (h < 0 || !(d = opendir("/sys/kernel/mm/hugepages")))
		return 0;
	while ((de = readdir(d))) {
		struct cgroup_hugetlb *e;
		unsigned long long kb;
		char f[80];

		if (sscanf(de->d_name, "hugepages-%llukB", &kb) != 1)
			continue;
		if (st->n_hugetlb == cap) {
			e = realloc(st->hugetlb, (cap + 4) * sizeof(*e));
			if (!e)
				return -ENOMEM;
			st->hugetlb = e;
			cap += 4;
		}
		e = &st->hugetlb[st->n_hugetlb++];
		memset(e, 0, sizeof(*e));
		hugetlb_size_name(kb, e->size, sizeof(e->size));
		if (cg->layout.hier[h].v2) {
			_cleanup_free_ char *ev = NULL;

			snprintf(f, sizeof(f), "hugetlb.%s.current", e->size);
			e->usage = rd(cg, h, f);
			snprintf(f, sizeof(f), "hugetlb.%s.events", e->size);
			ev = rd_text(cg, h, f);
			e->failcnt = ev ? kv(ev, "max") : 0;
		} else {
			snprintf(f, sizeof(f), "hugetlb.%s.usage_in_bytes", e->size);
			e->usage = rd(cg, h, f);
			snprintf(f, sizeof(f), "hugetlb.%s.max_usage_in_bytes", e->size);
			e->max = rd(cg, h, f);
			snprintf(f, sizeof(f), "hugetlb.%s.failcnt", e->size);
			e->failcnt = rd(cg, h, f);
		}
	}
	return 0;
}

int cgroup_stats(struct cgroup *cg, struct cgroup_stats *st, struct herr *err)
{
	int h;

	memset(st, 0, sizeof(*st));
	h = cg_hier_of(cg, CG_CPU);
	if (h >= 0 && cg->layout.hier[h].v2)
		cpu_v2(cg, h, st);
	else
		cpu_v1(cg, st);
	if ((h = cg_hier_of(cg, CG_MEMORY)) >= 0) {
		_cleanup_free_ char *raw = rd_text(cg, h, "memory.stat");
		bool v2 = cg->layout.hier[h].v2;

		st->has_memory = true;
		if (v2) {
			mem_v2(cg, h, st);
		} else {
			mem_entry(cg, h, "memory", &st->mem);
			mem_entry(cg, h, "memory.memsw", &st->swap);
			mem_entry(cg, h, "memory.kmem", &st->kernel);
			mem_entry(cg, h, "memory.kmem.tcp", &st->kernel_tcp);
		}
		if (raw) {
			st->mem_cache = kv(raw, v2 ? "file" : "cache");
			if (raw_stats(st, raw) < 0)
				return herr_errno(err, ENOMEM, "stats");
		}
	}
	if ((h = cg_hier_of(cg, CG_PIDS)) >= 0) {
		st->has_pids = true;
		st->pids_current = rd(cg, h, "pids.current");
		st->pids_limit = rd(cg, h, "pids.max");
	}
	if (hugetlb_stats(cg, st) < 0)
		return herr_errno(err, ENOMEM, "stats");
	return 0;
}

void cgroup_stats_free(struct cgroup_stats *st)
{
	free(st->percpu);
	for (size_t i = 0; i < st->n_mem_raw; i++) {
		free(st->mem_raw[i].key);
		free(st->mem_raw[i].value);
	}
	free(st->mem_raw);
	free(st->hugetlb);
	memset(st, 0, sizeof(*st));
}

unsigned long long cgroup_oom_count(struct cgroup *cg)
{
	int h = cg_hier_of(cg, CG_MEMORY);
	_cleanup_free_ char *t = NULL;

	if (h < 0)
		return 0;
	t = rd_text(cg, h, cg->layout.hier[h].v2 ? "memory.events" : "memory.oom_control");
	return t ? kv(t, "oom_kill") : 0;
}
