/* The container process's last steps, in the order process.h lists them.  Each step does only
 * what the config asks for: an absent field costs no syscall (umask excepted: runc always sets
 * one). */
#include "linux/process.h"
#include "linux/sealexec.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <limits.h>
#include <linux/magic.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "linux/caps.h"
#include "linux/procfs.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/log.h"

/* runc's PATH when process.env has none. */
#define PROCESS_DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* Highest cpu / node number a list may name: far above NR_CPUS, low enough to bound the mask. */
#define PROCESS_CPU_LIST_MAX 65535

#define BITS_PER_WORD (sizeof(unsigned long) * CHAR_BIT)

/* ---- rlimits ---- */

static const char *process_rlim_str(uint64_t v, char *buf, size_t size)
{
	if (v == (uint64_t)RLIM_INFINITY)
		return "unlimited";
	snprintf(buf, size, "%" PRIu64, v);
	return buf;
}

static int process_set_rlimits(const struct spec_process *p, struct herr *err)
{
	for (size_t i = 0; i < p->n_rlimits; i++) {
		const struct spec_rlimit *l = &p->rlimits[i];
		struct rlimit rl = {.rlim_cur = l->soft, .rlim_max = l->hard};
		char soft[24], hard[24];

		if (setrlimit(l->resource, &rl) < 0)
			return herr_sys(err,
					"process.rlimits[%zu]: setrlimit %s (soft %s, hard %s)", i,
					l->type, process_rlim_str(l->soft, soft, sizeof(soft)),
					process_rlim_str(l->hard, hard, sizeof(hard)));
	}
	return 0;
}

/* ---- oomScoreAdj, scheduler, ioPriority, umask ---- */

/* The container's /proc could be anything the config mounted there: write through a procfs
 * husk checked (CVE-2019-16884, CVE-2025-52881). */
static int process_set_oom_score_adj(const struct spec_process *p, struct herr *err)
{
	char buf[24];
	int r;

	if (!p->oom_score_adj.set)
		return 0;
	snprintf(buf, sizeof(buf), "%" PRId64, p->oom_score_adj.v);
	r = procfs_write("oom_score_adj", true, buf, err);
	return r < 0 ? herr_wrap(err, "process.oomScoreAdj") : 0;
}

/* struct sched_attr, SCHED_ATTR_SIZE_VER1 (glibc < 2.41 has no wrapper or type).  The util
 * clamps stay 0, as runc leaves them. */
struct process_sched_attr {
	uint32_t size;
	uint32_t sched_policy;
	uint64_t sched_flags;
	int32_t sched_nice;
	uint32_t sched_priority;
	uint64_t sched_runtime;
	uint64_t sched_deadline;
	uint64_t sched_period;
	uint32_t sched_util_min;
	uint32_t sched_util_max;
};

static int process_set_scheduler(const struct spec_process *p, struct herr *err)
{
	const struct spec_scheduler *s = p->scheduler;
	struct process_sched_attr attr;

	if (!s)
		return 0;
	attr = (struct process_sched_attr){
	    .size = sizeof(attr),
	    .sched_policy = (uint32_t)s->policy_num,
	    .sched_flags = s->flags_mask,
	    .sched_nice = s->nice,
	    .sched_priority = (uint32_t)s->priority,
	    .sched_runtime = s->runtime,
	    .sched_deadline = s->deadline,
	    .sched_period = s->period,
	};
	if (syscall(SYS_sched_setattr, 0, &attr, 0) < 0)
		return herr_sys(err, "process.scheduler: sched_setattr %s", s->policy);
	return 0;
}

/* The spec speaks of the process group; runc uses IOPRIO_WHO_PGRP.  Setting it on this process
 * alone is the same for the container (children inherit it) and cannot touch a process group
 * husk was started in. */
static int process_set_io_priority(const struct spec_process *p, struct herr *err)
{
	enum { IOPRIO_WHO_PROCESS = 1, IOPRIO_CLASS_SHIFT = 13 };
	const struct spec_io_priority *io = p->io_priority;

	if (!io)
		return 0;
	if (syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0,
		    (io->class_num << IOPRIO_CLASS_SHIFT) | io->priority) < 0)
		return herr_sys(err, "process.ioPriority: ioprio_set %s %d", io->class,
				io->priority);
	return 0;
}

/* ---- cpu lists ("0-3,7") ---- */

static int process_parse_cpu_num(const char **s, unsigned long *out)
{
	char *end;

	if (**s < '0' || **s > '9')
		return -EINVAL;
	errno = 0;
	*out = strtoul(*s, &end, 10);
	if (errno == ERANGE || *out > PROCESS_CPU_LIST_MAX)
		return -ERANGE;
	*s = end;
	return 0;
}

/* Walk the list; with mask == NULL only find the highest number. */
static int process_walk_cpu_list(const char *s, unsigned long *mask, unsigned long *max)
{
	*max = 0;
	for (;;) {
		unsigned long lo, hi;
		int r = process_parse_cpu_num(&s, &lo);

		if (r < 0)
			return r;
		hi = lo;
		if (*s == '-') {
			s++;
			r = process_parse_cpu_num(&s, &hi);
			if (r < 0)
				return r;
			if (hi < lo)
				return -EINVAL;
		}
		for (unsigned long c = lo; mask && c <= hi; c++)
			mask[c / BITS_PER_WORD] |= 1UL << (c % BITS_PER_WORD);
		if (hi > *max)
			*max = hi;
		if (*s == '\0')
			return 0;
		if (*s++ != ',')
			return -EINVAL;
	}
}

int process_parse_cpu_list(const char *list, unsigned long **mask, size_t *nbits)
{
	unsigned long max, *m;
	size_t words;
	int r;

	r = process_walk_cpu_list(list, NULL, &max);
	if (r < 0)
		return r;
	words = max / BITS_PER_WORD + 1;
	m = calloc(words, sizeof(*m));
	if (!m)
		return -ENOMEM;
	process_walk_cpu_list(list, m, &max);
	*mask = m;
	*nbits = words * BITS_PER_WORD;
	return 0;
}

static int process_cpu_list_error(int r, const char *what, const char *list, struct herr *err)
{
	if (r == -ENOMEM)
		return herr_errno(err, r, "%s", what);
	if (r == -ERANGE)
		return herr_set(err, r, "%s: \"%s\": number above %d", what, list,
				PROCESS_CPU_LIST_MAX);
	return herr_set(err, r, "%s: invalid list \"%s\" (expected e.g. \"0-3,7\")", what, list);
}

int process_set_cpu_affinity(pid_t pid, const char *list, struct herr *err)
{
	_cleanup_free_ unsigned long *mask = NULL;
	size_t nbits;
	int r;

	r = process_parse_cpu_list(list, &mask, &nbits);
	if (r < 0)
		return process_cpu_list_error(r, "cpu list", list, err);
	if (sched_setaffinity(pid, nbits / CHAR_BIT, (cpu_set_t *)mask) < 0)
		return herr_sys(err, "sched_setaffinity to cpus %s", list);
	return 0;
}

static int process_set_initial_affinity(const struct spec_process *p, struct herr *err)
{
	const struct spec_cpu_affinity *a = p->exec_cpu_affinity;

	if (!a || !a->initial || !*a->initial)
		return 0;
	if (process_set_cpu_affinity(0, a->initial, err) < 0)
		return herr_wrap(err, "process.execCPUAffinity.initial");
	return 0;
}

int process_setup(const struct spec_process *p, struct herr *err)
{
	int r;

	/* rlimits first: RLIMIT_RTPRIO / RLIMIT_NICE bound what the scheduler may ask for. */
	if ((r = process_set_rlimits(p, err)) < 0 || (r = process_set_oom_score_adj(p, err)) < 0 ||
	    (r = process_set_scheduler(p, err)) < 0 || (r = process_set_io_priority(p, err)) < 0 ||
	    (r = process_set_initial_affinity(p, err)) < 0)
		return r;
	/* As runc: 0022 when the config sets none, not whatever husk was started with. */
	umask(p->user.umask.set ? (mode_t)(p->user.umask.v & 07777) : 0022);
	return 0;
}

/* ---- linux.personality, linux.memoryPolicy ---- */

int process_set_personality(const struct spec_personality *pers, struct herr *err)
{
	if (!pers)
		return 0;
	if (personality(pers->persona) < 0)
		return herr_sys(err, "linux.personality: personality %s", pers->domain);
	return 0;
}

int process_set_memory_policy(const struct spec_memory_policy *mp, struct herr *err)
{
	_cleanup_free_ unsigned long *mask = NULL;
	size_t nbits = 0;
	int r;

	if (!mp)
		return 0;
	if (mp->nodes && *mp->nodes) {
		r = process_parse_cpu_list(mp->nodes, &mask, &nbits);
		if (r < 0)
			return process_cpu_list_error(r, "linux.memoryPolicy.nodes", mp->nodes,
						      err);
	}
	/* The kernel reads maxnode - 1 bits. */
	if (syscall(SYS_set_mempolicy, mp->mode_num | (int)mp->flags_mask, mask,
		    nbits ? nbits + 1 : 0) < 0)
		return herr_sys(err, "linux.memoryPolicy: set_mempolicy %s%s%s", mp->mode,
				mask ? " nodes " : "", mask ? mp->nodes : "");
	return 0;
}

/* ---- user and capabilities ---- */

static bool process_is_dev_null(const struct stat *st)
{
	return S_ISCHR(st->st_mode) && st->st_rdev == makedev(1, 3);
}

/* As runc's fixStdioPermissions: stdio made outside the container should belong to the
 * container user, or it could not use its own console.  Where the owner is not ours to change
 * (EPERM: unmapped; EROFS) stdio is left alone. */
static int process_fix_stdio_owner(uid_t uid, struct herr *err)
{
	for (int fd = 0; fd <= 2; fd++) {
		struct stat st;

		if (fstat(fd, &st) < 0) {
			if (errno == EBADF)
				continue;
			return herr_sys(err, "fstat stdio fd %d", fd);
		}
		if (st.st_uid == uid || process_is_dev_null(&st))
			continue;
		if (fchown(fd, uid, (gid_t)-1) < 0 && errno != EPERM && errno != EROFS)
			return herr_sys(err, "chown stdio fd %d to uid %u", fd, (unsigned)uid);
	}
	return 0;
}

/* In a user namespace whose setgroups file says "deny" (unprivileged userns), setgroups(2) is
 * impossible; like runc, the supplementary groups are then left as they are. */
static bool process_setgroups_denied(void)
{
	_cleanup_close_ int fd = open("/proc/self/setgroups", O_RDONLY | O_CLOEXEC);
	char buf[8];
	ssize_t n;

	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	return strncmp(buf, "deny", 4) == 0;
}

static int process_set_ids(const struct spec_user *u, struct herr *err)
{
	/* Try first, look at /proc only on failure: the common case costs one syscall. */
	if (setgroups(u->n_additional_gids, (const gid_t *)u->additional_gids) < 0) {
		if (errno != EPERM || !process_setgroups_denied())
			return herr_sys(err, "process.user.additionalGids: setgroups");
		if (u->n_additional_gids)
			log_warn("process.user.additionalGids ignored: setgroups is denied in this "
				 "user namespace");
	}
	if (setresgid(u->gid, u->gid, u->gid) < 0) {
		if (errno == EINVAL)
			return herr_set(
			    err, -EINVAL,
			    "process.user.gid: cannot setgid to unmapped gid %u in user "
			    "namespace",
			    u->gid);
		return herr_sys(err, "process.user.gid: setresgid %u", u->gid);
	}
	if (setresuid(u->uid, u->uid, u->uid) < 0) {
		if (errno == EINVAL)
			return herr_set(
			    err, -EINVAL,
			    "process.user.uid: cannot setuid to unmapped uid %u in user "
			    "namespace",
			    u->uid);
		return herr_sys(err, "process.user.uid: setresuid %u", u->uid);
	}
	return 0;
}

int process_set_user(const struct spec_process *p, struct herr *err)
{
	/* Dropping root without PR_SET_KEEPCAPS would empty the permitted set before caps_apply()
	 * could choose from it; uid 0 keeps it anyway. */
	bool keep = p->user.uid != 0;
	struct caps_sets caps;
	int r;

	caps_from_spec(p->capabilities, &caps);
	r = caps_apply_bounding(&caps, err);
	if (r < 0)
		return herr_wrap(err, "process.capabilities.bounding");
	if (keep && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return herr_sys(err, "prctl PR_SET_KEEPCAPS");
	if ((r = process_fix_stdio_owner(p->user.uid, err)) < 0 ||
	    (r = process_set_ids(&p->user, err)) < 0)
		return r;
	if (keep && prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
		return herr_sys(err, "prctl PR_SET_KEEPCAPS");
	r = caps_apply(&caps, err);
	if (r < 0)
		return herr_wrap(err, "process.capabilities");
	return 0;
}

/* ---- cwd ---- */

/* CVE-2024-21626: a cwd such as /proc/self/fd/7 naming a directory fd leaked from the host
 * lands outside the container root; the kernel then reports the cwd as "(unreachable)/..."
 * (glibc turns that into ENOENT).  The path it reports must also name the very directory we
 * are in, seen from the container's root. */
static int process_verify_cwd(const char *cwd, struct herr *err)
{
	char buf[PATH_MAX];
	struct stat here, there;

	if (!getcwd(buf, sizeof(buf))) {
		if (errno == ENOENT)
			goto outside;
		return herr_sys(err, "process.cwd: getcwd");
	}
	if (buf[0] != '/')
		goto outside;
	if (stat(".", &here) < 0)
		return herr_sys(err, "process.cwd: stat %s", cwd);
	if (stat(buf, &there) < 0) {
		if (errno == EACCES)
			return 0; /* cannot look from the root; getcwd already vouched for it */
		goto outside;
	}
	if (here.st_dev != there.st_dev || here.st_ino != there.st_ino)
		goto outside;
	return 0;
outside:
	return herr_set(err, -EPERM, "process.cwd: %s is outside the container", cwd);
}

int process_chdir(const struct spec_process *p, struct herr *err)
{
	const char *cwd = p->cwd ? p->cwd : ".";

	if (p->cwd && chdir(p->cwd) < 0)
		return herr_sys(err, "process.cwd: chdir %s", p->cwd);
	return process_verify_cwd(cwd, err);
}

int process_set_no_new_privs(const struct spec_process *p, struct herr *err)
{
	if (p->no_new_privileges && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return herr_sys(err, "process.noNewPrivileges: prctl PR_SET_NO_NEW_PRIVS");
	return 0;
}

/* ---- exec ---- */

/* The last PATH= wins, as it does for runc (it sets each variable in turn). */
static const char *process_env_path(char *const *env)
{
	const char *path = NULL;

	for (; env && *env; env++)
		if (strncmp(*env, "PATH=", 5) == 0)
			path = *env + 5;
	return path ? path : PROCESS_DEFAULT_PATH;
}

/* Go's findExecutable: not a directory, some execute bit set. */
static bool process_is_executable(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && !S_ISDIR(st.st_mode) && (st.st_mode & 0111);
}

int process_find_executable(const char *file, char *const *env, char **out, struct herr *err)
{
	const char *dir = process_env_path(env);
	size_t flen = strlen(file);

	/* A name with a slash is used as is; execve reports what is wrong with it. */
	if (strchr(file, '/')) {
		*out = strdup(file);
		return *out ? 0 : herr_errno(err, ENOMEM, "exec %s", file);
	}
	/* An empty name would find directories only.  As Go's filepath.SplitList, "PATH=" lists
	 * no directory while an empty element of a longer list ("a::b", "a:") is ".". */
	while (flen && *dir) {
		size_t dlen = strcspn(dir, ":");
		_cleanup_free_ char *cand = NULL;

		if (asprintf(&cand, "%.*s/%s", dlen ? (int)dlen : 1, dlen ? dir : ".", file) < 0)
			return herr_errno(err, ENOMEM, "exec %s", file);
		if (process_is_executable(cand)) {
			*out = steal_pointer(&cand);
			return 0;
		}
		if (dir[dlen] == '\0')
			break;
		dir += dlen + 1;
		if (*dir == '\0') /* trailing ':' */
			dir = ".";
	}
	return herr_set(err, -ENOENT, "exec: \"%s\": executable file not found in $PATH", file);
}

static int process_check_executable(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EACCES; /* what execve says of a directory or a device */
	return access(path, X_OK) < 0 ? -errno : 0;
}

int process_exec(const struct spec_process *p, int stub_fd, struct herr *err)
{
	static char *const no_env[] = {NULL};
	_cleanup_free_ char *path = NULL;
	char *const *env = p->env ? p->env : no_env;
	int r;

	if (!p->args || !p->args[0])
		return herr_set(err, -EINVAL, "process.args: no command to run");
	r = process_find_executable(p->args[0], env, &path, err);
	if (r < 0)
		return r;
	/* The trampoline can't report why its execve failed: catch what execve would refuse. */
	r = process_check_executable(path);
	if (r < 0)
		return herr_errno(err, r, "exec %s", path);
	r = sealexec_execve(stub_fd, path, p->args, env);
	return herr_errno(err, r, "exec %s", path);
}
