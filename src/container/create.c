/* create and run: the parent side of the start path (docs/DESIGN.md). */
#include "container/container.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "container/hooks.h"
#include "container/init.h"
#include "container/lifecycle.h"
#include "container/sync.h"
#include "linux/lsm.h"
#include "linux/namespaces.h"
#include "linux/netdev.h"
#include "linux/resctrl.h"
#include "linux/seccomp.h"
#include "linux/terminal.h"
#include "spec/spec.h"
#include "util/arena.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/log.h"

/* What a create has made so far, undone in reverse when it fails. */
struct create_job {
	const struct runtime_opts *o;
	const struct create_args *args;
	struct spec *spec;
	char bundle[PATH_MAX];
	char rootfs[PATH_MAX];
	char *config_text;
	size_t config_len;
	int root_fd;
	struct state_handle h;
	bool state_made;
	struct cgroup *cg;
	struct ns_plan plan;
	int sync_fd;
	int fifo_fd;
	int console_fd;   /* process.terminal: the init's way to send the pty master */
	int console_recv; /* foreground run: our end, the master arrives there */
	int listen_fds;   /* socket activation fds handed on */
	pid_t child;    /* what clone returned */
	pid_t init_pid; /* the container init (the child, or its child after a pidns fork) */
	unsigned long long init_start; /* its start time, read while it waits for START */
	bool init_waits_go; /* the parent has work to do between clone and the init's setup */
	bool started;       /* run: SYNC_START already sent */
	int cgroup_fds[16]; /* v1 `tasks` files the init joins itself through */
	size_t n_cgroup_fds;
	sigset_t saved_mask;
};

static int create_load_config(struct create_job *j, struct herr *err)
{
	_cleanup_close_ int dfd = -1;
	int r;

	if (!realpath(j->args->bundle ? j->args->bundle : ".", j->bundle))
		return herr_sys(err, "bundle %s", j->args->bundle ? j->args->bundle : ".");
	dfd = open(j->bundle, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return herr_sys(err, "bundle %s", j->bundle);
	r = read_file_at(dfd, "config.json", &j->config_text, &j->config_len, err);
	if (r == -ENOENT)
		return herr_set(err, r, "bundle %s: config.json not found", j->bundle);
	if (r < 0)
		return herr_wrap(err, "bundle %s", j->bundle);
	r = spec_parse(j->config_text, j->config_len, "config.json", &j->spec, err);
	if (r < 0)
		return r;
	if (!j->spec->process)
		return herr_set(err, -EINVAL, "config.json: process: required to create a container");
	if (!spec_find_ns(j->spec, SPEC_NS_MOUNT))
		return herr_set(err, -EINVAL,
				"config.json: linux.namespaces: a mount namespace is required");
	if ((r = lsm_check_spec(j->spec, "config.json", err)) < 0 ||
	    (r = resctrl_check(j->spec, "config.json", err)) < 0)
		return r;
	/* runc's checkTerminal */
	if (j->spec->process->terminal && !j->args->console_socket &&
	    (!j->args->run || j->args->detach))
		return herr_set(err, -EINVAL, "cannot allocate tty if husk will detach without "
					      "setting console socket");
	if (j->args->console_socket && (!j->spec->process->terminal ||
					(j->args->run && !j->args->detach)))
		return herr_set(err, -EINVAL, "cannot use console socket if husk will not detach or "
					      "allocate tty");
	{
		char path[PATH_MAX];
		const char *p = j->spec->root->path;
		if (p[0] != '/')
			snprintf(path, sizeof(path), "%s/%s", j->bundle, p);
		else
			snprintf(path, sizeof(path), "%s", p);
		if (!realpath(path, j->rootfs))
			return herr_sys(err, "config.json: root.path: %s", path);
	}
	return 0;
}

static int create_save_config(struct create_job *j, struct herr *err)
{
	_cleanup_close_ int fd =
		openat(j->h.dir_fd, "config.json", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	int r;

	if (fd < 0)
		return herr_sys(err, "save config.json");
	r = write_all(fd, j->config_text, j->config_len);
	return r < 0 ? herr_errno(err, r, "save config.json") : 0;
}

static int create_state_dir(struct create_job *j, struct herr *err)
{
	int r = state_root_open(j->o->root, true, &j->root_fd, err);

	if (r < 0)
		return r;
	r = state_create(j->root_fd, j->args->id, &j->h, err);
	if (r < 0)
		return r;
	j->state_made = true;
	/* exec/start/delete need the config as it was at create time, not as the bundle is now.
	 * No temp file and fsync: nobody reads it before state.json exists. */
	r = create_save_config(j, err);
	if (r < 0 || j->args->run)
		return r;
	if (mkfifoat(j->h.dir_fd, STATE_FIFO, 0622) < 0)
		return herr_sys(err, "create %s", STATE_FIFO);
	fchmodat(j->h.dir_fd, STATE_FIFO, 0622, 0); /* whatever the umask */
	j->fifo_fd = openat(j->h.dir_fd, STATE_FIFO, O_PATH | O_CLOEXEC);
	if (j->fifo_fd < 0)
		return herr_sys(err, "open %s", STATE_FIFO);
	return 0;
}

static int create_cgroup(struct create_job *j, struct herr *err)
{
	const struct spec_linux *l = j->spec->linux_;
	struct cgroup_opts co = {
		.id = j->args->id,
		.cgroups_path = l ? l->cgroups_path : NULL,
		.systemd = j->o->systemd_cgroup,
		.rootless = j->o->rootless,
	};

	return cgroup_create(&co, l ? l->resources : NULL, l ? l->devices : NULL,
			     l ? l->n_devices : 0, &j->cg, err);
}

static int create_write_map(pid_t pid, const char *file, const struct spec_id_mapping *m,
			    size_t n, struct herr *err)
{
	char path[64], buf[4096];
	size_t len = 0;

	for (size_t i = 0; i < n && len < sizeof(buf); i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%u %u %u\n",
					m[i].container_id, m[i].host_id, m[i].size);
	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	return write_file_at(AT_FDCWD, path, buf, err);
}

static int create_write_id_maps(struct create_job *j, pid_t pid, struct herr *err)
{
	const struct spec_linux *l = j->spec->linux_;
	int r;

	if (!l->n_uid_mappings || !l->n_gid_mappings)
		return herr_set(err, -EINVAL,
				"config.json: linux.uidMappings: required with a new user namespace");
	r = create_write_map(pid, "uid_map", l->uid_mappings, l->n_uid_mappings, err);
	if (r < 0)
		return herr_wrap(err, "linux.uidMappings");
	r = create_write_map(pid, "gid_map", l->gid_mappings, l->n_gid_mappings, err);
	if (r < 0)
		return herr_wrap(err, "linux.gidMappings");
	return 0;
}

/* clone3 with stack 0 behaves like fork: the child returns here on a copy of our stack. */
static pid_t create_clone(struct create_job *j, bool *into_cgroup)
{
	int cg_fd = j->cg ? cgroup_v2_fd(j->cg) : -1;
	struct clone_args ca = {
		.flags = (uint64_t)j->plan.clone_flags,
		.exit_signal = SIGCHLD,
	};
	long pid;

	if (cg_fd >= 0) {
		ca.flags |= CLONE_INTO_CGROUP;
		ca.cgroup = (uint64_t)cg_fd;
	}
	/* The child reads init_waits_go from its copy of our memory: set it per attempt.  The
	 * parent's work after clone: uid/gid maps, the v2 cgroup clone3 could not enter. */
	j->init_waits_go = j->plan.clone_flags & CLONE_NEWUSER;
	pid = syscall(SYS_clone3, &ca, sizeof(ca));
	if (pid < 0 && (errno == ENOSYS || errno == E2BIG || (cg_fd >= 0 && errno == EBUSY))) {
		ca.flags &= ~(uint64_t)CLONE_INTO_CGROUP;
		j->init_waits_go = j->init_waits_go || cg_fd >= 0;
		cg_fd = -1;
		pid = syscall(SYS_clone, (unsigned long)j->plan.clone_flags | SIGCHLD, NULL, NULL,
			      NULL, NULL);
	}
	*into_cgroup = cg_fd >= 0;
	return (pid_t)pid;
}

/* Connected before clone: after pivot_root the init could not reach the socket's path. */
static int create_console(struct create_job *j, struct herr *err)
{
	int sv[2];

	if (!j->spec->process->terminal)
		return 0;
	if (j->args->console_socket) {
		j->console_fd = terminal_connect_socket(j->args->console_socket, "--console-socket",
							err);
		return j->console_fd < 0 ? j->console_fd : 0;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return herr_sys(err, "console socketpair");
	j->console_recv = sv[0];
	j->console_fd = sv[1];
	return 0;
}

/* Socket activation, as runc: LISTEN_FDS fds from 3 on when LISTEN_PID names us. */
static int create_listen_fds(void)
{
	const char *pid = getenv("LISTEN_PID"), *fds = getenv("LISTEN_FDS");
	int n;

	if (!pid || !fds || atoi(pid) != getpid())
		return 0;
	n = atoi(fds);
	return n > 0 ? n : 0;
}

static void create_close_cgroup_fds(struct create_job *j)
{
	for (size_t i = 0; i < j->n_cgroup_fds; i++)
		close(j->cgroup_fds[i]);
	j->n_cgroup_fds = 0;
}

static int create_spawn(struct create_job *j, struct herr *err)
{
	int sv[2], r;
	bool into_cgroup = false;
	sigset_t all;

	r = ns_plan_build(j->spec, &j->plan, err);
	if (r < 0)
		return r;
	if (j->cg) {
		r = cgroup_open_self_join(j->cg, j->cgroup_fds, ARRAY_SIZE(j->cgroup_fds),
					  &j->n_cgroup_fds, err);
		if (r < 0)
			return r;
	}
	r = create_console(j, err);
	if (r < 0)
		return r;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return herr_sys(err, "socketpair");
	j->sync_fd = sv[0];
	r = ns_plan_join_parent(&j->plan, err);
	if (r < 0) {
		close(sv[1]);
		return r;
	}
	/* Signals stay blocked in the parent (a foreground run forwards them through a
	 * signalfd); the init restores the caller's mask before exec. */
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &j->saved_mask);
	log_debug("create: clone");
	j->child = create_clone(j, &into_cgroup);
	if (j->child > 0)
		log_debug("create: cloned");
	if (j->child == 0) {
		struct init_ctx ctx = {
			.spec = j->spec,
			.args = j->args,
			.bundle = j->bundle,
			.rootfs = j->rootfs,
			.id = j->args->id,
			.plan = &j->plan,
			.wait_go = j->init_waits_go,
			.sync_fd = sv[1],
			.fifo_fd = j->fifo_fd,
			.console_fd = j->console_fd,
			.listen_fds = j->listen_fds,
			.close_fds = { sv[0], j->h.dir_fd, j->root_fd, j->console_recv },
			.cgroup_fds = j->cgroup_fds,
			.n_cgroup_fds = j->n_cgroup_fds,
			.saved_mask = j->saved_mask,
		};
		init_main(&ctx);
	}
	close(sv[1]);
	cleanup_closep(&j->console_fd);
	j->console_fd = -1;
	if (j->child < 0)
		return herr_sys(err, "clone container init");
	j->init_pid = j->child;
	r = ns_plan_restore_parent(&j->plan, err);
	if (r < 0)
		return r;
	if ((j->plan.clone_flags & CLONE_NEWUSER) && (r = create_write_id_maps(j, j->child, err)) < 0)
		return r;
	create_close_cgroup_fds(j);
	if (j->cg && (r = cgroup_enter(j->cg, j->child,
				       CGROUP_SKIP_V1 | (into_cgroup ? CGROUP_SKIP_V2 : 0), err)) < 0)
		return r;
	if (j->init_waits_go && sync_send(j->sync_fd, SYNC_GO, j->child, NULL) < 0)
		return herr_sys(err, "start container init");
	return 0;
}

static int create_parent_hooks(struct create_job *j, struct herr *err)
{
	_cleanup_free_ char *state =
		init_hook_state(j->spec, j->args->id, j->bundle, j->init_pid, STATUS_CREATING);
	int r;

	if (!state)
		return herr_set(err, -ENOMEM, "hooks: out of memory");
	r = hooks_run(j->spec, SPEC_HOOK_PRESTART, state, err);
	if (r == 0)
		r = hooks_run(j->spec, SPEC_HOOK_CREATE_RUNTIME, state, err);
	return r;
}

/* Take the init's seccomp listener fd and hand it to the agent at listenerPath, with the
 * container state (runtime-spec config-linux.md, "seccomp"). */
static int create_seccomp_notify(struct create_job *j, int child_fd, struct herr *err)
{
	const struct spec_seccomp *sc = j->spec->linux_->seccomp;
	_cleanup_close_ int pidfd = (int)syscall(SYS_pidfd_open, j->init_pid, 0);
	_cleanup_close_ int fd = -1;
	_cleanup_free_ char *state = NULL;

	if (pidfd < 0)
		return herr_sys(err, "linux.seccomp: open the container init");
	fd = (int)syscall(SYS_pidfd_getfd, pidfd, child_fd, 0);
	if (fd < 0)
		return herr_sys(err, "linux.seccomp: take the notify fd from the container init");
	state = init_hook_state(j->spec, j->args->id, j->bundle, j->init_pid, STATUS_CREATING);
	if (!state)
		return herr_set(err, -ENOMEM, "linux.seccomp: out of memory");
	return seccomp_send_notify_fd(sc->listener_path, fd, state, sc->listener_metadata, err);
}

/* Serve the init's requests until it is READY. */
static int create_serve(struct create_job *j, struct herr *err)
{
	struct sync_msg m;
	int r;

	for (;;) {
		r = sync_recv(j->sync_fd, &m);
		if (r < 0)
			return herr_set(err, r, "container init exited before it was ready");
		switch (m.type) {
		case SYNC_USERNS:
			r = create_write_id_maps(j, j->child, err);
			if (r < 0)
				return r;
			sync_send(j->sync_fd, SYNC_USERNS_DONE, 0, NULL);
			break;
		case SYNC_PID:
			j->init_pid = m.value;
			break;
		case SYNC_HOOKS:
			r = create_parent_hooks(j, err);
			if (r < 0)
				return r;
			sync_send(j->sync_fd, SYNC_HOOKS_DONE, j->init_pid, NULL);
			break;
		case SYNC_SECCOMP:
			r = create_seccomp_notify(j, m.value, err);
			if (r < 0)
				return r;
			sync_send(j->sync_fd, SYNC_SECCOMP_DONE, 0, NULL);
			break;
		case SYNC_NETDEV:
			r = netdev_move_all(j->spec->linux_, j->init_pid, err);
			if (r < 0)
				return r;
			sync_send(j->sync_fd, SYNC_NETDEV_DONE, 0, NULL);
			break;
		case SYNC_READY:
			return 0;
		case SYNC_ERROR:
			return sync_msg_error(&m, err);
		default:
			return herr_set(err, -EPROTO, "container init sent message %u", m.type);
		}
	}
}

static int create_save_state(struct create_job *j, struct herr *err)
{
	char created[64];
	struct container_state s = {
		.id = (char *)j->args->id,
		.oci_version = j->spec->oci_version,
		.bundle = j->bundle,
		.rootfs = j->rootfs,
		.pid = j->init_pid,
		.pid_start = j->init_start,
		.created = created,
		.cgroup_path = j->cg ? (char *)cgroup_path(j->cg) : NULL,
		.systemd_cgroup = j->o->systemd_cgroup,
		.rootless = j->o->rootless,
		.annotations = j->spec->annotations,
		.n_annotations = j->spec->n_annotations,
	};
	int r;

	state_now_rfc3339(created, sizeof(created));
	r = state_save(&j->h, &s, err);
	if (r < 0)
		return r;
	if (j->args->pid_file) {
		char pid[32];
		int n = snprintf(pid, sizeof(pid), "%d", (int)j->init_pid);
		_cleanup_free_ char *dir = strdup(j->args->pid_file);
		char *slash = dir ? strrchr(dir, '/') : NULL;
		_cleanup_close_ int dfd = -1;
		if (!dir)
			return herr_set(err, -ENOMEM, "pid file: out of memory");
		if (slash)
			*slash = '\0';
		dfd = open(slash ? (*dir ? dir : "/") : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd < 0)
			return herr_sys(err, "pid file %s", j->args->pid_file);
		r = write_file_atomic_at(dfd, slash ? slash + 1 : dir, pid, (size_t)n, 0644, err);
		if (r < 0)
			return herr_wrap(err, "pid file");
	}
	return 0;
}

/* Undo a failed create: kill the init, remove the cgroup and the state directory. */
static void create_abort(struct create_job *j)
{
	struct herr ignored = { 0 };

	if (j->child > 0) {
		kill(j->child, SIGKILL);
		if (j->init_pid != j->child)
			kill(j->init_pid, SIGKILL);
		while (waitpid(j->child, NULL, 0) < 0 && errno == EINTR)
			;
	}
	if (j->cg)
		cgroup_destroy(j->cg, &ignored);
	if (j->state_made)
		state_destroy(&j->h, &ignored);
}

static void create_job_free(struct create_job *j)
{
	if (j->cg)
		cgroup_free(j->cg);
	ns_plan_close(&j->plan);
	create_close_cgroup_fds(j);
	cleanup_closep(&j->sync_fd);
	cleanup_closep(&j->fifo_fd);
	cleanup_closep(&j->console_fd);
	cleanup_closep(&j->console_recv);
	state_close(&j->h);
	cleanup_closep(&j->root_fd);
	spec_free(j->spec);
	free(j->config_text);
}

/* --pidfd-socket: a pidfd of the container init, named as runc names it. */
static int create_send_pidfd(struct create_job *j, struct herr *err)
{
	_cleanup_close_ int sock = -1, pidfd = -1;

	if (!j->args->pidfd_socket)
		return 0;
	sock = terminal_connect_socket(j->args->pidfd_socket, "--pidfd-socket", err);
	if (sock < 0)
		return sock;
	pidfd = (int)syscall(SYS_pidfd_open, j->init_pid, 0);
	if (pidfd < 0)
		return herr_sys(err, "--pidfd-socket: pidfd_open %d", (int)j->init_pid);
	return terminal_send_fd(sock, pidfd, "standard", err);
}

static int create_steps(struct create_job *j, struct herr *err)
{
	int r = create_load_config(j, err);

	if (r < 0)
		return r;
	log_debug("create: config.json parsed");
	r = create_state_dir(j, err);
	if (r < 0)
		return r;
	log_debug("create: state directory made");
	r = create_cgroup(j, err);
	if (r < 0)
		return r;
	log_debug("create: cgroup made");
	r = create_spawn(j, err);
	if (r < 0)
		return r;
	log_debug("create: init cloned, pid %d", (int)j->child);
	r = create_serve(j, err);
	if (r < 0)
		return r;
	log_debug("create: init ready");
	/* Read now, while the init waits: after START a short-lived command may be gone before
	 * the state is saved, and a state without a start time would never read as stopped. */
	j->init_start = state_pid_start(j->init_pid);
	if (!j->init_start)
		return herr_set(err, -ESRCH, "container init %d exited before start",
				(int)j->init_pid);
	/* run: start the container first and save its state while it runs; the state lock keeps
	 * every other command out until the state is there.  (With a terminal the relay must be
	 * set up before the start.) */
	if (j->args->run && j->console_recv < 0) {
		if (sync_send(j->sync_fd, SYNC_START, 0, NULL) < 0)
			return herr_sys(err, "start container init");
		j->started = true;
	}
	r = create_save_state(j, err);
	if (r < 0)
		return r;
	log_debug("create: state saved");
	return create_send_pidfd(j, err);
}

int container_create(const struct runtime_opts *o, const struct create_args *args,
		     int *exit_code, struct herr *err)
{
	struct create_job j = {
		.o = o,
		.args = args,
		.root_fd = -1,
		.h = STATE_HANDLE_INIT,
		.sync_fd = -1,
		.fifo_fd = -1,
		.console_fd = -1,
		.console_recv = -1,
	};
	struct terminal_relay relay = { .master = -1 };
	int master = -1, r;

	/* Nothing else the caller left open is husk's business or the container's: closed
	 * before husk opens its own, so the init starts with husk's fds alone (CVE-2024-21626,
	 * and a low RLIMIT_NOFILE still leaves it room). */
	j.listen_fds = create_listen_fds();
	close_fds_from(3 + j.listen_fds + args->preserve_fds, log_fd());
	for (int t = 0; t < SPEC_NS_NTYPES; t++)
		j.plan.join_fd[t] = -1;
	j.plan.parent_saved[0] = j.plan.parent_saved[1] = -1;
	*exit_code = 0;
	if (args->run && !args->detach && !args->no_subreaper)
		prctl(PR_SET_CHILD_SUBREAPER, 1);
	r = create_steps(&j, err);
	if (r < 0) {
		create_abort(&j);
		create_job_free(&j);
		return r;
	}
	if (!args->run) {
		sync_send(j.sync_fd, SYNC_ACK, 0, NULL);
		create_job_free(&j);
		return 0;
	}
	/* foreground with a terminal: the init sent the pty master before READY */
	if (j.console_recv >= 0) {
		r = terminal_recv_fd(j.console_recv, &master, err);
		if (r == 0 && (r = terminal_relay_start(&relay, master, err)) < 0)
			close(master);
		if (r < 0) {
			create_abort(&j);
			create_job_free(&j);
			return r;
		}
	}
	r = lifecycle_run_started(o, args, j.spec, j.bundle, &j.h, j.sync_fd, j.started, j.init_pid,
				  &j.saved_mask, master >= 0 ? &relay : NULL, exit_code, err);
	if (master >= 0)
		terminal_relay_stop(&relay);
	create_job_free(&j);
	return r;
}
