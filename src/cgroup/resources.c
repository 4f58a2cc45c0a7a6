/* linux.resources -> cgroup files.  Each field is written on the hierarchy its controller is
 * bound to, so a hybrid host drives memory on v1 and hugetlb on v2 in one container.  Scalar
 * fields are rows of `knobs` (field -> v1 file, v2 file, value); fields whose files depend on
 * each other (memory and swap, cpu quota and period, lists) have a function each.  A controller
 * that is not mounted is skipped with a warning, as runc does. */
#include "cgroup/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/cleanup.h"
#include "util/log.h"

#define J "linux.resources."

/* Format an optional value: 1 when set (buf filled), 0 when absent, < 0 when invalid. */
typedef int (*knob_value_fn)(const struct spec_resources *r, bool v2, char *buf, size_t len);

struct knob {
	const char *json;
	enum cg_ctrl ctrl;
	const char *v1;	  /* NULL: ignored on v1 */
	const char *v2;	  /* NULL: ignored on v2 (runc ignores these too) */
	bool v1_optional; /* the kernel may have dropped the file (kernel memory) */
	knob_value_fn value;
};

static int fmt_i64(struct opt_i64 o, bool v2, char *buf, size_t len)
{
	if (!o.set)
		return 0;
	if (v2 && o.v == -1)
		snprintf(buf, len, "max");
	else
		snprintf(buf, len, "%" PRId64, o.v);
	return 1;
}

static int fmt_u64(struct opt_u64 o, char *buf, size_t len)
{
	if (!o.set)
		return 0;
	snprintf(buf, len, "%" PRIu64, o.v);
	return 1;
}

static int fmt_str(const char *s, char *buf, size_t len)
{
	if (!s)
		return 0;
	snprintf(buf, len, "%s", s);
	return 1;
}

#define MEM(r) ((r)->memory)
#define CPU(r) ((r)->cpu)

static int v_mem_reservation(const struct spec_resources *r, bool v2, char *b, size_t l)
{
	return MEM(r) ? fmt_i64(MEM(r)->reservation, v2, b, l) : 0;
}

static int v_mem_kernel(const struct spec_resources *r, bool v2, char *b, size_t l)
{
	return MEM(r) ? fmt_i64(MEM(r)->kernel, v2, b, l) : 0;
}

static int v_mem_kernel_tcp(const struct spec_resources *r, bool v2, char *b, size_t l)
{
	return MEM(r) ? fmt_i64(MEM(r)->kernel_tcp, v2, b, l) : 0;
}

static int v_mem_swappiness(const struct spec_resources *r, bool v2, char *b, size_t l)
{
	if (!MEM(r) || !MEM(r)->swappiness.set || (int64_t)MEM(r)->swappiness.v == -1)
		return 0;
	if (MEM(r)->swappiness.v > 100)
		return -ERANGE;
	return fmt_u64(MEM(r)->swappiness, b, l);
}

static int v_mem_oom(const struct spec_resources *r, bool v2, char *b, size_t l)
{
	/* runc only ever disables the OOM killer; false leaves the kernel default */
	if (!MEM(r) || !MEM(r)->disable_oom_killer.set || !MEM(r)->disable_oom_killer.v)
		return 0;
	snprintf(b, l, "1");
	return 1;
}

static int v_cpu_shares(const struct spec_resources *r, bool v2, char *b, size_t l)
{
	if (!CPU(r) || !CPU(r)->shares.set || CPU(r)->shares.v == 0)
		return 0;
	snprintf(b, l, "%" PRIu64, v2 ? cg_shares_to_weight(CPU(r)->shares.v) : CPU(r)->shares.v);
	return 1;
}

static int v_cpu_cpus(const struct spec_resources *r, bool v2, char *b, size_t l)
{
	return CPU(r) && CPU(r)->cpus && *CPU(r)->cpus ? fmt_str(CPU(r)->cpus, b, l) : 0;
}

static int v_cpu_mems(const struct spec_resources *r, bool v2, char *b, size_t l)
{
	return CPU(r) && CPU(r)->mems && *CPU(r)->mems ? fmt_str(CPU(r)->mems, b, l) : 0;
}

static int v_cpu_idle(const struct spec_resources *r, bool v2, char *b, size_t l)
{
	return CPU(r) ? fmt_i64(CPU(r)->idle, false, b, l) : 0;
}

static int v_pids(const struct spec_resources *r, bool v2, char *b, size_t l)
{
	/* runc: a positive limit is written, 0 and -1 mean unlimited */
	if (!r->pids_limit.set)
		return 0;
	if (r->pids_limit.v > 0)
		snprintf(b, l, "%" PRId64, r->pids_limit.v);
	else if (r->pids_limit.v == 0 || r->pids_limit.v == -1)
		snprintf(b, l, "max");
	else
		return -EINVAL;
	return 1;
}

static int v_blkio_leaf(const struct spec_resources *r, bool v2, char *b, size_t l)
{
	return r->blkio && r->blkio->leaf_weight.v ? fmt_u64(r->blkio->leaf_weight, b, l) : 0;
}

static int v_classid(const struct spec_resources *r, bool v2, char *b, size_t l)
{
	return r->network ? fmt_u64(r->network->class_id, b, l) : 0;
}

static const struct knob knobs[] = {
    {J "memory.reservation", CG_MEMORY, "memory.soft_limit_in_bytes", "memory.low", false,
     v_mem_reservation},
    {J "memory.kernel", CG_MEMORY, "memory.kmem.limit_in_bytes", NULL, true, v_mem_kernel},
    {J "memory.kernelTCP", CG_MEMORY, "memory.kmem.tcp.limit_in_bytes", NULL, true,
     v_mem_kernel_tcp},
    {J "memory.swappiness", CG_MEMORY, "memory.swappiness", NULL, false, v_mem_swappiness},
    {J "memory.disableOOMKiller", CG_MEMORY, "memory.oom_control", NULL, false, v_mem_oom},
    {J "cpu.shares", CG_CPU, "cpu.shares", "cpu.weight", false, v_cpu_shares},
    {J "cpu.idle", CG_CPU, "cpu.idle", "cpu.idle", false, v_cpu_idle},
    {J "cpu.cpus", CG_CPUSET, "cpuset.cpus", "cpuset.cpus", false, v_cpu_cpus},
    {J "cpu.mems", CG_CPUSET, "cpuset.mems", "cpuset.mems", false, v_cpu_mems},
    {J "pids.limit", CG_PIDS, "pids.max", "pids.max", false, v_pids},
    {J "blockIO.leafWeight", CG_BLKIO, "blkio.leaf_weight", NULL, false, v_blkio_leaf},
    {J "network.classID", CG_NET_CLS, "net_cls.classid", NULL, false, v_classid},
};

/* ---- helpers ---- */

static bool warned[CG_NCTRL];

/* The hierarchy for ctrl, or -1 with a warning when the controller is not there. */
static int hier_or_skip(const struct cgroup *cg, enum cg_ctrl c, const char *json)
{
	int h = cg_hier_of(cg, c);

	if (h < 0 && !cg->rootless && !warned[c]) {
		warned[c] = true;
		log_warn("%s: the %s controller is not available on this host; ignored", json,
			 cg_ctrl_name(c, cg->layout.v2 >= 0 && cg->layout.kind == CGROUP_LAYOUT_V2)
			     ?: cg_ctrl_name(c, false));
	}
	return h;
}

static bool on_v2(const struct cgroup *cg, int h)
{
	return cg->layout.hier[h].v2;
}

static int apply_knob(struct cgroup *cg, const struct knob *k, const struct spec_resources *r,
		      struct herr *err)
{
	char val[64];
	const char *file;
	int h, q;
	bool v2;

	q = k->value(r, false, val, sizeof(val));
	if (q == 0)
		return 0;
	if ((h = hier_or_skip(cg, k->ctrl, k->json)) < 0)
		return 0;
	v2 = on_v2(cg, h);
	q = k->value(r, v2, val, sizeof(val));
	if (q < 0)
		return herr_errno(err, q, "%s: invalid value", k->json);
	file = v2 ? k->v2 : k->v1;
	if (!file)
		return 0;
	if (k->v1_optional && !v2 && !cg_has_file(cg, h, file))
		return 0;
	return cg_write(cg, h, k->json, file, val, err);
}

/* ---- memory ---- */

static int mem_check_usage(struct cgroup *cg, int h, const struct spec_memory *m, struct herr *err)
{
	uint64_t usage;

	/* runc's CheckMemoryUsage: refuse a limit below what the cgroup already uses */
	if (!m->check_before_update.set || !m->check_before_update.v || !m->limit.set ||
	    m->limit.v <= 0)
		return 0;
	if (cg_read_u64(cg, h, on_v2(cg, h) ? "memory.current" : "memory.usage_in_bytes", &usage) <
	    0)
		return 0;
	if (usage >= (uint64_t)m->limit.v)
		return herr_set(err, -EBUSY,
				J "memory.limit: %" PRId64 " is not above the current usage "
				  "(%" PRIu64 ") and checkBeforeUpdate is set",
				m->limit.v, usage);
	return 0;
}

static int mem_v1(struct cgroup *cg, int h, const struct spec_memory *m, struct herr *err)
{
	static const char *const lim = "memory.limit_in_bytes", *const sw =
								    "memory.memsw.limit_in_bytes";
	bool limit_set = m->limit.set && m->limit.v != 0, swap_set = m->swap.set && m->swap.v != 0;
	int64_t swap = m->swap.v;
	char lv[32], sv[32];
	int r;

	/* runc: unlimited memory with no swap value means unlimited swap too */
	if (limit_set && m->limit.v == -1 && !swap_set && cg_has_file(cg, h, sw)) {
		swap = -1;
		swap_set = true;
	}
	snprintf(lv, sizeof(lv), "%" PRId64, m->limit.v);
	snprintf(sv, sizeof(sv), "%" PRId64, swap);
	if (limit_set && swap_set) {
		uint64_t cur = 0;

		/* memsw must stay >= the limit at every step: raise it first when growing */
		cg_read_u64(cg, h, lim, &cur);
		if (swap == -1 || cur < (uint64_t)swap) {
			r = cg_write(cg, h, J "memory.swap", sw, sv, err);
			return r < 0 ? r : cg_write(cg, h, J "memory.limit", lim, lv, err);
		}
	}
	if (limit_set && (r = cg_write(cg, h, J "memory.limit", lim, lv, err)) < 0)
		return r;
	if (swap_set && (r = cg_write(cg, h, J "memory.swap", sw, sv, err)) < 0)
		return r;
	if (m->use_hierarchy.set) {
		uint64_t cur = 1;

		/* kernels >= 5.16 keep it at 1 and refuse 0: only write a change */
		if (cg_read_u64(cg, h, "memory.use_hierarchy", &cur) == 0 &&
		    cur != (uint64_t)m->use_hierarchy.v &&
		    (r = cg_write(cg, h, J "memory.useHierarchy", "memory.use_hierarchy",
				  m->use_hierarchy.v ? "1" : "0", err)) < 0)
			return r;
	}
	return 0;
}

static void fmt_v2(int64_t v, char *buf, size_t len)
{
	if (v == -1)
		snprintf(buf, len, "max");
	else
		snprintf(buf, len, "%" PRId64, v);
}

static int mem_v2(struct cgroup *cg, int h, const struct spec_memory *m, struct herr *err)
{
	bool limit_set = m->limit.set && m->limit.v != 0, swap_out_set = false;
	int64_t limit = m->limit.v, swap_out = 0;
	char v[32];
	int r;

	if (m->swap.set && !limit_set) {
		uint64_t cur; /* update of the swap alone: convert against the current limit */
		if (cg_read_u64(cg, h, "memory.max", &cur) == 0) {
			limit = cur == UINT64_MAX ? -1 : (int64_t)cur;
			limit_set = true;
		}
	}
	r = cg_swap_to_v2(m->swap.v, m->swap.set, limit, limit_set, &swap_out, &swap_out_set, err);
	if (r < 0)
		return r;
	if (swap_out_set && !(swap_out == 0 && !m->swap.set)) {
		fmt_v2(swap_out, v, sizeof(v));
		r = cg_write(cg, h, J "memory.swap", "memory.swap.max", v, err);
		/* no swap accounting in this kernel: "max" and "0" are what it does anyway */
		if (r == -ENOENT && (swap_out == -1 || swap_out == 0))
			r = 0;
		if (r < 0)
			return r;
		herr_clear(err);
	}
	if (m->limit.set && m->limit.v != 0) {
		fmt_v2(m->limit.v, v, sizeof(v));
		if ((r = cg_write(cg, h, J "memory.limit", "memory.max", v, err)) < 0)
			return r;
	}
	return 0;
}

static int apply_memory(struct cgroup *cg, const struct spec_resources *res, struct herr *err)
{
	const struct spec_memory *m = res->memory;
	int h, r;

	if (!m || !(m->limit.set || m->swap.set || m->use_hierarchy.set))
		return 0;
	if ((h = hier_or_skip(cg, CG_MEMORY, J "memory")) < 0)
		return 0;
	if ((r = mem_check_usage(cg, h, m, err)) < 0)
		return r;
	return on_v2(cg, h) ? mem_v2(cg, h, m, err) : mem_v1(cg, h, m, err);
}

/* ---- cpu ---- */

/* v1 cfs and rt pairs: the kernel checks runtime <= period (and against the parent) at each
 * write, so a write refused with EINVAL is retried after its partner, as runc does. */
static int write_pair(struct cgroup *cg, int h, const char *json_a, const char *file_a,
		      const char *a, const char *json_b, const char *file_b, const char *b,
		      struct herr *err)
{
	bool retry = false;
	int r;

	if (a) {
		r = cg_write(cg, h, json_a, file_a, a, err);
		if (r == -EINVAL && b)
			retry = true;
		else if (r < 0)
			return r;
	}
	if (b && (r = cg_write(cg, h, json_b, file_b, b, err)) < 0)
		return r;
	if (retry)
		return cg_write(cg, h, json_a, file_a, a, err);
	return 0;
}

static int cpu_v1(struct cgroup *cg, int h, const struct spec_cpu *c, struct herr *err)
{
	char per[32], quo[32], bur[32];
	int r;

	if (c->shares.set && c->shares.v) {
		uint64_t got = 0;

		/* the kernel clamps cpu.shares to [2, 262144]: report it as runc does */
		if (cg_read_u64(cg, h, "cpu.shares", &got) == 0 && got != c->shares.v)
			return herr_set(err, -ERANGE,
					J "cpu.shares: the %s allowed value is %" PRIu64,
					c->shares.v > got ? "maximum" : "minimum", got);
	}
	snprintf(per, sizeof(per), "%" PRIu64, c->period.v);
	snprintf(quo, sizeof(quo), "%" PRId64, c->quota.v);
	snprintf(bur, sizeof(bur), "%" PRIu64, c->burst.v);
	r = write_pair(cg, h, J "cpu.period", "cpu.cfs_period_us",
		       c->period.set && c->period.v ? per : NULL, J "cpu.quota", "cpu.cfs_quota_us",
		       c->quota.set && c->quota.v ? quo : NULL, err);
	if (r < 0)
		return r;
	if (c->burst.set) {
		r = cg_write(cg, h, J "cpu.burst", "cpu.cfs_burst_us", bur, err);
		if (r < 0 && r != -ENOENT)
			return r;
	}
	snprintf(per, sizeof(per), "%" PRIu64, c->realtime_period.v);
	snprintf(quo, sizeof(quo), "%" PRId64, c->realtime_runtime.v);
	return write_pair(cg, h, J "cpu.realtimePeriod", "cpu.rt_period_us",
			  c->realtime_period.set && c->realtime_period.v ? per : NULL,
			  J "cpu.realtimeRuntime", "cpu.rt_runtime_us",
			  c->realtime_runtime.set && c->realtime_runtime.v ? quo : NULL, err);
}

static int cpu_v2(struct cgroup *cg, int h, const struct spec_cpu *c, struct herr *err)
{
	bool quota = c->quota.set && c->quota.v, period = c->period.set && c->period.v;
	char v[64];
	int r;

	if ((c->realtime_period.set && c->realtime_period.v) ||
	    (c->realtime_runtime.set && c->realtime_runtime.v))
		return herr_set(err, -ENOTSUP,
				J "cpu.realtime%s: realtime scheduling has no cgroup v2 interface",
				c->realtime_runtime.set ? "Runtime" : "Period");
	if (quota || period) {
		bool bad_period;
		char q[32] = "max";
		uint64_t p = period ? c->period.v : 100000;

		if (quota && c->quota.v > 0)
			snprintf(q, sizeof(q), "%" PRId64, c->quota.v);
		if (!quota || !period) { /* keep the half that is not being changed */
			_cleanup_free_ char *cur = NULL;
			struct herr e;
			char cq[32];
			unsigned long long cp;

			if (cg_read(cg, h, "cpu.max", &cur, &e) == 0 &&
			    sscanf(cur, "%31s %llu", cq, &cp) == 2) {
				if (!quota)
					snprintf(q, sizeof(q), "%s", cq);
				if (!period)
					p = cp;
			}
		}
		snprintf(v, sizeof(v), "%s %" PRIu64, q, p);
		/* cpu.max holds both: blame the period when it is out of the kernel's range
		 * (tg_set_cfs_bandwidth: 1 ms to 1 s), else the quota */
		bad_period = period && (p < 1000 || p > 1000000);
		if ((r = cg_write(cg, h, quota && !bad_period ? J "cpu.quota" : J "cpu.period",
				  "cpu.max", v, err)) < 0)
			return r;
	}
	if (c->burst.set) {
		snprintf(v, sizeof(v), "%" PRIu64, c->burst.v);
		if ((r = cg_write(cg, h, J "cpu.burst", "cpu.max.burst", v, err)) < 0)
			return r;
	}
	return 0;
}

static int apply_cpu(struct cgroup *cg, const struct spec_resources *res, struct herr *err)
{
	int h;

	if (!res->cpu || (h = cg_hier_of(cg, CG_CPU)) < 0)
		return 0;
	return on_v2(cg, h) ? cpu_v2(cg, h, res->cpu, err) : cpu_v1(cg, h, res->cpu, err);
}

/* ---- block I/O ---- */

static const struct {
	const char *json, *v1, *v2key;
} throttles[SPEC_THROTTLE_NKINDS] = {
    [SPEC_THROTTLE_READ_BPS] = {"throttleReadBpsDevice", "blkio.throttle.read_bps_device", "rbps"},
    [SPEC_THROTTLE_WRITE_BPS] = {"throttleWriteBpsDevice", "blkio.throttle.write_bps_device",
				 "wbps"},
    [SPEC_THROTTLE_READ_IOPS] = {"throttleReadIOPSDevice", "blkio.throttle.read_iops_device",
				 "riops"},
    [SPEC_THROTTLE_WRITE_IOPS] = {"throttleWriteIOPSDevice", "blkio.throttle.write_iops_device",
				  "wiops"},
};

static int blkio_weights(struct cgroup *cg, int h, const struct spec_blkio *b, struct herr *err)
{
	bool v2 = on_v2(cg, h);
	const char *wfile, *wdfile;
	char v[64], json[96];
	int r;

	/* BFQ exposes its own weight files and takes blkio-style weights (10..1000) */
	if (v2) {
		bool bfq = cg_has_file(cg, h, "io.bfq.weight");
		wfile = bfq ? "io.bfq.weight" : "io.weight";
		wdfile = bfq ? "io.bfq.weight" : NULL;
	} else {
		bool bfq = cg_has_file(cg, h, "blkio.bfq.weight");
		wfile = bfq ? "blkio.bfq.weight" : "blkio.weight";
		wdfile = bfq ? "blkio.bfq.weight_device" : "blkio.weight_device";
	}
	if (b->weight.set && b->weight.v) {
		uint64_t w = b->weight.v;
		if (v2 && strcmp(wfile, "io.weight") == 0)
			w = cg_blkio_to_io_weight(w);
		snprintf(v, sizeof(v), "%" PRIu64, w);
		if ((r = cg_write(cg, h, J "blockIO.weight", wfile, v, err)) < 0)
			return r;
	}
	for (size_t i = 0; i < b->n_weight_devices; i++) {
		const struct spec_weight_device *d = &b->weight_devices[i];

		snprintf(json, sizeof(json), J "blockIO.weightDevice[%zu]", i);
		if (d->weight.set && d->weight.v && wdfile) {
			snprintf(v, sizeof(v), "%" PRId64 ":%" PRId64 " %" PRIu64, d->major,
				 d->minor, d->weight.v);
			if ((r = cg_write(cg, h, json, wdfile, v, err)) < 0)
				return r;
		}
		if (d->leaf_weight.set && d->leaf_weight.v && !v2) {
			snprintf(v, sizeof(v), "%" PRId64 ":%" PRId64 " %" PRIu64, d->major,
				 d->minor, d->leaf_weight.v);
			if ((r = cg_write(cg, h, json, "blkio.leaf_weight_device", v, err)) < 0)
				return r;
		}
	}
	return 0;
}

static int apply_blkio(struct cgroup *cg, const struct spec_resources *res, struct herr *err)
{
	const struct spec_blkio *b = res->blkio;
	char v[96], json[96];
	int h, r;

	if (!b || (h = hier_or_skip(cg, CG_BLKIO, J "blockIO")) < 0)
		return 0;
	if ((r = blkio_weights(cg, h, b, err)) < 0)
		return r;
	for (int k = 0; k < SPEC_THROTTLE_NKINDS; k++) {
		for (size_t i = 0; i < b->n_throttle[k]; i++) {
			const struct spec_throttle_device *d = &b->throttle[k][i];

			snprintf(json, sizeof(json), J "blockIO.%s[%zu]", throttles[k].json, i);
			if (on_v2(cg, h)) {
				snprintf(v, sizeof(v), "%" PRId64 ":%" PRId64 " %s=%" PRIu64,
					 d->major, d->minor, throttles[k].v2key, d->rate);
				r = cg_write(cg, h, json, "io.max", v, err);
			} else {
				snprintf(v, sizeof(v), "%" PRId64 ":%" PRId64 " %" PRIu64, d->major,
					 d->minor, d->rate);
				r = cg_write(cg, h, json, throttles[k].v1, v, err);
			}
			if (r < 0)
				return r;
		}
	}
	return 0;
}

/* ---- hugetlb, net_prio, rdma ---- */

static int apply_hugetlb(struct cgroup *cg, const struct spec_resources *res, struct herr *err)
{
	int h, r;

	if (!res->n_hugepage_limits || (h = hier_or_skip(cg, CG_HUGETLB, J "hugepageLimits")) < 0)
		return 0;
	for (size_t i = 0; i < res->n_hugepage_limits; i++) {
		const struct spec_hugepage_limit *l = &res->hugepage_limits[i];
		bool v2 = on_v2(cg, h);
		char file[96], rsvd[96], json[64], v[32];

		snprintf(json, sizeof(json), J "hugepageLimits[%zu]", i);
		snprintf(file, sizeof(file), v2 ? "hugetlb.%s.max" : "hugetlb.%s.limit_in_bytes",
			 l->page_size);
		snprintf(rsvd, sizeof(rsvd),
			 v2 ? "hugetlb.%s.rsvd.max" : "hugetlb.%s.rsvd.limit_in_bytes",
			 l->page_size);
		snprintf(v, sizeof(v), "%" PRIu64, l->limit);
		if (!cg_has_file(cg, h, file))
			return herr_set(err, -EINVAL, "%s.pageSize: no %s huge pages on this host",
					json, l->page_size);
		if ((r = cg_write(cg, h, json, file, v, err)) < 0)
			return r;
		/* reservations are limited too when the kernel has them (runc) */
		if (cg_has_file(cg, h, rsvd) && (r = cg_write(cg, h, json, rsvd, v, err)) < 0)
			return r;
	}
	return 0;
}

static int apply_net_prio(struct cgroup *cg, const struct spec_resources *res, struct herr *err)
{
	int h, r;

	if (!res->network || !res->network->n_priorities ||
	    (h = hier_or_skip(cg, CG_NET_PRIO, J "network.priorities")) < 0 || on_v2(cg, h))
		return 0;
	for (size_t i = 0; i < res->network->n_priorities; i++) {
		const struct spec_if_priority *p = &res->network->priorities[i];
		char json[64], v[128];

		snprintf(json, sizeof(json), J "network.priorities[%zu]", i);
		snprintf(v, sizeof(v), "%s %u", p->name, p->priority);
		if ((r = cg_write(cg, h, json, "net_prio.ifpriomap", v, err)) < 0)
			return r;
	}
	return 0;
}

static int apply_rdma(struct cgroup *cg, const struct spec_resources *res, struct herr *err)
{
	int h, r;

	if (!res->n_rdma || (h = hier_or_skip(cg, CG_RDMA, J "rdma")) < 0)
		return 0;
	for (size_t i = 0; i < res->n_rdma; i++) {
		const struct spec_rdma *d = &res->rdma[i];
		char json[128], v[192], hh[32] = "max", ho[32] = "max";

		if (d->hca_handles.set)
			snprintf(hh, sizeof(hh), "%" PRIu64, d->hca_handles.v);
		if (d->hca_objects.set)
			snprintf(ho, sizeof(ho), "%" PRIu64, d->hca_objects.v);
		snprintf(json, sizeof(json), J "rdma.%s", d->device);
		snprintf(v, sizeof(v), "%s hca_handle=%s hca_object=%s", d->device, hh, ho);
		if ((r = cg_write(cg, h, json, "rdma.max", v, err)) < 0)
			return r;
	}
	return 0;
}

/* ---- devices ---- */

static int apply_devices(struct cgroup *cg, const struct spec_resources *res, bool update,
			 struct herr *err)
{
	_cleanup_free_ struct spec_device_cgroup *rules = NULL;
	size_t n = 0;
	int h = cg_hier_of(cg, CG_DEVICES), r;

	if (update && !res->n_devices)
		return 0;
	if (cg->rootless)
		return 0; /* runc: device rules need privileges the rootless user lacks */
	r = cg_device_rules(res->devices, res->n_devices, cg->spec_devices, cg->n_spec_devices,
			    &rules, &n);
	if (r < 0)
		return herr_errno(err, r, J "devices");
	if (h >= 0 && !on_v2(cg, h))
		return cg_devices_v1_apply(cg, h, rules, n, err);
	if (cg->layout.v2 < 0 || !cg->path[cg->layout.v2])
		return 0;
	{
		char dir[4096];
		_cleanup_close_ int fd = -1;

		if (cg_dir(cg, (size_t)cg->layout.v2, dir, sizeof(dir)) < 0 ||
		    (fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
			return herr_sys(err, J "devices: open %s", dir);
		return cg_devices_bpf_apply(fd, rules, n, err);
	}
}

/* ---- entry points ---- */

uint32_t cg_v2_needed(const struct cg_layout *l, const struct spec_resources *r)
{
	uint32_t want = 0, v2ctrls;

	if (l->v2 < 0)
		return 0;
	v2ctrls = l->hier[l->v2].ctrls;
	if (l->kind == CGROUP_LAYOUT_V2) /* stats and events read cpu, memory, pids and io */
		want = CG_BIT(CG_CPU) | CG_BIT(CG_MEMORY) | CG_BIT(CG_PIDS) | CG_BIT(CG_BLKIO);
	if (r->memory)
		want |= CG_BIT(CG_MEMORY);
	if (r->cpu)
		want |= CG_BIT(CG_CPU) | ((r->cpu->cpus || r->cpu->mems) ? CG_BIT(CG_CPUSET) : 0);
	if (r->pids_limit.set)
		want |= CG_BIT(CG_PIDS);
	if (r->blkio)
		want |= CG_BIT(CG_BLKIO);
	if (r->n_hugepage_limits)
		want |= CG_BIT(CG_HUGETLB);
	if (r->n_rdma)
		want |= CG_BIT(CG_RDMA);
	for (size_t i = 0; i < r->n_unified; i++) {
		char name[32];
		const char *dot = strchr(r->unified[i].key, '.');
		int c;

		if (!dot || (size_t)(dot - r->unified[i].key) >= sizeof(name))
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)(dot - r->unified[i].key),
			 r->unified[i].key);
		if ((c = cg_ctrl_from_name(name, true)) >= 0)
			want |= CG_BIT(c);
	}
	/* only what is bound to the cgroup2 hierarchy (hybrid: hugetlb here) */
	return want & v2ctrls;
}

int cg_resources_apply(struct cgroup *cg, const struct spec_resources *res, bool update,
		       struct herr *err)
{
	typedef int (*applier)(struct cgroup *, const struct spec_resources *, struct herr *);
	static const applier appliers[] = {apply_memory,    apply_cpu,	    apply_blkio,
					   apply_hugetlb,   apply_net_prio, apply_rdma,
					   cg_unified_apply};
	int r;

	/* cpuset first: a v1 cpuset must have cpus before anything joins it */
	for (size_t i = 0; i < ARRAY_SIZE(knobs); i++) {
		if (knobs[i].ctrl == CG_CPUSET && (r = apply_knob(cg, &knobs[i], res, err)) < 0)
			return r;
	}
	if ((r = apply_memory(cg, res, err)) < 0)
		return r;
	for (size_t i = 0; i < ARRAY_SIZE(knobs); i++) {
		if (knobs[i].ctrl != CG_CPUSET && (r = apply_knob(cg, &knobs[i], res, err)) < 0)
			return r;
	}
	for (size_t i = 1; i < ARRAY_SIZE(appliers); i++) {
		if ((r = appliers[i](cg, res, err)) < 0)
			return r;
	}
	return apply_devices(cg, res, update, err);
}
