#include "container/init.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "container/hooks.h"
#include "cgroup/cgroup.h"
#include "container/sync.h"
#include "linux/keyring.h"
#include "linux/lsm.h"
#include "linux/procfs.h"
#include "linux/process.h"
#include "linux/rootfs.h"
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

char *init_hook_state(const struct spec *spec, const char *id, const char *bundle, pid_t pid,
		      enum container_status status)
{
	struct container_state s = {
		.id = (char *)id,
		.oci_version = spec->oci_version,
		.bundle = (char *)bundle,
		.pid = pid,
		.annotations = spec->annotations,
		.n_annotations = spec->n_annotations,
	};

	return state_to_json(&s, status, NULL, false, NULL);
}

static _Noreturn void init_fail(struct init_ctx *ctx, struct herr *err)
{
	if (sync_send_error(ctx->sync_fd, err) < 0)
		dprintf(STDERR_FILENO, "husk: %s\n", err->msg);
	_exit(1);
}

static int init_expect(struct init_ctx *ctx, enum sync_type type, struct sync_msg *m,
		       struct herr *err)
{
	int r = sync_expect(ctx->sync_fd, type, m, err);

	if (r == -EPIPE) /* husk is gone: nobody will start or clean up this container */
		_exit(1);
	return r;
}

static int init_write_time_offsets(const struct spec_linux *l, struct herr *err)
{
	char buf[256];
	size_t n = 0;

	for (size_t i = 0; i < l->n_time_offsets; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s %lld %u\n",
				      l->time_offsets[i].clock,
				      (long long)l->time_offsets[i].secs,
				      l->time_offsets[i].nanosecs);
	return write_file_at(AT_FDCWD, "/proc/self/timens_offsets", buf, err);
}

/* Namespaces created by unshare(): a new user namespace needs its maps from the parent, and a
 * new pid or time namespace takes effect in a child, which becomes the container init. */
static int init_enter_namespaces(struct init_ctx *ctx, struct herr *err)
{
	struct ns_plan *plan = ctx->plan;
	struct sync_msg m;
	int r;

	r = ns_plan_join_child(plan, err);
	if (r < 0)
		return r;
	if (plan->unshare_flags & CLONE_NEWUSER) {
		if (sync_send(ctx->sync_fd, SYNC_USERNS, 0, NULL) < 0)
			_exit(1);
		r = init_expect(ctx, SYNC_USERNS_DONE, &m, err);
		if (r < 0)
			return r;
	}
	if ((plan->unshare_flags & CLONE_NEWTIME) && ctx->spec->linux_->n_time_offsets) {
		r = init_write_time_offsets(ctx->spec->linux_, err);
		if (r < 0)
			return r;
	}
	if (plan->fork_after_unshare) {
		pid_t pid = fork();
		if (pid < 0)
			return herr_sys(err, "fork into the new pid namespace");
		if (pid > 0) {
			sync_send(ctx->sync_fd, SYNC_PID, pid, NULL);
			_exit(0);
		}
	}
	if (plan->new_user && (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0))
		return herr_sys(err, "become root in the user namespace (is 0 mapped?)");
	return 0;
}

/* Through a procfs husk checked: a file bound over /proc/sys/... must not get the value. */
static int init_sysctl(const struct spec_linux *l, struct herr *err)
{
	for (size_t i = 0; l && i < l->n_sysctl; i++) {
		char path[PATH_MAX];
		int n = snprintf(path, sizeof(path), "sys/%s", l->sysctl[i].key);
		for (char *p = path + 4; p < path + n; p++)
			if (*p == '.')
				*p = '/';
		int r = procfs_write(path, false, l->sysctl[i].value, err);
		if (r < 0)
			return herr_wrap(err, "linux.sysctl: %s", l->sysctl[i].key);
	}
	return 0;
}

/* As runc: the cwd is created (by root, before the uid change) when the image lacks it. */
static int init_make_cwd(const struct spec_process *p, struct herr *err)
{
	struct stat st;
	int r;

	if (stat(p->cwd, &st) == 0)
		return 0;
	r = mkdir_p(p->cwd, 0755, err);
	return r < 0 ? herr_wrap(err, "process.cwd") : 0;
}

/* HOME from the container's /etc/passwd when the config sets none ("/" when the user has no
 * entry), as runc does.  Returns the env to exec with: the config's, or a malloc'ed copy. */
static char **init_env_with_home(const struct spec_process *p)
{
	char line[1024], home[512] = "/";
	_cleanup_fclose_ FILE *f = NULL;
	char **env;

	for (size_t i = 0; i < p->n_env; i++)
		if (strncmp(p->env[i], "HOME=", 5) == 0)
			return p->env;
	f = fopen("/etc/passwd", "re");
	while (f && fgets(line, sizeof(line), f)) {
		/* name:password:uid:gid:gecos:home:shell */
		char *fields[7] = { 0 }, *rest = line;
		int n = 0;

		while (n < 7 && (fields[n] = strsep(&rest, ":\n")))
			n++;
		if (n >= 6 && *fields[2] && strtoul(fields[2], NULL, 10) == p->user.uid &&
		    *fields[5]) {
			snprintf(home, sizeof(home), "%s", fields[5]);
			break;
		}
	}
	env = calloc(p->n_env + 2, sizeof(*env));
	if (!env)
		return p->env;
	memcpy(env, p->env, p->n_env * sizeof(*env));
	if (asprintf(&env[p->n_env], "HOME=%s", home) < 0)
		env[p->n_env] = NULL;
	return env;
}

static bool init_has_hooks(const struct spec *spec)
{
	for (int k = 0; spec->hooks && k < SPEC_HOOK_NKINDS; k++)
		if (spec->hooks->n[k])
			return true;
	return false;
}

static int init_run_hooks(struct init_ctx *ctx, enum spec_hook_kind kind, pid_t host_pid,
			  struct herr *err)
{
	_cleanup_free_ char *state = NULL;

	if (!ctx->spec->hooks || !ctx->spec->hooks->n[kind])
		return 0;
	state = init_hook_state(ctx->spec, ctx->id, ctx->bundle, host_pid,
				kind == SPEC_HOOK_START_CONTAINER ? STATUS_CREATED : STATUS_CREATING);
	if (!state)
		return herr_set(err, -ENOMEM, "hooks: out of memory");
	return hooks_run(ctx->spec, kind, state, err);
}

/* In the container's namespaces, still root: a session keyring of its own unless
 * --no-new-keyring, and the parent moves linux.netDevices into the network namespace. */
static int init_keyring_and_netdevs(struct init_ctx *ctx, struct herr *err)
{
	const struct spec_linux *l = ctx->spec->linux_;
	struct sync_msg m;
	int r;

	if (!ctx->args->no_new_keyring) {
		r = keyring_join_session(ctx->id, ctx->plan->new_user ||
							  ctx->plan->join_fd[SPEC_NS_USER] >= 0,
					 err);
		if (r < 0)
			return r;
	}
	if (!l || !l->n_net_devices)
		return 0;
	if (sync_send(ctx->sync_fd, SYNC_NETDEV, 0, NULL) < 0)
		_exit(1);
	return init_expect(ctx, SYNC_NETDEV_DONE, &m, err);
}

/* Everything up to READY: the container is built and waits to be started. */
static int init_setup(struct init_ctx *ctx, struct rootfs_ctx *rc, pid_t *host_pid,
		      struct herr *err)
{
	const struct spec *spec = ctx->spec;
	struct sync_msg m;
	int r;

	r = init_enter_namespaces(ctx, err);
	if (r < 0)
		return r;
	r = init_keyring_and_netdevs(ctx, err);
	if (r < 0)
		return r;
	if (spec->hostname && sethostname(spec->hostname, strlen(spec->hostname)) < 0)
		return herr_sys(err, "hostname: set %s", spec->hostname);
	if (spec->domainname && setdomainname(spec->domainname, strlen(spec->domainname)) < 0)
		return herr_sys(err, "domainname: set %s", spec->domainname);
	log_debug("init: namespaces entered");
	r = rootfs_prepare(rc, err);
	if (r < 0)
		return r;
	log_debug("init: mounts done");
	if (init_has_hooks(spec)) {
		/* the parent runs prestart and createRuntime, and tells the init its host pid */
		if (sync_send(ctx->sync_fd, SYNC_HOOKS, 0, NULL) < 0)
			_exit(1);
		r = init_expect(ctx, SYNC_HOOKS_DONE, &m, err);
		if (r < 0)
			return r;
		*host_pid = m.value;
		r = init_run_hooks(ctx, SPEC_HOOK_CREATE_CONTAINER, *host_pid, err);
		if (r < 0)
			return r;
	}
	r = rootfs_pivot(rc, err);
	if (r < 0)
		return r;
	/* sysctls and the cwd before finalize: readonlyPaths usually covers /proc/sys */
	r = init_sysctl(spec->linux_, err);
	if (r < 0)
		return r;
	r = init_make_cwd(spec->process, err);
	if (r < 0)
		return r;
	r = rootfs_finalize(rc, err);
	if (r < 0)
		return r;
	log_debug("init: pivoted and finalized");
	if (spec->process->terminal) {
		/* from the container's own devpts, now that it is the root */
		r = terminal_setup_console(ctx->console_fd, spec->process->console_size, true, err);
		ctx->console_fd = -1;
		if (r < 0)
			return r;
	}
	/* both take effect at execve: errors show at create, as runc's */
	r = lsm_apparmor_exec(spec->process->apparmor_profile, err);
	if (r < 0)
		return herr_wrap(err, "process.apparmorProfile");
	r = lsm_selinux_exec(spec->process->selinux_label, err);
	if (r < 0)
		return herr_wrap(err, "process.selinuxLabel");
	r = process_setup(spec->process, err);
	if (r == 0 && spec->linux_ && spec->linux_->personality)
		r = process_set_personality(spec->linux_->personality, err);
	if (r == 0 && spec->linux_ && spec->linux_->memory_policy)
		r = process_set_memory_policy(spec->linux_->memory_policy, err);
	if (r < 0)
		return r;
	/* As runc: a missing executable fails create, not the container after start. */
	_cleanup_free_ char *exe = NULL;
	r = process_find_executable(spec->process->args[0], spec->process->env, &exe, err);
	return r < 0 ? herr_wrap(err, "process.args[0]") : 0;
}

/* exec.fifo: opening it for writing blocks until `husk start` opens it for reading. */
static int init_wait_fifo(struct init_ctx *ctx, struct herr *err)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", ctx->fifo_fd);
	do
		fd = open(path, O_WRONLY | O_CLOEXEC);
	while (fd < 0 && errno == EINTR);
	if (fd < 0)
		return herr_sys(err, "open exec fifo");
	if (write(fd, "0", 1) != 1) {
		close(fd);
		return herr_sys(err, "write exec fifo");
	}
	/* fd stays open, close-on-exec: `husk start` sees its end of file when the container's
	 * process is executing (or the init died), and only then runs the poststart hooks. */
	close(ctx->fifo_fd);
	return 0;
}

/* Socket activation (sd_listen_fds): LISTEN_FDS as husk got it, LISTEN_PID the process's own pid
 * as it sees it (1 in a new pid namespace, which is what runc always writes). */
static int init_listen_env(struct init_ctx *ctx, struct herr *err)
{
	struct spec_process *p = ctx->spec->process;
	char **env = arena_alloc(ctx->spec->arena, (p->n_env + 3) * sizeof(*env));
	char fds[32], pid[32];

	if (!env)
		return herr_set(err, -ENOMEM, "out of memory");
	snprintf(fds, sizeof(fds), "LISTEN_FDS=%d", ctx->listen_fds);
	snprintf(pid, sizeof(pid), "LISTEN_PID=%d", (int)getpid());
	for (size_t i = 0; i < p->n_env; i++)
		env[i] = p->env[i];
	env[p->n_env] = arena_strdup(ctx->spec->arena, fds);
	env[p->n_env + 1] = arena_strdup(ctx->spec->arena, pid);
	if (!env[p->n_env] || !env[p->n_env + 1])
		return herr_set(err, -ENOMEM, "out of memory");
	p->env = env;
	p->n_env += 2;
	return 0;
}

static int init_finish(struct init_ctx *ctx, struct seccomp_prog *prog, pid_t host_pid,
		       struct herr *err)
{
	const struct spec_process *p = ctx->spec->process;
	int notify_fd = -1;
	int r;

	/* Without no_new_privs, loading a filter needs CAP_SYS_ADMIN: load it while the init
	 * still has it, as runc does. */
	if (prog && !p->no_new_privileges) {
		r = seccomp_install(prog, &notify_fd, err);
		if (r < 0)
			return r;
	}
	r = process_set_user(p, err);
	if (r < 0)
		return r;
	if (ctx->fifo_fd >= 0) {
		r = init_wait_fifo(ctx, err);
		if (r < 0)
			return r;
	}
	r = init_run_hooks(ctx, SPEC_HOOK_START_CONTAINER, host_pid, err);
	if (r < 0)
		return r;
	r = process_chdir(p, err);
	if (r < 0)
		return r;
	r = process_set_no_new_privs(p, err);
	if (r < 0)
		return r;
	if (prog && p->no_new_privileges) {
		r = seccomp_install(prog, &notify_fd, err);
		if (r < 0)
			return r;
	}
	if (ctx->listen_fds && (r = init_listen_env(ctx, err)) < 0)
		return r;
	/* Only stdio, socket-activation fds and --preserve-fds reach the container process. */
	syscall(SYS_close_range, 3 + ctx->listen_fds + ctx->args->preserve_fds, ~0U,
		CLOSE_RANGE_CLOEXEC);
	sigprocmask(SIG_SETMASK, &ctx->saved_mask, NULL);
	struct spec_process with_home = *p;
	with_home.env = init_env_with_home(p);
	return process_exec(&with_home, ctx->stub_fd, err);
}

/* A filter with SCMP_ACT_NOTIFY is loaded before READY, so that the parent, still there, can
 * take the listener fd (pidfd_getfd) and send it to listenerPath with the state. */
static int init_seccomp_notify(struct init_ctx *ctx, struct seccomp_prog **prog,
			       struct herr *err)
{
	const struct spec_process *p = ctx->spec->process;
	struct sync_msg m;
	int notify_fd = -1, r;

	r = process_set_no_new_privs(p, err);
	if (r == 0)
		r = seccomp_install(*prog, &notify_fd, err);
	seccomp_prog_free(*prog);
	*prog = NULL;
	if (r < 0)
		return r;
	if (sync_send(ctx->sync_fd, SYNC_SECCOMP, notify_fd, NULL) < 0)
		_exit(1);
	r = init_expect(ctx, SYNC_SECCOMP_DONE, &m, err);
	close(notify_fd);
	return r;
}

_Noreturn void init_main(struct init_ctx *ctx)
{
	struct rootfs_ctx rc = {
		.spec = ctx->spec,
		.rootfs = ctx->rootfs,
		.bundle = ctx->bundle,
		.no_pivot = ctx->args->no_pivot,
		.new_userns = ctx->plan->new_user || ctx->plan->join_fd[SPEC_NS_USER] >= 0,
		.new_cgroupns = spec_find_ns(ctx->spec, SPEC_NS_CGROUP) != NULL,
		.console_slave_fd = -1,
		.rootfs_fd = -1,
		.mask_null_fd = -1,
	};
	struct seccomp_prog *prog = NULL;
	struct herr err = { 0 };
	struct sync_msg m;
	pid_t host_pid = 0;

	for (size_t i = 0; i < ARRAY_SIZE(ctx->close_fds); i++)
		if (ctx->close_fds[i] >= 0)
			close(ctx->close_fds[i]);
	if (cgroup_self_join(ctx->cgroup_fds, ctx->n_cgroup_fds, &err) < 0)
		init_fail(ctx, &err);
	/* No PR_SET_PDEATHSIG: the parent exits right after ACK/START, racing with the init
	 * clearing it.  Every wait on the sync socket ends the init when the parent is gone. */
	/* Not dumpable until execve: a process in a shared pid namespace must not ptrace us or
	 * open /proc/PID/exe, our host binary (CVE-2016-9962, CVE-2019-5736). */
	prctl(PR_SET_DUMPABLE, 0);
	if (ctx->wait_go) {
		if (init_expect(ctx, SYNC_GO, &m, &err) < 0)
			init_fail(ctx, &err);
		host_pid = m.value;
	}
	if (init_setup(ctx, &rc, &host_pid, &err) < 0)
		init_fail(ctx, &err);
	if (ctx->spec->linux_ && ctx->spec->linux_->seccomp &&
	    seccomp_prepare(ctx->spec->linux_->seccomp, &prog, &err) < 0)
		init_fail(ctx, &err);
	ctx->stub_fd = sealexec_prepare(&err);
	if (ctx->stub_fd < 0)
		init_fail(ctx, &err);
	if (prog && seccomp_uses_notify(ctx->spec->linux_->seccomp) &&
	    init_seccomp_notify(ctx, &prog, &err) < 0)
		init_fail(ctx, &err);
	if (sync_send(ctx->sync_fd, SYNC_READY, 0, NULL) < 0)
		_exit(1);
	if (init_expect(ctx, ctx->fifo_fd >= 0 ? SYNC_ACK : SYNC_START, &m, &err) < 0)
		init_fail(ctx, &err);
	if (ctx->fifo_fd >= 0) {
		/* create is done and gone: errors from here on go to the container's stderr */
		close(ctx->sync_fd);
		ctx->sync_fd = -1;
	}
	init_finish(ctx, prog, host_pid, &err);
	if (ctx->sync_fd < 0 || sync_send_error(ctx->sync_fd, &err) < 0)
		dprintf(STDERR_FILENO, "husk: %s\n", err.msg);
	_exit(127);
}
