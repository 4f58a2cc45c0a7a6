/* Unit tests for src/cgroup: the pure logic (paths, conversions, size parsing, layout parsing,
 * device rules -> BPF, the state-file string), plus live tests on this host under husk-test/
 * when run as root (skipped otherwise). */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroup/internal.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "unit.h"

/* ---- paths ---- */

static void check_resolve(const char *cp, const char *id, const char *own, const char *want)
{
	_cleanup_free_ char *got = cg_resolve_path(cp, id, own);
	ck_assert_str_eq(got, want);
}

START_TEST(test_resolve_path)
{
	check_resolve("/husk-test/c1", "c1", "/user.slice", "/husk-test/c1");
	check_resolve("/husk-test//a/./b/", "x", "/", "/husk-test/a/b");
	check_resolve("/../../husk-test/x", "x", "/", "/husk-test/x");
	check_resolve("rel/x", "id", "/process_api/abc", "/process_api/abc/rel/x");
	check_resolve("../x", "id", "/a/b", "/a/b/x"); /* never above husk's own, as runc */
	check_resolve(NULL, "c9", "/", "/c9");
	check_resolve(NULL, "c9", "/own", "/own/c9");
	check_resolve("", "c9", "/own", "/own/c9");
	check_resolve("/", "c9", "/own", "/");
}
END_TEST

START_TEST(test_clean_path)
{
	const char *cases[][2] = {{"/", "/"},	       {"//", "/"},	      {"/a/..", "/"},
				  {"/a/../..", "/"},   {"/a/b/../c", "/a/c"}, {"a/b", "/a/b"},
				  {"/a/./b/.", "/a/b"}};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		_cleanup_free_ char *got = cg_clean_path(cases[i][0]);
		ck_assert_str_eq(got, cases[i][1]);
	}
}
END_TEST

START_TEST(test_systemd_parse)
{
	char *slice, *prefix, *name;
	struct herr err;

	ck_assert_int_eq(cg_systemd_parse("system.slice:docker:1234", &slice, &prefix, &name, &err),
			 0);
	ck_assert_str_eq(slice, "system.slice");
	ck_assert_str_eq(prefix, "docker");
	ck_assert_str_eq(name, "1234");
	free(slice);
	free(prefix);
	free(name);
	ck_assert_int_lt(cg_systemd_parse("/husk-test/x", &slice, &prefix, &name, &err), 0);
	ck_assert_ptr_nonnull(strstr(err.msg, "slice:prefix:name"));
	ck_assert_int_lt(cg_systemd_parse("a:b:c:d", &slice, &prefix, &name, &err), 0);
}
END_TEST

/* ---- conversions ---- */

START_TEST(test_shares_to_weight)
{
	/* values from runc's ConvertCPUSharesToCgroupV2Value */
	static const uint64_t cases[][2] = {
	    {0, 0},	    {1, 1},	     {2, 1},	      {3, 2},	       {10, 4},
	    {100, 17},	    {512, 59},	     {1024, 100},     {2048, 174},     {4096, 303},
	    {100000, 4340}, {262143, 10000}, {262144, 10000}, {1000000, 10000}};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		ck_assert_uint_eq(cg_shares_to_weight(cases[i][0]), cases[i][1]);
}
END_TEST

START_TEST(test_blkio_weight)
{
	ck_assert_uint_eq(cg_blkio_to_io_weight(0), 0);
	ck_assert_uint_eq(cg_blkio_to_io_weight(10), 1);
	ck_assert_uint_eq(cg_blkio_to_io_weight(1000), 10000);
	ck_assert_uint_eq(cg_blkio_to_io_weight(500), 1 + 490 * 9999 / 990);
}
END_TEST

START_TEST(test_swap_v2)
{
	struct herr err;
	int64_t out;
	bool set;

	/* memory+swap 200M with memory 100M -> 100M of swap */
	ck_assert_int_eq(cg_swap_to_v2(200, true, 100, true, &out, &set, &err), 0);
	ck_assert(set);
	ck_assert_int_eq(out, 100);
	/* equal: no swap */
	ck_assert_int_eq(cg_swap_to_v2(100, true, 100, true, &out, &set, &err), 0);
	ck_assert_int_eq(out, 0);
	ck_assert(set);
	/* unlimited */
	ck_assert_int_eq(cg_swap_to_v2(-1, true, 100, true, &out, &set, &err), 0);
	ck_assert_int_eq(out, -1);
	ck_assert_int_eq(cg_swap_to_v2(0, false, -1, true, &out, &set, &err), 0);
	ck_assert_int_eq(out, -1);
	ck_assert(set);
	ck_assert_int_eq(cg_swap_to_v2(300, true, -1, true, &out, &set, &err), 0);
	ck_assert_int_eq(out, 300);
	/* nothing to do */
	ck_assert_int_eq(cg_swap_to_v2(0, false, 100, true, &out, &set, &err), 0);
	ck_assert(!set);
	/* errors */
	ck_assert_int_lt(cg_swap_to_v2(200, true, 0, false, &out, &set, &err), 0);
	ck_assert_ptr_nonnull(strstr(err.msg, "linux.resources.memory.swap"));
	ck_assert_int_lt(cg_swap_to_v2(50, true, 100, true, &out, &set, &err), 0);
	ck_assert_ptr_nonnull(strstr(err.msg, "should be >="));
}
END_TEST

START_TEST(test_parse_size)
{
	static const struct {
		const char *s;
		int64_t v;
	} ok[] = {{"1024", 1024},    {"100M", 100LL << 20}, {"100m", 100LL << 20},
		  {"1g", 1LL << 30}, {"512k", 512 << 10},   {"2GB", 2LL << 30},
		  {"1.5k", 1536},    {"10MiB", 10LL << 20}, {"-1", -1},
		  {"3b", 3}};
	static const char *const bad[] = {"", "abc", "10x", "1kk", "-5", "M"};
	int64_t v;

	for (size_t i = 0; i < ARRAY_SIZE(ok); i++) {
		ck_assert_msg(cg_parse_size(ok[i].s, &v) == 0, "%s", ok[i].s);
		ck_assert_int_eq(v, ok[i].v);
	}
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		ck_assert_msg(cg_parse_size(bad[i], &v) < 0, "%s", bad[i]);
}
END_TEST

/* ---- layout ---- */

static const char hybrid_mountinfo[] =
    "23 1 0:22 / /sys rw,nosuid - sysfs sysfs rw\n"
    "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
    "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
    "33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct\n"
    "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime shared:9 - cgroup cgroup rw,memory\n"
    "36 31 0:33 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices\n"
    "40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd\n"
    "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";
static const char hybrid_proc[] = "9:name=systemd:/\n4:memory:/process_api/682ad\n"
				  "3:devices:/\n2:cpuacct:/\n1:cpu:/\n0::/x\n";

START_TEST(test_layout_hybrid)
{
	struct cg_layout l;
	struct herr err;

	cg_layout_init(&l);
	ck_assert_int_eq(cg_layout_parse_mountinfo(&l, hybrid_mountinfo, &err), 0);
	cg_layout_set_v2_controllers(&l, "hugetlb\n");
	ck_assert_int_eq(cg_layout_set_own(&l, hybrid_proc, &err), 0);
	ck_assert_int_eq(l.kind, CGROUP_LAYOUT_HYBRID);
	ck_assert_uint_eq(l.n, 6);
	ck_assert_int_ge(l.v2, 0);
	ck_assert_str_eq(l.hier[l.v2].mountpoint, "/sys/fs/cgroup/unified");
	ck_assert_str_eq(l.hier[l.v2].own, "/x");
	ck_assert_int_eq(l.ctrl[CG_HUGETLB], l.v2);
	ck_assert_str_eq(l.hier[l.ctrl[CG_MEMORY]].mountpoint, "/sys/fs/cgroup/memory");
	ck_assert_str_eq(l.hier[l.ctrl[CG_MEMORY]].own, "/process_api/682ad");
	ck_assert_str_eq(l.hier[l.ctrl[CG_NAME_SYSTEMD]].key, "name=systemd");
	ck_assert_int_eq(l.ctrl[CG_PIDS], -1);
	ck_assert_int_eq(l.ctrl[CG_FREEZER], -1);
	cg_layout_free(&l);
}
END_TEST

START_TEST(test_layout_v1)
{
	static const char mi[] =
	    "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n"
	    "33 31 0:29 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu,cpuacct\n"
	    "34 31 0:31 /sub /sys/fs/cgroup/pids rw - cgroup cgroup rw,pids\n"
	    "35 31 0:32 / /mnt/odd\\040dir rw - cgroup cgroup rw,freezer\n";
	struct cg_layout l;
	struct herr err;

	cg_layout_init(&l);
	ck_assert_int_eq(cg_layout_parse_mountinfo(&l, mi, &err), 0);
	ck_assert_int_eq(cg_layout_set_own(&l, "3:cpu,cpuacct:/a\n2:pids:/sub/b\n", &err), 0);
	ck_assert_int_eq(l.kind, CGROUP_LAYOUT_V1);
	ck_assert_uint_eq(l.n, 3); /* the second cpu,cpuacct mount is the same hierarchy */
	ck_assert_int_eq(l.ctrl[CG_CPU], l.ctrl[CG_CPUACCT]);
	ck_assert_str_eq(l.hier[l.ctrl[CG_CPU]].key, "cpu,cpuacct");
	ck_assert_str_eq(l.hier[l.ctrl[CG_CPU]].own, "/a");
	ck_assert_str_eq(l.hier[l.ctrl[CG_PIDS]].root, "/sub");
	ck_assert_str_eq(l.hier[l.ctrl[CG_FREEZER]].mountpoint, "/mnt/odd dir");
	ck_assert_int_eq(l.v2, -1);
	cg_layout_free(&l);
}
END_TEST

START_TEST(test_layout_v2)
{
	static const char mi[] = "30 23 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw,nsdelegate\n";
	struct cg_layout l;
	struct herr err;

	cg_layout_init(&l);
	ck_assert_int_eq(cg_layout_parse_mountinfo(&l, mi, &err), 0);
	cg_layout_set_v2_controllers(&l, "cpuset cpu io memory hugetlb pids rdma misc\n");
	ck_assert_int_eq(cg_layout_set_own(&l, "0::/user.slice/session-1.scope\n", &err), 0);
	ck_assert_int_eq(l.kind, CGROUP_LAYOUT_V2);
	ck_assert_int_eq(l.ctrl[CG_MEMORY], l.v2);
	ck_assert_int_eq(l.ctrl[CG_BLKIO], l.v2);
	ck_assert_int_eq(l.ctrl[CG_DEVICES], -1);
	ck_assert_int_eq(l.ctrl[CG_FREEZER], -1);
	ck_assert_str_eq(l.hier[0].own, "/user.slice/session-1.scope");
	cg_layout_free(&l);

	cg_layout_init(&l);
	ck_assert_int_lt(cg_layout_set_own(&l, "", &err), 0); /* nothing mounted */
	cg_layout_free(&l);
}
END_TEST

START_TEST(test_encode_roundtrip)
{
	struct cgroup *cg = calloc(1, sizeof(*cg)), *back = calloc(1, sizeof(*back));
	struct herr err;

	cg_layout_init(&cg->layout);
	ck_assert_int_eq(cg_layout_parse_mountinfo(&cg->layout, hybrid_mountinfo, &err), 0);
	ck_assert_int_eq(cg_layout_set_own(&cg->layout, hybrid_proc, &err), 0);
	for (size_t i = 0; i < cg->layout.n; i++)
		cg->path[i] = cg_resolve_path("rel/c1", "c1", cg->layout.hier[i].own);
	ck_assert_int_eq(cg_encode(cg), 0);
	ck_assert_str_eq(cg->encoded, "/x/rel/c1;cpu:/rel/c1;cpuacct:/rel/c1;"
				      "memory:/process_api/682ad/rel/c1;devices:/rel/c1;"
				      "name=systemd:/rel/c1");
	cg_layout_init(&back->layout);
	ck_assert_int_eq(cg_layout_parse_mountinfo(&back->layout, hybrid_mountinfo, &err), 0);
	ck_assert_int_eq(cg_layout_set_own(&back->layout, hybrid_proc, &err), 0);
	ck_assert_int_eq(cg_decode(back, cg->encoded, &err), 0);
	for (size_t i = 0; i < cg->layout.n; i++)
		ck_assert_str_eq(back->path[i], cg->path[i]);
	ck_assert_int_eq(cg_encode(back), 0);
	ck_assert_str_eq(back->encoded, cg->encoded);
	ck_assert_int_lt(cg_decode(back, "relative", &err), 0);
	cgroup_free(cg);
	cgroup_free(back);
}
END_TEST

/* ---- device rules ---- */

#define RULE(allow, type, maj, min, acc)                                                           \
	((struct spec_device_cgroup){                                                              \
	    allow, type, {(maj) >= 0, maj}, {(min) >= 0, min}, (char *)acc})

/* A tiny interpreter for the instructions cg_devices_bpf_build emits. */
static int bpf_run(const struct bpf_insn *p, size_t n, int type, int access, int major, int minor)
{
	uint64_t reg[11] = {0};
	uint32_t ctx[3] = {(uint32_t)(access << 16 | type), (uint32_t)major, (uint32_t)minor};

	for (size_t pc = 0; pc < n; pc++) {
		const struct bpf_insn *i = &p[pc];
		uint64_t src =
		    BPF_SRC(i->code) == BPF_X ? reg[i->src_reg] : (uint64_t)(int64_t)i->imm;

		switch (BPF_CLASS(i->code)) {
		case BPF_LDX:
			ck_assert_int_eq(i->src_reg, 1);
			reg[i->dst_reg] = ctx[i->off / 4];
			break;
		case BPF_ALU:
			switch (BPF_OP(i->code)) {
			case BPF_AND:
				reg[i->dst_reg] = (uint32_t)(reg[i->dst_reg] & src);
				break;
			case BPF_RSH:
				reg[i->dst_reg] = (uint32_t)reg[i->dst_reg] >> src;
				break;
			case BPF_MOV:
				reg[i->dst_reg] = (uint32_t)src;
				break;
			default:
				ck_abort_msg("unexpected ALU op %#x", i->code);
			}
			break;
		case BPF_JMP:
			if (BPF_OP(i->code) == BPF_EXIT)
				return (int)reg[0];
			if ((BPF_OP(i->code) == BPF_JNE && reg[i->dst_reg] != src) ||
			    (BPF_OP(i->code) == BPF_JEQ && reg[i->dst_reg] == src))
				pc += (size_t)i->off;
			ck_assert_uint_lt(pc, n);
			break;
		default:
			ck_abort_msg("unexpected class %#x", i->code);
		}
	}
	ck_abort_msg("fell off the program");
	return -1;
}

#define C BPF_DEVCG_DEV_CHAR
#define B BPF_DEVCG_DEV_BLOCK
#define R BPF_DEVCG_ACC_READ
#define W BPF_DEVCG_ACC_WRITE
#define M BPF_DEVCG_ACC_MKNOD

START_TEST(test_bpf_default_deny)
{
	struct spec_device_cgroup rules[] = {
	    RULE(false, 'a', -1, -1, "rwm"),
	    RULE(true, 'c', 1, 3, "rwm"),
	    RULE(true, 'c', 136, -1, "rw"),
	    RULE(true, 'b', -1, -1, "m"),
	};
	_cleanup_free_ struct bpf_insn *p = NULL;
	struct herr err;
	size_t n;

	ck_assert_int_eq(cg_devices_bpf_build(rules, ARRAY_SIZE(rules), &p, &n, &err), 0);
	/* the leading "deny all" is the default: not emitted */
	ck_assert_uint_eq(n, 6 + (1 + 2 + 2) + (1 + 3 + 1 + 2) + (1 + 3 + 2) + 2);
	ck_assert_int_eq(bpf_run(p, n, C, R | W, 1, 3), 1);
	ck_assert_int_eq(bpf_run(p, n, C, M, 1, 3), 1);
	ck_assert_int_eq(bpf_run(p, n, B, R, 1, 3), 0);
	ck_assert_int_eq(bpf_run(p, n, C, R, 1, 5), 0);
	ck_assert_int_eq(bpf_run(p, n, C, R | W, 136, 7), 1);
	ck_assert_int_eq(bpf_run(p, n, C, M, 136, 7), 0);
	ck_assert_int_eq(bpf_run(p, n, B, M, 8, 0), 1);
	ck_assert_int_eq(bpf_run(p, n, B, R, 8, 0), 0);
}
END_TEST

START_TEST(test_bpf_last_rule_wins)
{
	struct spec_device_cgroup rules[] = {
	    RULE(true, 'a', -1, -1, "rwm"),
	    RULE(false, 'c', 1, 3, "w"),
	    RULE(true, 'c', 1, 5, NULL),
	    RULE(false, 'c', 1, 5, "rwm"),
	};
	_cleanup_free_ struct bpf_insn *p = NULL;
	struct herr err;
	size_t n;

	ck_assert_int_eq(cg_devices_bpf_build(rules, ARRAY_SIZE(rules), &p, &n, &err), 0);
	ck_assert_int_eq(bpf_run(p, n, B, R | W | M, 8, 1), 1); /* allow all */
	ck_assert_int_eq(bpf_run(p, n, C, R, 1, 3), 1);
	ck_assert_int_eq(bpf_run(p, n, C, W, 1, 3), 0);
	ck_assert_int_eq(bpf_run(p, n, C, R | W, 1, 3), 0); /* any denied access denies */
	ck_assert_int_eq(bpf_run(p, n, C, R, 1, 5), 0);	    /* the later deny wins */
}
END_TEST

START_TEST(test_bpf_empty_and_errors)
{
	struct spec_device_cgroup bad_acc[] = {RULE(true, 'c', 1, 3, "rwx")};
	struct spec_device_cgroup bad_type[] = {RULE(true, 'p', 1, 3, "r")};
	_cleanup_free_ struct bpf_insn *p = NULL;
	struct bpf_insn *q = NULL;
	struct herr err;
	size_t n;

	ck_assert_int_eq(cg_devices_bpf_build(NULL, 0, &p, &n, &err), 0);
	ck_assert_uint_eq(n, 8);
	ck_assert_int_eq(bpf_run(p, n, C, R, 1, 3), 0);
	ck_assert_int_lt(cg_devices_bpf_build(bad_acc, 1, &q, &n, &err), 0);
	ck_assert_str_eq(err.msg,
			 "linux.resources.devices[0].access: \"rwx\" is not a subset of \"rwm\"");
	ck_assert_int_lt(cg_devices_bpf_build(bad_type, 1, &q, &n, &err), 0);
	ck_assert_ptr_nonnull(strstr(err.msg, "devices[0].type"));
}
END_TEST

START_TEST(test_device_rules_defaults)
{
	struct spec_device_cgroup deny[] = {RULE(false, 'a', -1, -1, "rwm"),
					    RULE(false, 'c', 1, 3, "rwm")};
	struct spec_device devs[] = {
	    {.path = (char *)"/dev/null", .type = 'c', .major = 1, .minor = 3}};
	_cleanup_free_ struct spec_device_cgroup *all = NULL, *dedup = NULL;
	_cleanup_free_ struct bpf_insn *p = NULL, *p2 = NULL;
	struct herr err;
	size_t n, n2, np, np2;
	char s[64];

	ck_assert_int_eq(cg_device_rules(deny, 2, NULL, 0, &all, &n), 0);
	ck_assert_uint_eq(n, 2 + 11);
	cg_device_rule_string(&all[2], s, sizeof(s));
	ck_assert_str_eq(s, "c *:* m");
	cg_device_rule_string(&all[4], s, sizeof(s));
	ck_assert_str_eq(s, "c 1:3 rwm");
	cg_device_rule_string(&all[10], s, sizeof(s));
	ck_assert_str_eq(s, "c 136:* rwm");
	/* the default /dev/null allow comes last and wins over the config's deny ... */
	ck_assert_int_eq(cg_devices_bpf_build(all, n, &p, &np, &err), 0);
	ck_assert_int_eq(bpf_run(p, np, C, R | W, 1, 3), 1);
	/* ... unless linux.devices lists /dev/null itself (runc's specconv) */
	ck_assert_int_eq(cg_device_rules(deny, 2, devs, 1, &dedup, &n2), 0);
	ck_assert_uint_eq(n2, 2 + 10);
	ck_assert_int_eq(cg_devices_bpf_build(dedup, n2, &p2, &np2, &err), 0);
	ck_assert_int_eq(bpf_run(p2, np2, C, R | W, 1, 3), 0);
	ck_assert_int_eq(bpf_run(p2, np2, C, R | W, 1, 5), 1);
}
END_TEST

/* ---- live, on this host, under husk-test/ (root only) ---- */

static bool live_ok(void)
{
	return geteuid() == 0 && access("/sys/fs/cgroup", F_OK) == 0;
}

START_TEST(test_live_create_destroy)
{
	char path[128], cgp[64];
	struct cgroup *cg = NULL;
	struct herr err;
	struct spec_memory mem = {.limit = {true, 64 << 20}};
	struct spec_resources res = {.memory = &mem, .pids_limit = {true, 42}, .has_pids = true};
	struct cgroup_opts opts = {.id = "unit", .cgroups_path = cgp};
	_cleanup_free_ pid_t *pids = NULL;
	size_t n;
	pid_t child;
	int h;

	if (!live_ok())
		return;
	snprintf(cgp, sizeof(cgp), "/husk-test/unit-%d", (int)getpid());
	ck_assert_msg(cgroup_create(&opts, &res, NULL, 0, &cg, &err) == 0, "%s", err.msg);
	ck_assert_str_eq(cgroup_path(cg), cgp);
	h = cg_hier_of(cg, CG_PIDS);
	if (h >= 0) {
		uint64_t v;
		ck_assert_int_eq(cg_read_u64(cg, h, "pids.max", &v), 0);
		ck_assert_uint_eq(v, 42);
	}
	h = cg_hier_of(cg, CG_MEMORY);
	if (h >= 0) {
		uint64_t v;
		ck_assert_int_eq(
		    cg_read_u64(cg, h,
				cg->layout.hier[h].v2 ? "memory.max" : "memory.limit_in_bytes", &v),
		    0);
		ck_assert_uint_eq(v, 64 << 20);
	}
	child = fork();
	if (child == 0) {
		pause();
		_exit(0);
	}
	ck_assert_msg(cgroup_enter(cg, child, false, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(cgroup_pids(cg, &pids, &n, &err), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(pids[0], child);
	/* freeze and thaw */
	{
		bool frozen;
		ck_assert_msg(cgroup_freeze(cg, true, &err) == 0, "%s", err.msg);
		ck_assert_int_eq(cgroup_is_frozen(cg, &frozen, &err), 0);
		ck_assert(frozen);
		ck_assert_msg(cgroup_freeze(cg, false, &err) == 0, "%s", err.msg);
		ck_assert_int_eq(cgroup_is_frozen(cg, &frozen, &err), 0);
		ck_assert(!frozen);
	}
	/* the state string finds it again */
	{
		struct cgroup *again = NULL;
		ck_assert_int_eq(cgroup_load(cgroup_path(cg), false, &again, &err), 0);
		ck_assert_str_eq(cgroup_path(again), cgroup_path(cg));
		ck_assert_msg(cgroup_destroy(again, &err) == 0, "%s", err.msg);
		cgroup_free(again);
	}
	waitpid(child, NULL, 0);
	snprintf(path, sizeof(path), "/sys/fs/cgroup/pids%s", cgp);
	ck_assert_int_ne(access(path, F_OK), 0);
	cgroup_free(cg);
}
END_TEST

START_TEST(test_live_bad_value)
{
	char cgp[64], path[96];
	struct cgroup *cg = NULL;
	struct herr err;
	struct spec_cpu cpu = {.cpus = (char *)"0-4096"};
	struct spec_resources res = {.cpu = &cpu};
	struct cgroup_opts opts = {.id = "unit", .cgroups_path = cgp};

	if (!live_ok())
		return;
	snprintf(cgp, sizeof(cgp), "/husk-test/unitbad-%d", (int)getpid());
	ck_assert_int_lt(cgroup_create(&opts, &res, NULL, 0, &cg, &err), 0);
	ck_assert_msg(
	    strncmp(err.msg, "linux.resources.cpu.cpus: write 0-4096 to cpuset.cpus: ", 55) == 0,
	    "%s", err.msg);
	snprintf(path, sizeof(path), "/sys/fs/cgroup/cpuset%s", cgp);
	ck_assert_int_ne(access(path, F_OK), 0); /* nothing left behind */
}
END_TEST

START_TEST(test_live_devices_update_unified)
{
	struct spec_device_cgroup rules[] = {RULE(false, 'a', -1, -1, "rwm"),
					     RULE(true, 'c', 1, 11, "r")};
	struct spec_resources res = {.devices = rules, .n_devices = 2};
	struct spec_memory mem = {.limit = {true, 100 << 20}};
	struct spec_resources upd = {.memory = &mem, .pids_limit = {true, 5}};
	struct spec_kv kv = {(char *)"memory.high", (char *)"1000000"};
	struct spec_resources uni = {.unified = &kv, .n_unified = 1};
	struct cgroup_opts opts = {.id = "unit"};
	struct cgroup *cg = NULL, *bad = NULL;
	char cgp[64];
	struct herr err;
	int h;

	if (!live_ok())
		return;
	snprintf(cgp, sizeof(cgp), "/husk-test/unitdev-%d", (int)getpid());
	opts.cgroups_path = cgp;
	ck_assert_msg(cgroup_create(&opts, &res, NULL, 0, &cg, &err) == 0, "%s", err.msg);
	h = cg_hier_of(cg, CG_DEVICES);
	if (h >= 0 && !cg->layout.hier[h].v2) {
		_cleanup_free_ char *list = NULL;
		ck_assert_int_eq(cg_read(cg, h, "devices.list", &list, &err), 0);
		/* the config's rule, then runc's defaults */
		ck_assert_msg(strncmp(list, "c 1:11 r\nc *:* m\nb *:* m\nc 1:3 rwm\n", 34) == 0,
			      "%s", list);
	}
	ck_assert_msg(cgroup_update(cg, &upd, &err) == 0, "%s", err.msg);
	if ((h = cg_hier_of(cg, CG_PIDS)) >= 0) {
		uint64_t v;
		ck_assert_int_eq(cg_read_u64(cg, h, "pids.max", &v), 0);
		ck_assert_uint_eq(v, 5);
	}
	if ((h = cg_hier_of(cg, CG_MEMORY)) >= 0) {
		uint64_t v;
		ck_assert_int_eq(
		    cg_read_u64(cg, h,
				cg->layout.hier[h].v2 ? "memory.max" : "memory.limit_in_bytes", &v),
		    0);
		ck_assert_uint_eq(v, 100 << 20);
	}
	if (cg->layout.kind != CGROUP_LAYOUT_V2) {
		ck_assert_int_lt(cgroup_update(cg, &uni, &err), 0);
		ck_assert_msg(strstr(err.msg, "linux.resources.unified.memory.high: ") == err.msg,
			      "%s", err.msg);
	}
	kv.key = (char *)"nosuch.file";
	ck_assert_int_lt(cgroup_update(cg, &uni, &err), 0);
	ck_assert_msg(strstr(err.msg, "linux.resources.unified.nosuch.file: ") == err.msg, "%s",
		      err.msg);
	/* the same path again while it exists joins it (runc), bad values still fail */
	ck_assert_msg(cgroup_create(&opts, NULL, NULL, 0, &bad, &err) == 0, "%s", err.msg);
	cgroup_free(bad);
	ck_assert_msg(cgroup_destroy(cg, &err) == 0, "%s", err.msg);
	cgroup_free(cg);
}
END_TEST

/* The BPF device filter on the cgroup2 hierarchy of this host (hybrid: /sys/fs/cgroup/unified;
 * the kernel checks BPF device programs there as well as the v1 devices controller). */
START_TEST(test_live_bpf)
{
	struct spec_device_cgroup rules[] = {RULE(false, 'a', -1, -1, "rwm"),
					     RULE(true, 'c', 1, 5, "rwm")};
	struct cg_layout l;
	struct herr err;
	char dir[256];
	int status, fd;
	pid_t child;

	if (!live_ok() || cg_layout_load(&l, &err) < 0)
		return;
	if (l.v2 < 0) {
		cg_layout_free(&l);
		return;
	}
	snprintf(dir, sizeof(dir), "%s/husk-test", l.hier[l.v2].mountpoint);
	mkdir(dir, 0755);
	snprintf(dir, sizeof(dir), "%s/husk-test/unitbpf-%d", l.hier[l.v2].mountpoint,
		 (int)getpid());
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	ck_assert_msg(cg_devices_bpf_apply(fd, rules, 2, &err) == 0, "%s", err.msg);
	/* update: the new program replaces the old one, allowing /dev/null too */
	{
		struct spec_device_cgroup more[] = {RULE(false, 'a', -1, -1, "rwm"),
						    RULE(true, 'c', 1, 5, "rwm"),
						    RULE(true, 'c', 1, 3, "r")};
		ck_assert_msg(cg_devices_bpf_apply(fd, more, 3, &err) == 0, "%s", err.msg);
	}
	child = fork();
	if (child == 0) {
		char procs[300];
		snprintf(procs, sizeof(procs), "%s/cgroup.procs", dir);
		if (write_file_at(AT_FDCWD, procs, "0", &err) < 0)
			_exit(10);
		if (open("/dev/zero", O_RDONLY) < 0)
			_exit(11);
		if (open("/dev/null", O_RDONLY) < 0)
			_exit(12);
		if (open("/dev/null", O_WRONLY) >= 0 || errno != EPERM)
			_exit(13);
		if (open("/dev/full", O_RDONLY) >= 0 || errno != EPERM)
			_exit(14);
		_exit(0);
	}
	ck_assert_int_eq(waitpid(child, &status, 0), child);
	close(fd);
	rmdir(dir);
	cg_layout_free(&l);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %d", status);
}
END_TEST

static Suite *cgroup_suite(void)
{
	Suite *s = suite_create("cgroup");
	TCase *pure = tcase_create("pure"), *live = tcase_create("live");

	tcase_add_test(pure, test_resolve_path);
	tcase_add_test(pure, test_clean_path);
	tcase_add_test(pure, test_systemd_parse);
	tcase_add_test(pure, test_shares_to_weight);
	tcase_add_test(pure, test_blkio_weight);
	tcase_add_test(pure, test_swap_v2);
	tcase_add_test(pure, test_parse_size);
	tcase_add_test(pure, test_layout_hybrid);
	tcase_add_test(pure, test_layout_v1);
	tcase_add_test(pure, test_layout_v2);
	tcase_add_test(pure, test_encode_roundtrip);
	tcase_add_test(pure, test_bpf_default_deny);
	tcase_add_test(pure, test_bpf_last_rule_wins);
	tcase_add_test(pure, test_bpf_empty_and_errors);
	tcase_add_test(pure, test_device_rules_defaults);
	tcase_add_test(live, test_live_create_destroy);
	tcase_add_test(live, test_live_bad_value);
	tcase_add_test(live, test_live_bpf);
	tcase_add_test(live, test_live_devices_update_unified);
	tcase_set_timeout(live, 30);
	suite_add_tcase(s, pure);
	suite_add_tcase(s, live);
	return s;
}

int main(void)
{
	return unit_run(cgroup_suite());
}
