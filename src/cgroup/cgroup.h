/* cgroups on v1, hybrid and pure v2.  Each controller is driven on the hierarchy it is bound
 * to; callers never see the layout.  cmd/ and container/ use only this header. */
#ifndef HUSK_CGROUP_CGROUP_H
#define HUSK_CGROUP_CGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "spec/spec.h"
#include "util/error.h"

enum cgroup_layout { CGROUP_LAYOUT_V1, CGROUP_LAYOUT_HYBRID, CGROUP_LAYOUT_V2 };

struct cgroup; /* one container's cgroup, on every hierarchy */

struct cgroup_opts {
	const char *id;		  /* container id: the default leaf name */
	const char *cgroups_path; /* linux.cgroupsPath, may be NULL */
	bool systemd;		  /* --systemd-cgroup */
	bool rootless;		  /* --rootless: failures to create are not fatal */
};

enum cgroup_layout cgroup_layout_detect(void);
const char *cgroup_layout_name(enum cgroup_layout layout); /* "v1", "hybrid", "v2" */

/* Create the cgroup on every hierarchy and apply linux.resources (devices included).
 * linux.devices (devs, may be NULL): runc's default allow rules for /dev/null, /dev/zero, ...
 * are dropped when the config lists that path itself, so its own rules decide.
 * Errors name the JSON path and the cgroup file. */
int cgroup_create(const struct cgroup_opts *opts, const struct spec_resources *res,
		  const struct spec_device *devs, size_t n_devs, struct cgroup **out,
		  struct herr *err);

/* A dirfd of the v2 cgroup for clone3(CLONE_INTO_CGROUP), or -1 when there is none. */
int cgroup_v2_fd(const struct cgroup *cg);

/* What cgroup_enter() leaves out: the v2 hierarchy (clone3 CLONE_INTO_CGROUP put the process
 * there), the v1 hierarchies (the process joins them itself: cgroup_self_join()). */
#define CGROUP_SKIP_V2 1u
#define CGROUP_SKIP_V1 2u

/* Move pid into the cgroup on every hierarchy but those `skip` names. */
int cgroup_enter(struct cgroup *cg, pid_t pid, unsigned skip, struct herr *err);

/* Writing a pid to cgroup.procs takes the kernel's cgroup_threadgroup_rwsem for writing, which
 * costs an RCU grace period (~15 ms on this host) unless the cgroup is mounted with
 * favordynmods.  A thread that writes "0" to a v1 `tasks` file moves itself without it.  So the
 * parent opens the `tasks` file of each v1 hierarchy (with its privileges: v1 checks the
 * opener's credentials) and the new single-threaded process writes "0" to each.
 * Fills fds[0..*n) (O_WRONLY|O_CLOEXEC); *n = 0 on a pure v2 host. */
int cgroup_open_self_join(struct cgroup *cg, int *fds, size_t max, size_t *n, struct herr *err);

/* In the process joining: write "0" to each fd, then close them all. */
int cgroup_self_join(int *fds, size_t n, struct herr *err);

/* `exec --cgroup`: a sub-cgroup (which must exist) below the container's cgroup.  controller
 * NULL: every hierarchy (the v2 form); else the v1 hierarchy bound to it.  Hierarchies no entry
 * names keep the container's cgroup. */
struct cgroup_sub {
	const char *controller;
	const char *path;
};

/* cgroup_enter() into the sub-cgroups. */
int cgroup_enter_sub(struct cgroup *cg, pid_t pid, const struct cgroup_sub *subs, size_t n,
		     bool cloned_into_v2, struct herr *err);

/* A dirfd of the v2 sub-cgroup `sub` (relative) for clone3(CLONE_INTO_CGROUP); -1 (no error)
 * when the cgroup has no v2 part. */
int cgroup_v2_open_sub(const struct cgroup *cg, const char *sub, struct herr *err);

/* The path to keep in the state file, and to find the cgroup again from it. */
const char *cgroup_path(const struct cgroup *cg);
int cgroup_load(const char *path, bool systemd, struct cgroup **out, struct herr *err);

/* Kill every process (SIGKILL via cgroup.kill on v2), then remove every directory, waiting
 * for exiting processes. */
int cgroup_destroy(struct cgroup *cg, struct herr *err);

int cgroup_signal_all(struct cgroup *cg, int sig, struct herr *err);
int cgroup_pids(struct cgroup *cg, pid_t **pids, size_t *n, struct herr *err);
int cgroup_freeze(struct cgroup *cg, bool frozen, struct herr *err);
int cgroup_is_frozen(struct cgroup *cg, bool *frozen, struct herr *err);
int cgroup_update(struct cgroup *cg, const struct spec_resources *res, struct herr *err);
/* linux.devices of the container's config, before cgroup_update() of device rules: as at
 * create, runc's default allow rules for the paths it lists are dropped.  Not copied. */
void cgroup_set_spec_devices(struct cgroup *cg, const struct spec_device *devs, size_t n);

/* `events` data, in runc's units (nanoseconds, bytes). */
struct cgroup_mem_usage {
	unsigned long long usage, max, failcnt, limit;
};

/* One huge page size, named as runc names it ("2MB", "1GB"). */
struct cgroup_hugetlb {
	char size[16];
	unsigned long long usage, max, failcnt;
};

struct cgroup_stats {
	unsigned long long cpu_total, cpu_kernel, cpu_user;
	unsigned long long *percpu;
	size_t n_percpu;
	unsigned long long throttle_periods, throttle_throttled, throttle_time;
	unsigned long long mem_cache;
	struct cgroup_mem_usage mem, swap, kernel, kernel_tcp;
	struct spec_kv *mem_raw; /* memory.stat, values as text */
	size_t n_mem_raw;
	unsigned long long pids_current, pids_limit;
	struct cgroup_hugetlb *hugetlb;
	size_t n_hugetlb;
	bool has_cpu, has_memory, has_pids;
};

int cgroup_stats(struct cgroup *cg, struct cgroup_stats *st, struct herr *err);
void cgroup_stats_free(struct cgroup_stats *st);

/* OOM kills so far (memory.oom_control / memory.events "oom_kill"); 0 when unknown. */
unsigned long long cgroup_oom_count(struct cgroup *cg);

/* A size as runc's `update` takes it: "100M", "1g", "512k", "1024", "-1" (unlimited).
 * Returns 0 or -EINVAL / -ERANGE. */
int cgroup_parse_size(const char *s, long long *out);

/* The layout this cgroup was found on. */
enum cgroup_layout cgroup_layout_of(const struct cgroup *cg);

void cgroup_free(struct cgroup *cg);

#endif
