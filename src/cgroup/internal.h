/* Shared by the files of src/cgroup: the layout model, the cgroup object, the pure conversions
 * (tested in tests/unit/test_cgroup.c) and the per-version appliers. */
#ifndef HUSK_CGROUP_INTERNAL_H
#define HUSK_CGROUP_INTERNAL_H

#include <linux/bpf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cgroup/cgroup.h"

/* Every controller husk knows, v1 and v2 names.  name=systemd is a v1 hierarchy without a
 * controller; on v2 the core files (cgroup.procs, cgroup.freeze, ...) need none. */
enum cg_ctrl {
	CG_CPU,
	CG_CPUACCT,
	CG_CPUSET,
	CG_MEMORY,
	CG_DEVICES,
	CG_FREEZER,
	CG_BLKIO, /* "blkio" on v1, "io" on v2 */
	CG_PIDS,
	CG_HUGETLB,
	CG_NET_CLS,
	CG_NET_PRIO,
	CG_RDMA,
	CG_PERF_EVENT,
	CG_MISC,
	CG_NAME_SYSTEMD,
	CG_NCTRL
};

#define CG_MAX_HIER 24

/* One mounted hierarchy. */
struct cg_hier {
	char *mountpoint; /* "/sys/fs/cgroup/memory" */
	char *root;	  /* the mount's root inside the hierarchy (mountinfo field 4), "/" */
	char *own;	  /* this process's cgroup there (/proc/self/cgroup), "/" when unknown */
	char *key;	  /* "memory", "cpu,cpuacct", "name=systemd"; "unified" for cgroup2 */
	bool v2;
	uint32_t ctrls; /* bit (1 << enum cg_ctrl): bound controllers (v2: cgroup.controllers) */
};

struct cg_layout {
	enum cgroup_layout kind;
	struct cg_hier hier[CG_MAX_HIER];
	size_t n;
	int v2;		    /* index of the cgroup2 hierarchy, -1 when none */
	int ctrl[CG_NCTRL]; /* controller -> hierarchy index, -1 when not available */
};

#define CG_BIT(c) (1u << (c))

const char *cg_ctrl_name(enum cg_ctrl c, bool v2);
int cg_ctrl_from_name(const char *name, bool v2); /* -1 when unknown */

/* ---- layout.c: pure parsers, then the detection that feeds them the host's files ---- */
void cg_layout_init(struct cg_layout *l);
void cg_layout_free(struct cg_layout *l);
/* The cgroup and cgroup2 mounts of a /proc/self/mountinfo text. */
int cg_layout_parse_mountinfo(struct cg_layout *l, const char *mountinfo, struct herr *err);
/* The space-separated cgroup.controllers of the cgroup2 hierarchy. */
void cg_layout_set_v2_controllers(struct cg_layout *l, const char *controllers);
/* Own cgroups from a /proc/self/cgroup text; computes l->kind and l->ctrl[]. */
int cg_layout_set_own(struct cg_layout *l, const char *proc_cgroup, struct herr *err);
/* All of the above on this host (cached per process). */
int cg_layout_load(struct cg_layout *l, struct herr *err);

/* ---- cgroup.c: paths ---- */
/* Lexically clean an absolute path ("/a//b/../c/" -> "/a/c"); malloc'ed. */
char *cg_clean_path(const char *path);
/* cgroupsPath -> the cgroup in one hierarchy, given this process's cgroup there (runc):
 * absolute -> as is; relative -> own/path; absent -> own/id.  malloc'ed; NULL on ENOMEM. */
char *cg_resolve_path(const char *cgroups_path, const char *id, const char *own);
/* "slice:prefix:name" for --systemd-cgroup. */
int cg_systemd_parse(const char *cgroups_path, char **slice, char **prefix, char **name,
		     struct herr *err);

/* ---- conversions (runc's) ---- */
uint64_t cg_shares_to_weight(uint64_t shares);
uint64_t cg_blkio_to_io_weight(uint64_t weight);
/* linux.resources.memory.swap (memory+swap) -> memory.swap.max; *out = -1 means "max",
 * *set = false when nothing is to be written. */
int cg_swap_to_v2(int64_t swap, bool swap_set, int64_t limit, bool limit_set, int64_t *out,
		  bool *set, struct herr *err);
/* "100M", "1g", "512k", "1024" -> bytes, as runc's update (docker/go-units RAMInBytes). */
int cg_parse_size(const char *s, int64_t *out);

/* ---- the container's cgroup ---- */
struct cgroup {
	struct cg_layout layout;
	char *path[CG_MAX_HIER]; /* hierarchy-absolute cgroup path, NULL: not used */
	bool created[CG_MAX_HIER];
	char *encoded; /* cgroup_path() */
	int v2fd;
	bool systemd;
	bool rootless;
	/* linux.devices paths, for runc's de-duplication of the default allow rules */
	const struct spec_device *spec_devices;
	size_t n_spec_devices;
};

/* The state-file string of cg->path[] and back (cg->layout must be loaded first). */
int cg_encode(struct cgroup *cg);
int cg_decode(struct cgroup *cg, const char *str, struct herr *err);
/* The directory of the cgroup in hierarchy i (mountpoint + path), into buf. */
int cg_dir(const struct cgroup *cg, size_t i, char *buf, size_t len);
/* Hierarchy index for a controller, -1 when not available. */
int cg_hier_of(const struct cgroup *cg, enum cg_ctrl c);
/* Write a cgroup file of the hierarchy bound to ctrl; errors name the JSON path and file:
 * "linux.resources.memory.limit: write 12 to memory.limit_in_bytes: Device or resource busy". */
int cg_write(const struct cgroup *cg, int hier, const char *json, const char *file,
	     const char *value, struct herr *err);
/* cg_write through *fd (-1: opened now and kept for the caller to close): a burst of writes
 * to one file, such as device rules, opens it once.  Each write is still its own value. */
int cg_write_keep(const struct cgroup *cg, int hier, int *fd, const char *json,
		  const char *file, const char *value, struct herr *err);
int cg_read(const struct cgroup *cg, int hier, const char *file, char **out, struct herr *err);
bool cg_has_file(const struct cgroup *cg, int hier, const char *file);
int cg_read_u64(const struct cgroup *cg, int hier, const char *file, uint64_t *out);

/* resources.c: every linux.resources field, on the hierarchy its controller is bound to.
 * update: only the fields set are written, devices only when rules are given. */
int cg_resources_apply(struct cgroup *cg, const struct spec_resources *res, bool update,
		       struct herr *err);
/* Controllers (bits) the resources need on the cgroup2 hierarchy. */
uint32_t cg_v2_needed(const struct cg_layout *l, const struct spec_resources *res);

/* v1.c */
int cg_v1_cpuset_inherit(const char *dir, struct herr *err);
int cg_v1_freeze(struct cgroup *cg, int hier, bool frozen, struct herr *err);
/* v2.c */
int cg_v2_enable_controllers(const char *dir, uint32_t ctrls, struct herr *err);
int cg_v2_freeze(struct cgroup *cg, int hier, bool frozen, struct herr *err);
int cg_unified_apply(struct cgroup *cg, const struct spec_resources *res, struct herr *err);

/* ---- devices ---- */
/* linux.resources.devices followed by runc's default allow-list (minus the defaults whose
 * path is in linux.devices).  *out is malloc'ed. */
int cg_device_rules(const struct spec_device_cgroup *rules, size_t n,
		    const struct spec_device *devs, size_t n_devs, struct spec_device_cgroup **out,
		    size_t *n_out);
/* v1: "a" to devices.deny, then each rule to devices.allow / devices.deny. */
int cg_devices_v1_apply(struct cgroup *cg, int hier, const struct spec_device_cgroup *rules,
			size_t n, struct herr *err);
/* "c 1:3 rwm", "a *:* rwm" */
void cg_device_rule_string(const struct spec_device_cgroup *r, char *buf, size_t len);

/* BPF_PROG_TYPE_CGROUP_DEVICE program: the last matching rule decides, default deny, as the
 * runtime-spec orders them.  Pure; *out is malloc'ed. */
int cg_devices_bpf_build(const struct spec_device_cgroup *rules, size_t n, struct bpf_insn **out,
			 size_t *n_out, struct herr *err);
/* Load the program, attach it to the cgroup dirfd with BPF_F_ALLOW_MULTI and detach any
 * program attached before (update). */
int cg_devices_bpf_apply(int cgroup_fd, const struct spec_device_cgroup *rules, size_t n,
			 struct herr *err);

#endif
