/* exec: a new process in an existing container, with one clone and no re-exec of husk.
 *
 * parent: open a pidfd of the container init (checked against its start time), find which of
 *   its namespaces differ from ours, enter its pid and time namespaces (they apply to children
 *   only), clone3 (CLONE_INTO_CGROUP on v2, CLONE_PIDFD), go back to our own pid and time
 *   namespaces, join v1 cgroups, set the final cpu affinity, send GO; then wait for the child's
 *   error or for its end of the sync socket to close on execve.
 * child: not dumpable first (CVE-2016-9962, CVE-2019-5736: a process in the container must not
 *   ptrace it or open /proc/PID/exe before execve), rlimits and the rest of process_setup()
 *   while it still has the host's privileges, setns(pidfd) into the remaining namespaces (the
 *   kernel enters the user namespace first), terminal, seccomp, user, cwd, no_new_privs,
 *   execve. */
#include "container/container.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "container/lifecycle.h"
#include "container/sync.h"
#include "linux/keyring.h"
#include "linux/lsm.h"
#include "linux/namespaces.h"
#include "linux/process.h"
#include "linux/sealexec.h"
#include "linux/seccomp.h"
#include "linux/terminal.h"
#include "util/arena.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/log.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

/* What runc puts in the payload of the --pidfd-socket message for an exec'd process. */
#define EXEC_PIDFD_NAME "setns"

struct exec_job {
	const struct exec_args *a;
	struct container *c;
	struct spec *spec;	      /* the config saved at create time */
	struct spec_process *p;	      /* the process to run */
	struct seccomp_prog *seccomp; /* compiled in the parent, loaded by the child */
	int init_pidfd;
	int ns_parent;	  /* CLONE_NEW* entered by the parent (pid, time) */
	int ns_child;	  /* CLONE_NEW* entered by the child */
	int own_ns[2];	  /* our pid and time namespaces, while the parent is away */
	int cgroup_fd;	  /* v2 (sub-)cgroup for CLONE_INTO_CGROUP, or -1 */
	int console_fd;	  /* child side: console socket or our socketpair end */
	int console_recv; /* parent side of the socketpair (foreground -t), or -1 */
	int pidfd_sock;
	int sync_fd;	/* parent end */
	int child_sync; /* child end */
	pid_t child;
	int child_pidfd;
	sigset_t saved_mask;
	bool join_keyring; /* the container has a session keyring of its own */
};

/* ---- the process: --process, or the config's with the flags (runc's getProcess) ---- */

static char **exec_strv_concat(struct arena *ar, char **a, size_t na, char **b, size_t nb)
{
	char **v = arena_alloc(ar, (na + nb + 1) * sizeof(*v));

	if (!v)
		return NULL;
	for (size_t i = 0; i < na; i++)
		v[i] = a[i];
	for (size_t i = 0; i < nb; i++)
		v[na + i] = b[i];
	return v;
}

static int exec_add_caps(struct arena *ar, struct spec_capabilities *caps, char **add, size_t n)
{
	static const enum spec_cap_set sets[] = {SPEC_CAP_BOUNDING, SPEC_CAP_EFFECTIVE,
						 SPEC_CAP_PERMITTED, SPEC_CAP_AMBIENT};

	for (size_t i = 0; i < ARRAY_SIZE(sets); i++) {
		enum spec_cap_set s = sets[i];
		/* ambient needs inheritable, which --cap does not add: only where the config has
		 * an inheritable set, as runc */
		if (s == SPEC_CAP_AMBIENT && !caps->names[SPEC_CAP_INHERITABLE])
			continue;
		caps->names[s] = exec_strv_concat(ar, caps->names[s], caps->n_names[s], add, n);
		if (!caps->names[s])
			return -ENOMEM;
		caps->n_names[s] += n;
	}
	return 0;
}

static int exec_override(struct exec_job *j, struct herr *err)
{
	const struct exec_args *a = j->a;
	struct arena *ar = j->spec->arena;
	struct spec_process *p = arena_alloc(ar, sizeof(*p));
	struct spec_user *u;

	if (!p)
		return herr_set(err, -ENOMEM, "out of memory");
	*p = *j->spec->process;
	u = &p->user;
	if (!a->argv || !a->argc)
		return herr_set(err, -EINVAL, "exec args cannot be empty");
	p->args = a->argv;
	p->n_args = a->argc;
	if (a->cwd)
		p->cwd = (char *)a->cwd;
	if (a->apparmor)
		p->apparmor_profile = (char *)a->apparmor;
	if (a->process_label)
		p->selinux_label = (char *)a->process_label;
	if (a->n_caps) {
		struct spec_capabilities *caps = arena_alloc(ar, sizeof(*caps));
		if (!caps)
			return herr_set(err, -ENOMEM, "out of memory");
		if (p->capabilities)
			*caps = *p->capabilities;
		p->capabilities = caps;
		if (exec_add_caps(ar, caps, a->caps, a->n_caps) < 0)
			return herr_set(err, -ENOMEM, "out of memory");
	}
	if (a->n_env) {
		p->env = exec_strv_concat(ar, p->env, p->n_env, a->env, a->n_env);
		if (!p->env)
			return herr_set(err, -ENOMEM, "out of memory");
		p->n_env += a->n_env;
	}
	p->terminal = a->tty; /* never the config's: only -t asks for one */
	if (a->no_new_privs >= 0)
		p->no_new_privileges = a->no_new_privs;
	if (a->uid_set)
		u->uid = a->uid;
	if (a->gid_set)
		u->gid = a->gid;
	if (a->n_additional_gids) {
		uint32_t *g =
		    arena_alloc(ar, (u->n_additional_gids + a->n_additional_gids) * sizeof(*g));
		if (!g)
			return herr_set(err, -ENOMEM, "out of memory");
		for (size_t i = 0; i < u->n_additional_gids; i++)
			g[i] = u->additional_gids[i];
		for (size_t i = 0; i < a->n_additional_gids; i++)
			g[u->n_additional_gids + i] = a->additional_gids[i];
		u->additional_gids = g;
		u->n_additional_gids += a->n_additional_gids;
	}
	j->p = p;
	return 0;
}

/* runc's validateProcessSpec. */
static int exec_validate(const struct spec_process *p, struct herr *err)
{
	if (!p->cwd || !*p->cwd)
		return herr_set(err, -EINVAL, "Cwd property must not be empty");
	if (p->cwd[0] != '/')
		return herr_set(err, -EINVAL, "Cwd must be an absolute path");
	if (!p->args || !p->n_args)
		return herr_set(err, -EINVAL, "args must not be empty");
	if (p->selinux_label && *p->selinux_label && !lsm_selinux_enabled())
		return herr_set(err, -EINVAL,
				"selinux label is specified in config, but selinux "
				"is disabled or not supported");
	return 0;
}

/* runc's checkTerminal. */
static int exec_check_terminal(const struct exec_args *a, bool terminal, struct herr *err)
{
	if (a->detach && terminal && !a->console_socket)
		return herr_set(err, -EINVAL,
				"cannot allocate tty if husk will detach without "
				"setting console socket");
	if ((!a->detach || !terminal) && a->console_socket)
		return herr_set(err, -EINVAL,
				"cannot use console socket if husk will not detach or "
				"allocate tty");
	return 0;
}

static int exec_load(struct exec_job *j, struct herr *err)
{
	_cleanup_free_ char *text = NULL;
	size_t len;
	int r;

	r = read_file_at(j->c->h.dir_fd, "config.json", &text, &len, err);
	if (r < 0)
		return herr_wrap(err, "container %s", j->c->h.id);
	r = spec_parse(text, len, "config.json", &j->spec, err);
	if (r < 0)
		return r;
	if (j->a->process)
		j->p = j->a->process;
	else if (!j->spec->process)
		return herr_set(err, -EINVAL, "config.json: process: missing");
	else if ((r = exec_override(j, err)) < 0)
		return r;
	r = exec_validate(j->p, err);
	if (r < 0)
		return r;
	r = exec_check_terminal(j->a, j->p->terminal, err);
	if (r < 0)
		return r;
	if (j->spec->linux_ && j->spec->linux_->seccomp)
		return seccomp_prepare(j->spec->linux_->seccomp, &j->seccomp, err);
	return 0;
}

/* ---- namespaces ---- */

static const struct {
	const char *name;
	int flag;
} exec_ns[] = {
    {"user", CLONE_NEWUSER},	 {"mnt", CLONE_NEWNS},	  {"pid", CLONE_NEWPID},
    {"net", CLONE_NEWNET},	 {"ipc", CLONE_NEWIPC},	  {"uts", CLONE_NEWUTS},
    {"cgroup", CLONE_NEWCGROUP}, {"time", CLONE_NEWTIME},
};

/* The pidfd of the init, checked to be the process the state names (not a reused pid). */
static int exec_open_init(struct exec_job *j, struct herr *err)
{
	const struct container_state *s = j->c->s;

	j->init_pidfd = lifecycle_pidfd_open(s);
	if (j->init_pidfd < 0) {
		j->init_pidfd = -1;
		return herr_set(err, -ESRCH, "cannot exec in a stopped container");
	}
	return 0;
}

/* Namespaces of the init that are not ours: joining ours would be a no-op, and for the user
 * namespace an error (EINVAL). */
static int exec_plan_ns(struct exec_job *j, struct herr *err)
{
	char path[64];

	for (size_t i = 0; i < ARRAY_SIZE(exec_ns); i++) {
		struct stat mine, theirs;

		snprintf(path, sizeof(path), "/proc/self/ns/%s", exec_ns[i].name);
		if (stat(path, &mine) < 0)
			continue; /* the kernel has no such namespace */
		snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)j->c->s->pid, exec_ns[i].name);
		if (stat(path, &theirs) < 0)
			return herr_sys(err, "container init: %s namespace", exec_ns[i].name);
		if (mine.st_ino == theirs.st_ino && mine.st_dev == theirs.st_dev)
			continue;
		if (exec_ns[i].flag & (CLONE_NEWPID | CLONE_NEWTIME))
			j->ns_parent |= exec_ns[i].flag;
		else
			j->ns_child |= exec_ns[i].flag;
	}
	return 0;
}

static int exec_enter_parent_ns(struct exec_job *j, struct herr *err)
{
	static const char *const own[] = {"/proc/self/ns/pid", "/proc/self/ns/time"};
	static const int flags[] = {CLONE_NEWPID, CLONE_NEWTIME};

	if (!j->ns_parent)
		return 0;
	for (size_t i = 0; i < ARRAY_SIZE(own); i++) {
		if (!(j->ns_parent & flags[i]))
			continue;
		j->own_ns[i] = open(own[i], O_RDONLY | O_CLOEXEC);
		if (j->own_ns[i] < 0)
			return herr_sys(err, "open %s", own[i]);
	}
	if (setns(j->init_pidfd, j->ns_parent) < 0)
		return herr_sys(err, "join the container's pid namespace");
	return 0;
}

static int exec_leave_parent_ns(struct exec_job *j, struct herr *err)
{
	for (size_t i = 0; i < ARRAY_SIZE(j->own_ns); i++) {
		if (j->own_ns[i] < 0)
			continue;
		if (setns(j->own_ns[i], 0) < 0)
			return herr_sys(err, "return to husk's own namespaces");
		cleanup_closep(&j->own_ns[i]);
		j->own_ns[i] = -1;
	}
	return 0;
}

/* ---- the child ---- */

/* The seccomp listener goes to the parent with SCM_RIGHTS; it tells the agent. */
static int exec_child_seccomp(struct exec_job *j, struct herr *err)
{
	int notify_fd = -1, r;

	r = seccomp_install(j->seccomp, &notify_fd, err);
	if (r < 0 || notify_fd < 0)
		return r;
	r = terminal_send_fd(j->child_sync, notify_fd, "seccomp", err);
	close(notify_fd);
	return r;
}

static int exec_child_setup(struct exec_job *j, struct herr *err)
{
	struct spec_process setup = *j->p;
	const struct spec_linux *l = j->spec->linux_;
	struct sync_msg m;
	int r, stub_fd;

	r = sync_expect(j->child_sync, SYNC_GO, &m, err);
	if (r < 0)
		return r;
	stub_fd = sealexec_prepare(err); /* before seccomp: see linux/sealexec.h */
	if (stub_fd < 0)
		return stub_fd;
	/* the parent set the initial affinity before clone and the final one since */
	setup.exec_cpu_affinity = NULL;
	/* rlimits (and oom_score_adj) while we still have the host's privileges: in the
	 * container's user namespace they could not be raised */
	r = process_setup(&setup, err);
	if (r < 0)
		return r;
	if (j->ns_child && setns(j->init_pidfd, j->ns_child) < 0)
		return herr_sys(err, "join the container's namespaces");
	if (j->join_keyring)
		keyring_join_existing(j->a->id); /* best effort, as runc's setns init */
	close(j->init_pidfd);
	/* as runc: every container process leads a session of its own */
	if (setsid() < 0)
		return herr_sys(err, "setsid");
	if (j->p->terminal) {
		r = terminal_setup_console(j->console_fd, j->p->console_size, false, err);
		j->console_fd = -1;
		if (r < 0)
			return r;
	}
	if (l && ((r = process_set_personality(l->personality, err)) < 0 ||
		  (r = process_set_memory_policy(l->memory_policy, err)) < 0))
		return r;
	/* without no_new_privs, loading a filter needs CAP_SYS_ADMIN: before the user change */
	if (j->seccomp && !j->p->no_new_privileges && (r = exec_child_seccomp(j, err)) < 0)
		return r;
	if ((r = process_set_user(j->p, err)) < 0 ||
	    (r = lsm_apparmor_exec(j->p->apparmor_profile, err)) < 0 ||
	    (r = lsm_selinux_exec(j->p->selinux_label, err)) < 0 ||
	    (r = process_chdir(j->p, err)) < 0 || (r = process_set_no_new_privs(j->p, err)) < 0)
		return r;
	if (j->seccomp && j->p->no_new_privileges && (r = exec_child_seccomp(j, err)) < 0)
		return r;
	/* only stdio and --preserve-fds reach the process */
	syscall(SYS_close_range, 3 + j->a->preserve_fds, ~0U, CLOSE_RANGE_CLOEXEC);
	prctl(PR_SET_PDEATHSIG, 0);
	sigprocmask(SIG_SETMASK, &j->saved_mask, NULL);
	return process_exec(j->p, stub_fd, err);
}

static _Noreturn void exec_child(struct exec_job *j)
{
	struct herr err = {0};

	prctl(PR_SET_DUMPABLE, 0);
	/* until execve, the child must not outlive husk (if husk is already gone, the wait for
	 * GO below sees the socket closed) */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	close(j->sync_fd);
	if (j->console_recv >= 0)
		close(j->console_recv);
	exec_child_setup(j, &err);
	if (sync_send_error(j->child_sync, &err) < 0)
		dprintf(STDERR_FILENO, "husk: %s\n", err.msg);
	_exit(127);
}

/* ---- the parent ---- */

static int exec_cgroup_target(struct exec_job *j, struct herr *err)
{
	const char *sub = NULL;

	if (!j->c->cg)
		return 0;
	for (size_t i = 0; i < j->a->n_cgroups; i++)
		if (!j->a->cgroups[i].controller)
			sub = j->a->cgroups[i].path;
	if (!sub)
		return 0; /* clone straight into the container's cgroup */
	j->cgroup_fd = cgroup_v2_open_sub(j->c->cg, sub, err);
	return j->cgroup_fd < -1 ? j->cgroup_fd : 0;
}

static int exec_sockets(struct exec_job *j, struct herr *err)
{
	int sv[2];

	if (j->p->terminal && j->a->console_socket) {
		j->console_fd =
		    terminal_connect_socket(j->a->console_socket, "--console-socket", err);
		if (j->console_fd < 0)
			return j->console_fd;
	} else if (j->p->terminal) {
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
			return herr_sys(err, "console socketpair");
		j->console_recv = sv[0];
		j->console_fd = sv[1];
	}
	if (j->a->pidfd_socket) {
		j->pidfd_sock = terminal_connect_socket(j->a->pidfd_socket, "--pidfd-socket", err);
		if (j->pidfd_sock < 0)
			return j->pidfd_sock;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return herr_sys(err, "socketpair");
	j->sync_fd = sv[0];
	j->child_sync = sv[1];
	return 0;
}

/* clone3 with stack 0 behaves like fork; CLONE_INTO_CGROUP falls back to cgroup.procs. */
static pid_t exec_clone(struct exec_job *j, bool *into_cgroup)
{
	int cg_fd = j->cgroup_fd >= 0 ? j->cgroup_fd : (j->c->cg ? cgroup_v2_fd(j->c->cg) : -1);
	struct clone_args ca = {
	    .flags = CLONE_PIDFD,
	    .pidfd = (uint64_t)(uintptr_t)&j->child_pidfd,
	    .exit_signal = SIGCHLD,
	};
	long pid;

	if (cg_fd >= 0) {
		ca.flags |= CLONE_INTO_CGROUP;
		ca.cgroup = (uint64_t)cg_fd;
	}
	pid = syscall(SYS_clone3, &ca, sizeof(ca));
	if (pid < 0 && cg_fd >= 0 && errno != ENOSYS) {
		/* e.g. EBUSY: a v2 cgroup with domain controllers and children */
		ca.flags &= ~(uint64_t)CLONE_INTO_CGROUP;
		cg_fd = -1;
		pid = syscall(SYS_clone3, &ca, sizeof(ca));
	}
	*into_cgroup = cg_fd >= 0;
	return (pid_t)pid;
}

static int exec_spawn(struct exec_job *j, struct herr *err)
{
	const struct spec_cpu_affinity *aff = j->p->exec_cpu_affinity;
	cpu_set_t own_cpus;
	bool into_cgroup = false, cpus_saved = false;
	sigset_t all;
	int r;

	r = exec_enter_parent_ns(j, err);
	if (r < 0)
		return r;
	/* the initial affinity is inherited, so the process starts there already */
	if (aff && aff->initial && *aff->initial) {
		cpus_saved = sched_getaffinity(0, sizeof(own_cpus), &own_cpus) == 0;
		r = process_set_cpu_affinity(0, aff->initial, err);
		if (r < 0)
			return herr_wrap(err, "process.execCPUAffinity.initial");
	}
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &j->saved_mask);
	j->child = exec_clone(j, &into_cgroup);
	if (j->child == 0)
		exec_child(j);
	if (j->child < 0)
		r = herr_sys(err, "clone");
	if (cpus_saved)
		sched_setaffinity(0, sizeof(own_cpus), &own_cpus);
	cleanup_closep(&j->child_sync);
	j->child_sync = -1;
	cleanup_closep(&j->console_fd);
	j->console_fd = -1;
	if (exec_leave_parent_ns(j, err) < 0 || r < 0)
		return r < 0 ? r : err->code;
	if (j->c->cg) {
		r = cgroup_enter_sub(j->c->cg, j->child, j->a->cgroups, j->a->n_cgroups,
				     into_cgroup, err);
		if (r < 0)
			return r;
	}
	if (aff && aff->final && *aff->final &&
	    process_set_cpu_affinity(j->child, aff->final, err) < 0)
		return herr_wrap(err, "process.execCPUAffinity.final");
	if (sync_send(j->sync_fd, SYNC_GO, 0, NULL) < 0)
		return herr_sys(err, "start the exec'd process");
	return 0;
}

static int exec_notify_agent(struct exec_job *j, int notify_fd, struct herr *err)
{
	const struct spec_seccomp *sc = j->spec->linux_ ? j->spec->linux_->seccomp : NULL;
	_cleanup_free_ char *state = NULL;

	if (!sc || !sc->listener_path)
		return herr_set(err, -EINVAL, "seccomp listenerPath is not set");
	state = container_state_json(j->c, false, NULL);
	if (!state)
		return herr_set(err, -ENOMEM, "out of memory");
	return seccomp_send_notify_fd(sc->listener_path, notify_fd, state, sc->listener_metadata,
				      err);
}

/* Until the child's end closes on execve: its error, or a seccomp listener fd. */
static int exec_wait_child(struct exec_job *j, struct herr *err)
{
	for (;;) {
		union {
			char buf[CMSG_SPACE(sizeof(int))];
			struct cmsghdr align;
		} u;
		struct sync_msg m;
		struct iovec iov = {.iov_base = &m, .iov_len = sizeof(m)};
		struct msghdr msg = {.msg_iov = &iov,
				     .msg_iovlen = 1,
				     .msg_control = u.buf,
				     .msg_controllen = sizeof(u.buf)};
		struct cmsghdr *c;
		ssize_t n = recvmsg(j->sync_fd, &msg, MSG_CMSG_CLOEXEC);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return herr_sys(err, "sync with the exec'd process");
		if (n == 0)
			return 0;
		c = CMSG_FIRSTHDR(&msg);
		if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
			_cleanup_close_ int fd = -1;
			int r;
			memcpy(&fd, CMSG_DATA(c), sizeof(int));
			r = exec_notify_agent(j, fd, err);
			if (r < 0)
				return r;
			continue;
		}
		if ((size_t)n > offsetof(struct sync_msg, text) && m.type == SYNC_ERROR) {
			sync_msg_end_text(&m, (size_t)n);
			return sync_msg_error(&m, err);
		}
		return herr_set(err, -EPROTO, "exec'd process sent message %u", m.type);
	}
}

static int exec_write_pid_file(const char *path, pid_t pid, struct herr *err)
{
	_cleanup_free_ char *dir = strdup(path);
	_cleanup_close_ int dfd = -1;
	char *slash = dir ? strrchr(dir, '/') : NULL;
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%d", (int)pid);

	if (!dir)
		return herr_set(err, -ENOMEM, "pid file: out of memory");
	if (slash)
		*slash = '\0';
	dfd = open(slash ? (*dir ? dir : "/") : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return herr_sys(err, "pid file %s", path);
	if (write_file_atomic_at(dfd, slash ? slash + 1 : dir, buf, (size_t)n, 0644, err) < 0)
		return herr_wrap(err, "pid file");
	return 0;
}

static int exec_started(struct exec_job *j, struct herr *err)
{
	int r;

	if (j->pidfd_sock >= 0) {
		r = terminal_send_fd(j->pidfd_sock, j->child_pidfd, EXEC_PIDFD_NAME, err);
		if (r < 0)
			return herr_wrap(err, "--pidfd-socket");
	}
	r = exec_wait_child(j, err);
	if (r < 0)
		return r;
	if (j->a->pid_file)
		return exec_write_pid_file(j->a->pid_file, j->child, err);
	return 0;
}

static void exec_job_free(struct exec_job *j)
{
	cleanup_closep(&j->init_pidfd);
	for (size_t i = 0; i < ARRAY_SIZE(j->own_ns); i++)
		cleanup_closep(&j->own_ns[i]);
	cleanup_closep(&j->cgroup_fd);
	cleanup_closep(&j->console_fd);
	cleanup_closep(&j->console_recv);
	cleanup_closep(&j->pidfd_sock);
	cleanup_closep(&j->sync_fd);
	cleanup_closep(&j->child_sync);
	cleanup_closep(&j->child_pidfd);
	if (j->seccomp)
		seccomp_prog_free(j->seccomp);
	spec_free(j->spec);
	container_close(j->c);
}

static int exec_check_status(const struct exec_job *j, struct herr *err)
{
	switch (j->c->status) {
	case STATUS_STOPPED:
		return herr_set(err, -EINVAL, "cannot exec in a stopped container");
	case STATUS_PAUSED:
		if (j->a->ignore_paused)
			return 0;
		return herr_set(
		    err, -EINVAL,
		    "cannot exec in a paused container (use --ignore-paused to override)");
	case STATUS_CREATING:
		return herr_set(err, -EINVAL, "cannot exec in a container that is being created");
	default:
		return 0;
	}
}

static int exec_steps(struct exec_job *j, const struct runtime_opts *o, struct herr *err)
{
	int r = container_open(o, j->a->id, false, &j->c, err);

	if (r < 0)
		return r;
	if ((r = exec_check_status(j, err)) < 0 || (r = exec_load(j, err)) < 0 ||
	    (r = exec_open_init(j, err)) < 0 || (r = exec_plan_ns(j, err)) < 0)
		return r;
	j->join_keyring = keyring_session_exists(j->a->id);
	/* the pidfd holds the init from here: no lock while the process starts and runs (it
	 * may wait in a frozen cgroup for `resume`, which needs the lock) */
	state_close(&j->c->h);
	if ((r = exec_cgroup_target(j, err)) < 0 || (r = exec_sockets(j, err)) < 0 ||
	    (r = exec_spawn(j, err)) < 0)
		return r;
	return exec_started(j, err);
}

int container_exec(const struct runtime_opts *o, const struct exec_args *args, int *exit_code,
		   struct herr *err)
{
	struct exec_job j = {
	    .a = args,
	    .init_pidfd = -1,
	    .own_ns = {-1, -1},
	    .cgroup_fd = -1,
	    .console_fd = -1,
	    .console_recv = -1,
	    .pidfd_sock = -1,
	    .sync_fd = -1,
	    .child_sync = -1,
	    .child_pidfd = -1,
	};
	struct terminal_relay relay = {.master = -1};
	int master = -1, r;

	*exit_code = 0;
	/* as create: only stdio and --preserve-fds of the caller's fds stay open */
	close_fds_from(3 + args->preserve_fds, log_fd());
	sigprocmask(SIG_BLOCK, NULL, &j.saved_mask);
	r = exec_steps(&j, o, err);
	if (r == 0 && j.console_recv >= 0)
		r = terminal_recv_fd(j.console_recv, &master, err);
	if (r < 0) {
		if (j.child > 0) {
			kill(j.child, SIGKILL);
			while (waitpid(j.child, NULL, 0) < 0 && errno == EINTR)
				;
		}
		sigprocmask(SIG_SETMASK, &j.saved_mask, NULL);
		exec_job_free(&j);
		return r;
	}
	if (args->detach) {
		sigprocmask(SIG_SETMASK, &j.saved_mask, NULL);
		exec_job_free(&j);
		return 0;
	}
	if (master >= 0 && (r = terminal_relay_start(&relay, master, err)) < 0)
		close(master);
	if (r == 0)
		r = lifecycle_wait_foreground(j.child, master >= 0 ? &relay : NULL, exit_code, err);
	if (master >= 0)
		terminal_relay_stop(&relay);
	sigprocmask(SIG_SETMASK, &j.saved_mask, NULL);
	exec_job_free(&j);
	return r;
}
