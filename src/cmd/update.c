/* update [flags] ID: change the resources of a live container, with runc's flags:
 *   --resources FILE|-   a linux.resources JSON object (the runtime-spec's LinuxResources)
 *   --memory, --memory-reservation, --memory-swap, --kernel-memory, --kernel-memory-tcp
 *                        sizes ("100M", "1g", -1 for unlimited)
 *   --cpu-shares, --cpu-period, --cpu-quota, --cpu-burst, --cpu-rt-period, --cpu-rt-runtime,
 *   --cpuset-cpus, --cpuset-mems, --pids-limit, --blkio-weight
 *   --l3-cache-schema, --mem-bw-schema (Intel RDT: not supported)
 * Flags override the same fields of --resources.  Only what is given is written. */
#include "cmd/args.h"

#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/arena.h"
#include "util/cleanup.h"
#include "util/fs.h"

enum {
	U_RESOURCES = 256,
	U_MEMORY,
	U_MEMORY_RESERVATION,
	U_MEMORY_SWAP,
	U_KERNEL_MEMORY,
	U_KERNEL_MEMORY_TCP,
	U_CPU_SHARES,
	U_CPU_PERIOD,
	U_CPU_QUOTA,
	U_CPU_BURST,
	U_CPU_RT_PERIOD,
	U_CPU_RT_RUNTIME,
	U_CPUSET_CPUS,
	U_CPUSET_MEMS,
	U_PIDS_LIMIT,
	U_BLKIO_WEIGHT,
	U_L3_CACHE,
	U_MEM_BW,
};

static const struct option update_options[] = {
    {"resources", required_argument, NULL, U_RESOURCES},
    {"r", required_argument, NULL, U_RESOURCES},
    {"memory", required_argument, NULL, U_MEMORY},
    {"memory-reservation", required_argument, NULL, U_MEMORY_RESERVATION},
    {"memory-swap", required_argument, NULL, U_MEMORY_SWAP},
    {"kernel-memory", required_argument, NULL, U_KERNEL_MEMORY},
    {"kernel-memory-tcp", required_argument, NULL, U_KERNEL_MEMORY_TCP},
    {"cpu-shares", required_argument, NULL, U_CPU_SHARES},
    {"cpu-period", required_argument, NULL, U_CPU_PERIOD},
    {"cpu-quota", required_argument, NULL, U_CPU_QUOTA},
    {"cpu-burst", required_argument, NULL, U_CPU_BURST},
    {"cpu-rt-period", required_argument, NULL, U_CPU_RT_PERIOD},
    {"cpu-rt-runtime", required_argument, NULL, U_CPU_RT_RUNTIME},
    {"cpuset-cpus", required_argument, NULL, U_CPUSET_CPUS},
    {"cpuset-mems", required_argument, NULL, U_CPUSET_MEMS},
    {"pids-limit", required_argument, NULL, U_PIDS_LIMIT},
    {"blkio-weight", required_argument, NULL, U_BLKIO_WEIGHT},
    {"l3-cache-schema", required_argument, NULL, U_L3_CACHE},
    {"mem-bw-schema", required_argument, NULL, U_MEM_BW},
    {NULL, 0, NULL, 0},
};

/* Where each numeric flag lands. */
enum kind { K_SIZE, K_I64, K_U64 };

struct numflag {
	int id;
	const char *name;
	enum kind kind;
	size_t mem_off; /* offset in struct spec_memory, or -1 */
	size_t cpu_off; /* offset in struct spec_cpu, or -1 */
};

#define NONE ((size_t)-1)
#define MOFF(f) offsetof(struct spec_memory, f)
#define COFF(f) offsetof(struct spec_cpu, f)

static const struct numflag numflags[] = {
    {U_MEMORY, "memory", K_SIZE, MOFF(limit), NONE},
    {U_MEMORY_RESERVATION, "memory-reservation", K_SIZE, MOFF(reservation), NONE},
    {U_MEMORY_SWAP, "memory-swap", K_SIZE, MOFF(swap), NONE},
    {U_KERNEL_MEMORY, "kernel-memory", K_SIZE, MOFF(kernel), NONE},
    {U_KERNEL_MEMORY_TCP, "kernel-memory-tcp", K_SIZE, MOFF(kernel_tcp), NONE},
    {U_CPU_SHARES, "cpu-shares", K_U64, NONE, COFF(shares)},
    {U_CPU_PERIOD, "cpu-period", K_U64, NONE, COFF(period)},
    {U_CPU_QUOTA, "cpu-quota", K_I64, NONE, COFF(quota)},
    {U_CPU_BURST, "cpu-burst", K_U64, NONE, COFF(burst)},
    {U_CPU_RT_PERIOD, "cpu-rt-period", K_U64, NONE, COFF(realtime_period)},
    {U_CPU_RT_RUNTIME, "cpu-rt-runtime", K_I64, NONE, COFF(realtime_runtime)},
};

struct update_job {
	struct arena *arena; /* holds what --resources parsed */
	struct spec_resources res;
	struct spec_memory mem;
	struct spec_cpu cpu;
	struct spec_blkio blkio;
};

static int parse_number(const struct numflag *f, const char *v, struct update_job *j,
			struct herr *err)
{
	char *end;
	long long n;

	if (f->kind == K_SIZE) {
		if (cgroup_parse_size(v, &n) < 0)
			return herr_set(err, -EINVAL, "invalid value for %s: %s", f->name, v);
	} else {
		errno = 0;
		n = f->kind == K_U64 ? (long long)strtoull(v, &end, 10) : strtoll(v, &end, 10);
		if (errno || end == v || *end || (f->kind == K_U64 && v[0] == '-'))
			return herr_set(err, -EINVAL, "invalid value for %s: %s", f->name, v);
	}
	if (f->mem_off != NONE) {
		struct opt_i64 *o = (struct opt_i64 *)((char *)&j->mem + f->mem_off);
		*o = (struct opt_i64){true, n};
		j->res.memory = &j->mem;
	} else if (f->kind == K_I64) {
		struct opt_i64 *o = (struct opt_i64 *)((char *)&j->cpu + f->cpu_off);
		*o = (struct opt_i64){true, n};
		j->res.cpu = &j->cpu;
	} else {
		struct opt_u64 *o = (struct opt_u64 *)((char *)&j->cpu + f->cpu_off);
		*o = (struct opt_u64){true, (uint64_t)n};
		j->res.cpu = &j->cpu;
	}
	return 0;
}

/* --resources FILE|-: a LinuxResources object, parsed by the config parser inside a minimal
 * config so that it is validated exactly as config.json's linux.resources. */
static int load_resources(const char *file, struct update_job *j, struct herr *err)
{
	_cleanup_free_ char *text = NULL;
	const char *name = strcmp(file, "-") == 0 ? "/dev/stdin" : file;
	struct spec_resources *res = NULL;
	size_t len = 0;
	int r = read_file_at(AT_FDCWD, name, &text, &len, err);

	if (r < 0)
		return herr_wrap(err, "update: --resources");
	j->arena = arena_new();
	if (!j->arena)
		return herr_errno(err, ENOMEM, "update");
	r = spec_parse_resources(text, len, strcmp(file, "-") == 0 ? "resources" : file, &res,
				 j->arena, err);
	if (r < 0)
		return r;
	j->res = *res;
	if (j->res.memory)
		j->mem = *j->res.memory;
	if (j->res.cpu)
		j->cpu = *j->res.cpu;
	if (j->res.blkio)
		j->blkio = *j->res.blkio;
	j->res.memory = j->res.memory ? &j->mem : NULL;
	j->res.cpu = j->res.cpu ? &j->cpu : NULL;
	j->res.blkio = j->res.blkio ? &j->blkio : NULL;
	return 0;
}

static int parse_flags(int argc, char **argv, struct update_job *j, struct herr *err)
{
	const char *resources = NULL;
	int c, r;

	/* --resources first: the other flags override its fields */
	optind = 0;
	while ((c = getopt_long_only(argc, argv, "+", update_options, NULL)) != -1) {
		if (c == '?' || c == ':')
			return args_bad_flag("update", argc, argv, err);
		if (c == U_RESOURCES)
			resources = optarg;
	}
	if (resources && (r = load_resources(resources, j, err)) < 0)
		return r;
	optind = 0;
	while ((c = getopt_long_only(argc, argv, "+", update_options, NULL)) != -1) {
		char *end;

		for (size_t i = 0; i < sizeof(numflags) / sizeof(numflags[0]); i++) {
			if (numflags[i].id == c &&
			    (r = parse_number(&numflags[i], optarg, j, err)) < 0)
				return r;
		}
		switch (c) {
		case U_CPUSET_CPUS:
			j->cpu.cpus = optarg;
			j->res.cpu = &j->cpu;
			break;
		case U_CPUSET_MEMS:
			j->cpu.mems = optarg;
			j->res.cpu = &j->cpu;
			break;
		case U_PIDS_LIMIT:
			errno = 0;
			j->res.pids_limit = (struct opt_i64){true, strtoll(optarg, &end, 10)};
			if (errno || *end || end == optarg)
				return herr_set(err, -EINVAL, "invalid value for pids-limit: %s",
						optarg);
			j->res.has_pids = true;
			break;
		case U_BLKIO_WEIGHT:
			errno = 0;
			j->blkio.weight = (struct opt_u64){true, strtoull(optarg, &end, 10)};
			if (errno || *end || end == optarg || optarg[0] == '-')
				return herr_set(err, -EINVAL, "invalid value for blkio-weight: %s",
						optarg);
			j->res.blkio = &j->blkio;
			break;
		case U_L3_CACHE:
		case U_MEM_BW:
			return herr_set(err, -ENOTSUP,
					"update: --%s: Intel RDT is not supported by husk",
					c == U_L3_CACHE ? "l3-cache-schema" : "mem-bw-schema");
		default:
			break;
		}
	}
	return 0;
}

/* Device rules get runc's default allow-list as at create, minus the paths the saved config's
 * linux.devices lists; nothing about the update is saved: the kernel keeps the values. */
static int update_apply(struct container *c, const struct spec_resources *res, struct herr *err)
{
	struct spec *saved = NULL;
	int r = 0;

	if (res->n_devices)
		r = container_saved_spec(c, &saved, err);
	if (r == 0 && saved && saved->linux_)
		cgroup_set_spec_devices(c->cg, saved->linux_->devices, saved->linux_->n_devices);
	if (r == 0)
		r = cgroup_update(c->cg, res, err);
	spec_free(saved);
	return r;
}

CMD_DECLARE(update)
{
	struct runtime_opts o = args_runtime(g);
	struct update_job j;
	struct container *c = NULL;
	int r;

	memset(&j, 0, sizeof(j));
	r = parse_flags(argc, argv, &j, err);
	if (r == 0)
		r = cmd_require_args("update", argc - optind, 1, 1, err);
	if (r == 0)
		r = container_open(&o, argv[optind], true, &c, err);
	if (r == 0) {
		if (c->status == STATUS_STOPPED)
			r = herr_set(err, -EINVAL, "cannot update a stopped container");
		else if (!c->cg)
			r = herr_set(err, -ENOTSUP, "container %s has no cgroup", argv[optind]);
		else
			r = update_apply(c, &j.res, err);
		container_close(c);
	}
	arena_free(j.arena);
	return r < 0 ? r : 0;
}
