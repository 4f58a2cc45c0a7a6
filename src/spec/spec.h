/* config.json as typed structs: the whole OCI runtime-spec 1.3 `config.json` for Linux.
 *
 * Conventions: strings are NUL-terminated and NULL when absent; arrays are a pointer plus an
 * `n_` count; optional scalars are `struct opt_*` (set == false when absent); optional objects
 * are pointers (NULL when absent).  Everything is allocated in the spec's arena and released by
 * spec_free().  linux/, cgroup/ and container/ read these structs, never JSON. */
#ifndef HUSK_SPEC_SPEC_H
#define HUSK_SPEC_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

struct arena;

struct opt_i64 {
	bool set;
	int64_t v;
};

struct opt_u64 {
	bool set;
	uint64_t v;
};

struct opt_bool {
	bool set;
	bool v;
};

struct spec_kv {
	char *key;
	char *value;
};

struct spec_id_mapping {
	uint32_t container_id;
	uint32_t host_id;
	uint32_t size;
};

/* ---- process ---- */

enum spec_cap_set {
	SPEC_CAP_BOUNDING,
	SPEC_CAP_EFFECTIVE,
	SPEC_CAP_INHERITABLE,
	SPEC_CAP_PERMITTED,
	SPEC_CAP_AMBIENT,
	SPEC_CAP_NSETS
};

struct spec_capabilities {
	/* Names as written ("CAP_KILL"); names[i] == NULL when set i is absent. Unknown names
	 * are kept here: linux/caps.c warns about them and ignores them, as runc 1.1+ does. */
	char **names[SPEC_CAP_NSETS];
	size_t n_names[SPEC_CAP_NSETS];
};

struct spec_rlimit {
	char *type;   /* "RLIMIT_NOFILE" */
	int resource; /* RLIMIT_NOFILE, resolved by the parser */
	uint64_t soft;
	uint64_t hard;
};

struct spec_user {
	uint32_t uid;
	uint32_t gid;
	struct opt_u64 umask;
	uint32_t *additional_gids;
	size_t n_additional_gids;
};

struct spec_box {
	unsigned height;
	unsigned width;
};

struct spec_scheduler {
	char *policy;   /* "SCHED_OTHER", ... */
	int policy_num; /* SCHED_* resolved by the parser */
	int32_t nice;
	int32_t priority;
	char **flags;
	size_t n_flags;
	uint64_t flags_mask; /* SCHED_FLAG_* bits resolved by the parser */
	uint64_t runtime;
	uint64_t deadline;
	uint64_t period;
};

struct spec_io_priority {
	char *class;   /* "IOPRIO_CLASS_RT" | "IOPRIO_CLASS_BE" | "IOPRIO_CLASS_IDLE" */
	int class_num; /* IOPRIO_CLASS_* value (1, 2, 3) */
	int priority;  /* 0..7 */
};

struct spec_cpu_affinity {
	char *initial;
	char *final;
};

struct spec_process {
	bool terminal;
	struct spec_box *console_size;
	struct spec_user user;
	char **args; /* NULL-terminated as well, for execve */
	size_t n_args;
	char **env; /* NULL-terminated as well */
	size_t n_env;
	char *cwd;
	struct spec_capabilities *capabilities;
	struct spec_rlimit *rlimits;
	size_t n_rlimits;
	bool no_new_privileges;
	char *apparmor_profile;
	struct opt_i64 oom_score_adj;
	struct spec_scheduler *scheduler;
	char *selinux_label;
	struct spec_io_priority *io_priority;
	struct spec_cpu_affinity *exec_cpu_affinity;
};

/* ---- root, mounts ---- */

struct spec_root {
	char *path;
	bool readonly;
};

struct spec_mount {
	char *destination;
	char *type;
	char *source;
	char **options;
	size_t n_options;
	struct spec_id_mapping *uid_mappings;
	size_t n_uid_mappings;
	struct spec_id_mapping *gid_mappings;
	size_t n_gid_mappings;
};

/* ---- hooks ---- */

enum spec_hook_kind {
	SPEC_HOOK_PRESTART,
	SPEC_HOOK_CREATE_RUNTIME,
	SPEC_HOOK_CREATE_CONTAINER,
	SPEC_HOOK_START_CONTAINER,
	SPEC_HOOK_POSTSTART,
	SPEC_HOOK_POSTSTOP,
	SPEC_HOOK_NKINDS
};

struct spec_hook {
	char *path;
	char **args; /* NULL-terminated as well */
	size_t n_args;
	char **env; /* NULL-terminated as well */
	size_t n_env;
	struct opt_i64 timeout; /* seconds, > 0 */
};

struct spec_hooks {
	struct spec_hook *list[SPEC_HOOK_NKINDS];
	size_t n[SPEC_HOOK_NKINDS];
};

/* ---- linux ---- */

enum spec_ns_type {
	SPEC_NS_PID,
	SPEC_NS_NETWORK,
	SPEC_NS_MOUNT,
	SPEC_NS_IPC,
	SPEC_NS_UTS,
	SPEC_NS_USER,
	SPEC_NS_CGROUP,
	SPEC_NS_TIME,
	SPEC_NS_NTYPES
};

struct spec_namespace {
	enum spec_ns_type type;
	char *path; /* NULL: create a new one */
};

struct spec_device {
	char *path;
	char type; /* 'c', 'b', 'u' or 'p' */
	int64_t major;
	int64_t minor;
	struct opt_u64 file_mode;
	struct opt_u64 uid;
	struct opt_u64 gid;
};

struct spec_device_cgroup {
	bool allow;
	char type; /* 'a', 'c' or 'b'; 'a' when absent */
	struct opt_i64 major; /* absent: wildcard */
	struct opt_i64 minor;
	char *access; /* "rwm" subset; NULL when absent (= "rwm") */
};

struct spec_memory {
	struct opt_i64 limit;
	struct opt_i64 reservation;
	struct opt_i64 swap;
	struct opt_i64 kernel;
	struct opt_i64 kernel_tcp;
	struct opt_u64 swappiness;
	struct opt_bool disable_oom_killer;
	struct opt_bool use_hierarchy;
	struct opt_bool check_before_update;
};

struct spec_cpu {
	struct opt_u64 shares;
	struct opt_i64 quota;
	struct opt_u64 burst;
	struct opt_u64 period;
	struct opt_i64 realtime_runtime;
	struct opt_u64 realtime_period;
	char *cpus;
	char *mems;
	struct opt_i64 idle;
};

struct spec_weight_device {
	int64_t major;
	int64_t minor;
	struct opt_u64 weight;
	struct opt_u64 leaf_weight;
};

struct spec_throttle_device {
	int64_t major;
	int64_t minor;
	uint64_t rate;
};

enum spec_throttle_kind {
	SPEC_THROTTLE_READ_BPS,
	SPEC_THROTTLE_WRITE_BPS,
	SPEC_THROTTLE_READ_IOPS,
	SPEC_THROTTLE_WRITE_IOPS,
	SPEC_THROTTLE_NKINDS
};

struct spec_blkio {
	struct opt_u64 weight;
	struct opt_u64 leaf_weight;
	struct spec_weight_device *weight_devices;
	size_t n_weight_devices;
	struct spec_throttle_device *throttle[SPEC_THROTTLE_NKINDS];
	size_t n_throttle[SPEC_THROTTLE_NKINDS];
};

struct spec_hugepage_limit {
	char *page_size; /* "2MB" */
	uint64_t limit;
};

struct spec_if_priority {
	char *name;
	uint32_t priority;
};

struct spec_network {
	struct opt_u64 class_id;
	struct spec_if_priority *priorities;
	size_t n_priorities;
};

struct spec_rdma {
	char *device;
	struct opt_u64 hca_handles;
	struct opt_u64 hca_objects;
};

struct spec_resources {
	struct spec_device_cgroup *devices;
	size_t n_devices;
	struct spec_memory *memory;
	struct spec_cpu *cpu;
	struct opt_i64 pids_limit;
	bool has_pids; /* "pids" object present */
	struct spec_blkio *blkio;
	struct spec_hugepage_limit *hugepage_limits;
	size_t n_hugepage_limits;
	struct spec_network *network;
	struct spec_rdma *rdma;
	size_t n_rdma;
	struct spec_kv *unified;
	size_t n_unified;
};

enum spec_seccomp_action {
	SPEC_SCMP_ACT_KILL,
	SPEC_SCMP_ACT_KILL_PROCESS,
	SPEC_SCMP_ACT_KILL_THREAD,
	SPEC_SCMP_ACT_TRAP,
	SPEC_SCMP_ACT_ERRNO,
	SPEC_SCMP_ACT_TRACE,
	SPEC_SCMP_ACT_ALLOW,
	SPEC_SCMP_ACT_LOG,
	SPEC_SCMP_ACT_NOTIFY,
};

enum spec_seccomp_op {
	SPEC_SCMP_CMP_NE,
	SPEC_SCMP_CMP_LT,
	SPEC_SCMP_CMP_LE,
	SPEC_SCMP_CMP_EQ,
	SPEC_SCMP_CMP_GE,
	SPEC_SCMP_CMP_GT,
	SPEC_SCMP_CMP_MASKED_EQ,
};

struct spec_seccomp_arg {
	unsigned index;
	uint64_t value;
	uint64_t value_two;
	enum spec_seccomp_op op;
};

struct spec_syscall {
	char **names;
	size_t n_names;
	enum spec_seccomp_action action;
	struct opt_u64 errno_ret;
	struct spec_seccomp_arg *args;
	size_t n_args;
};

struct spec_seccomp {
	enum spec_seccomp_action default_action;
	struct opt_u64 default_errno_ret;
	char **architectures; /* "SCMP_ARCH_X86_64" ... */
	size_t n_architectures;
	char **flags; /* "SECCOMP_FILTER_FLAG_LOG" ... */
	size_t n_flags;
	char *listener_path;
	char *listener_metadata;
	struct spec_syscall *syscalls;
	size_t n_syscalls;
};

struct spec_intel_rdt {
	char *clos_id;
	char **schemata;
	size_t n_schemata;
	char *l3_cache_schema;
	char *mem_bw_schema;
	bool enable_monitoring;
};

struct spec_memory_policy {
	char *mode; /* "MPOL_BIND" ... */
	int mode_num;
	char *nodes;
	char **flags;
	size_t n_flags;
	unsigned flags_mask;
};

struct spec_personality {
	char *domain; /* "LINUX" | "LINUX32" */
	unsigned long persona;
	char **flags;
	size_t n_flags;
};

struct spec_time_offset {
	char *clock; /* "monotonic" | "boottime" */
	int64_t secs;
	uint32_t nanosecs;
};

struct spec_net_device {
	char *host_name;
	char *name; /* NULL: keep host_name */
};

struct spec_linux {
	struct spec_id_mapping *uid_mappings;
	size_t n_uid_mappings;
	struct spec_id_mapping *gid_mappings;
	size_t n_gid_mappings;
	struct spec_kv *sysctl;
	size_t n_sysctl;
	struct spec_resources *resources;
	char *cgroups_path;
	struct spec_namespace *namespaces;
	size_t n_namespaces;
	struct spec_device *devices;
	size_t n_devices;
	struct spec_net_device *net_devices;
	size_t n_net_devices;
	struct spec_seccomp *seccomp;
	char *rootfs_propagation;
	char **masked_paths;
	size_t n_masked_paths;
	char **readonly_paths;
	size_t n_readonly_paths;
	char *mount_label;
	struct spec_intel_rdt *intel_rdt;
	struct spec_memory_policy *memory_policy;
	struct spec_personality *personality;
	struct spec_time_offset *time_offsets;
	size_t n_time_offsets;
};

struct spec {
	char *oci_version;
	struct spec_process *process;
	struct spec_root *root;
	char *hostname;
	char *domainname;
	struct spec_mount *mounts;
	size_t n_mounts;
	struct spec_hooks *hooks;
	struct spec_kv *annotations;
	size_t n_annotations;
	struct spec_linux *linux_; /* `linux` is a predefined macro in GNU C */

	struct arena *arena;
};

/* The runtime-spec version husk implements (`husk --version`, `husk features`). */
#define HUSK_SPEC_VERSION "1.3.0"

/* ---- API ---- */

/* Parse and validate a config.json held in memory.  `name` prefixes error messages
 * ("config.json: linux.namespaces[2].type: unknown namespace \"pidd\"").  Unknown fields are
 * ignored as runc does; wrong types, bad values and duplicates are errors. */
int spec_parse(const char *json, size_t len, const char *name, struct spec **out,
	       struct herr *err);

/* Read BUNDLE/config.json and parse it. */
int spec_load_bundle(const char *bundle, struct spec **out, struct herr *err);

/* A process object alone (`exec --process FILE`), validated like config.json's `process`. */
int spec_parse_process(const char *json, size_t len, const char *name, struct spec_process **out,
		       struct arena *arena, struct herr *err);

/* A LinuxResources object alone (`update --resources`), validated like linux.resources. */
int spec_parse_resources(const char *json, size_t len, const char *name,
			 struct spec_resources **out, struct arena *arena, struct herr *err);

void spec_free(struct spec *spec);

/* Checks that need the whole config (e.g. a path namespace type listed twice); spec_parse()
 * runs it.  Split out so `husk check` can run it too. */
int spec_validate(const struct spec *spec, const char *name, struct herr *err);

/* Look-ups shared by every layer. */
const char *spec_ns_name(enum spec_ns_type type);    /* "pid", "network", ... */
int spec_ns_clone_flag(enum spec_ns_type type);      /* CLONE_NEWPID, ... */
const struct spec_namespace *spec_find_ns(const struct spec *spec, enum spec_ns_type type);
const char *spec_hook_name(enum spec_hook_kind kind); /* "prestart", "createRuntime", ... */
const char *spec_seccomp_op_at(size_t i); /* "SCMP_CMP_NE", ...; NULL past the end */

/* The default config that `husk spec` writes (runc's defaults), as JSON text. */
const char *spec_default_json(bool rootless);

#endif
