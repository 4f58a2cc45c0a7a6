/* start, kill, delete, state, and the foreground half of run. */
#include "container/lifecycle.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "container/hooks.h"
#include "container/init.h"
#include "container/sync.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/log.h"

#define DELETE_KILL_TIMEOUT_MS 10000

int lifecycle_pidfd_open(const struct container_state *s)
{
	int fd = (int)syscall(SYS_pidfd_open, s->pid, 0);

	/* The pid may have been reused between reading the state and opening it: the start time
	 * read after pidfd_open settles which process the pidfd refers to. */
	if (fd >= 0 && !state_init_alive(s)) {
		close(fd);
		return -ESRCH;
	}
	return fd < 0 ? -errno : fd;
}

static int pidfd_signal(int pidfd, int sig)
{
	return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
}

/* Wait until the process behind pidfd exits, at most timeout_ms (-1: forever). */
static int pidfd_wait_exit(int pidfd, int timeout_ms)
{
	struct pollfd p = { pidfd, POLLIN, 0 };
	int n;

	do
		n = poll(&p, 1, timeout_ms);
	while (n < 0 && errno == EINTR);
	return n > 0 ? 0 : -ETIMEDOUT;
}

/* ---- open ---- */

int container_open(const struct runtime_opts *o, const char *id, bool exclusive,
		   struct container **out, struct herr *err)
{
	_cleanup_free_ struct container *c = calloc(1, sizeof(*c));
	int r;

	if (!c)
		return herr_set(err, -ENOMEM, "out of memory");
	c->h = (struct state_handle)STATE_HANDLE_INIT;
	r = state_validate_id(id, err);
	if (r < 0)
		return r;
	c->root_fd = open(o->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (c->root_fd < 0) {
		if (errno == ENOENT)
			return herr_set(err, -ENOENT, "container %s does not exist", id);
		return herr_sys(err, "open state root %s", o->root);
	}
	r = state_open(c->root_fd, id, exclusive, &c->h, err);
	if (r == 0) {
		r = state_load(&c->h, &c->s, err);
		if (r == -ENOENT)
			r = 0; /* being created: the creator holds the lock, or it died */
	}
	if (r == 0 && c->s && c->s->cgroup_path)
		r = cgroup_load(c->s->cgroup_path, c->s->systemd_cgroup, &c->cg, err);
	if (r < 0) {
		container_close(steal_pointer(&c));
		return r;
	}
	c->status = state_status(&c->h, c->s);
	if (c->cg && (c->status == STATUS_RUNNING || c->status == STATUS_CREATED)) {
		bool frozen = false;
		struct herr ignored = { 0 };
		if (cgroup_is_frozen(c->cg, &frozen, &ignored) == 0 && frozen)
			c->status = STATUS_PAUSED;
	}
	*out = steal_pointer(&c);
	return 0;
}

void container_close(struct container *c)
{
	if (!c)
		return;
	if (c->cg)
		cgroup_free(c->cg);
	state_free(c->s);
	state_close(&c->h);
	cleanup_closep(&c->root_fd);
	free(c);
}

char *container_state_json(const struct container *c, bool pretty, size_t *len)
{
	struct container_state creating = { .id = (char *)c->h.id };

	return state_to_json(c->s ? c->s : &creating, c->status, "", pretty, len);
}

int container_saved_spec(const struct container *c, struct spec **out, struct herr *err)
{
	_cleanup_free_ char *text = NULL;
	size_t len;
	int r;

	*out = NULL;
	r = read_file_at(c->h.dir_fd, "config.json", &text, &len, err);
	if (r < 0) {
		if (r == -ENOENT)
			herr_clear(err);
		return r == -ENOENT ? 0 : r;
	}
	return spec_parse(text, len, "config.json", out, err);
}

/* The config saved at create time, parsed only when it has hooks of `kind`. */
static int lifecycle_load_hooks_spec(const struct container *c, enum spec_hook_kind kind,
				     struct spec **out, struct herr *err)
{
	_cleanup_free_ char *text = NULL;
	char needle[32];
	size_t len;
	int r;

	*out = NULL;
	r = read_file_at(c->h.dir_fd, "config.json", &text, &len, err);
	if (r < 0)
		return r == -ENOENT ? 0 : r;
	snprintf(needle, sizeof(needle), "\"%s\"", spec_hook_name(kind));
	if (!strstr(text, needle))
		return 0;
	return spec_parse(text, len, "config.json", out, err);
}

static void lifecycle_warn_hooks(const struct container *c, enum spec_hook_kind kind,
				 enum container_status status)
{
	struct herr err = { 0 };
	struct spec *spec = NULL;
	char *state;

	if (lifecycle_load_hooks_spec(c, kind, &spec, &err) < 0) {
		log_warn("%s hooks: %s", spec_hook_name(kind), err.msg);
		return;
	}
	if (!spec)
		return;
	state = state_to_json(c->s, status, NULL, false, NULL);
	/* poststart and poststop failures are warnings: the lifecycle goes on (runtime.md) */
	if (state && hooks_run(spec, kind, state, &err) < 0)
		log_warn("%s", err.msg);
	free(state);
	spec_free(spec);
}

/* ---- start ---- */

static int lifecycle_status_error(const struct container *c, const char *what, struct herr *err)
{
	return herr_set(err, -EINVAL, "container %s: cannot %s a container in the %s state",
			c->h.id, what, state_status_name(c->status));
}

/* Open exec.fifo for reading without blocking, then wait until the init writes its byte
 * (or dies: then the fifo never gets a writer). */
static int lifecycle_open_fifo(struct container *c, struct herr *err)
{
	_cleanup_close_ int fifo = -1, pidfd = -1;
	char byte;

	/* The pidfd first: once the fifo is open the init may exec and exit at once. */
	pidfd = lifecycle_pidfd_open(c->s);
	if (pidfd < 0)
		return herr_set(err, -ESRCH, "container init of %s (pid %d) is gone", c->h.id,
				(int)c->s->pid);
	fifo = openat(c->h.dir_fd, STATE_FIFO, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fifo < 0)
		return herr_sys(err, "open %s", STATE_FIFO);
	for (;;) {
		struct pollfd p[2] = { { fifo, POLLIN, 0 }, { pidfd, POLLIN, 0 } };
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return herr_sys(err, "wait for container init");
		}
		if (p[0].revents & POLLIN) {
			if (read(fifo, &byte, 1) == 1)
				break;
		}
		if (p[1].revents & POLLIN)
			return herr_set(err, -ESRCH, "container init of %s exited before start",
					c->h.id);
	}
	if (unlinkat(c->h.dir_fd, STATE_FIFO, 0) < 0)
		return herr_sys(err, "remove %s", STATE_FIFO);
	/* The init keeps the fifo open until its execve (close-on-exec): its end of file means
	 * the startContainer hooks are done and the container's process runs (runtime.md:
	 * poststart hooks run after the user-specified process is executed). */
	for (;;) {
		struct pollfd p = { fifo, POLLIN, 0 };
		if (poll(&p, 1, -1) < 0 && errno != EINTR)
			return herr_sys(err, "wait for container init");
		if (read(fifo, &byte, 1) == 0 || (p.revents & POLLHUP))
			return 0;
	}
}

int container_start(const struct runtime_opts *o, const char *id, struct herr *err)
{
	struct container *c = NULL;
	int r = container_open(o, id, true, &c, err);

	if (r < 0)
		return r;
	switch (c->status) {
	case STATUS_CREATED:
		r = lifecycle_open_fifo(c, err);
		if (r == 0) {
			c->status = STATUS_RUNNING;
			lifecycle_warn_hooks(c, SPEC_HOOK_POSTSTART, STATUS_RUNNING);
		}
		break;
	case STATUS_STOPPED:
		r = herr_set(err, -EINVAL, "container %s: cannot start a container that has stopped",
			     id);
		break;
	case STATUS_RUNNING:
		r = herr_set(err, -EINVAL, "container %s: cannot start an already running container",
			     id);
		break;
	default:
		r = lifecycle_status_error(c, "start", err);
	}
	container_close(c);
	return r;
}

/* ---- kill ---- */

int container_kill(const struct runtime_opts *o, const char *id, int sig, bool all,
		   struct herr *err)
{
	struct container *c = NULL;
	int r = container_open(o, id, false, &c, err);

	if (r < 0)
		return r;
	if (c->status == STATUS_STOPPED || c->status == STATUS_CREATING) {
		r = herr_set(err, -ESRCH, "container not running");
	} else if (all && c->cg) {
		r = cgroup_signal_all(c->cg, sig, err);
	} else {
		_cleanup_close_ int pidfd = lifecycle_pidfd_open(c->s);
		if (pidfd < 0 || pidfd_signal(pidfd, sig) < 0)
			r = herr_set(err, -ESRCH, "container not running");
	}
	container_close(c);
	return r;
}

/* ---- delete ---- */

static int lifecycle_kill_and_wait(struct container *c, struct herr *err)
{
	_cleanup_close_ int pidfd = lifecycle_pidfd_open(c->s);

	if (pidfd >= 0) {
		if (pidfd_signal(pidfd, SIGKILL) < 0 && errno != ESRCH)
			return herr_sys(err, "kill container %s", c->h.id);
		if (pidfd_wait_exit(pidfd, DELETE_KILL_TIMEOUT_MS) < 0)
			return herr_set(err, -ETIMEDOUT, "container %s did not die", c->h.id);
	}
	c->status = STATUS_STOPPED;
	return 0;
}

static int lifecycle_destroy(struct container *c, struct herr *err)
{
	int r = 0;

	log_debug("delete: destroying");
	if (c->cg)
		r = cgroup_destroy(c->cg, err);
	log_debug("delete: cgroup removed");
	if (c->s)
		lifecycle_warn_hooks(c, SPEC_HOOK_POSTSTOP, STATUS_STOPPED);
	if (r == 0)
		r = state_destroy(&c->h, err);
	return r;
}

/* delete --force of a container whose state can't be read (a torn or foreign state.json):
 * remove its directory anyway, as runc does, so that the user is never stuck with it. */
static int lifecycle_remove_unreadable(const struct runtime_opts *o, const char *id,
				       struct herr *err)
{
	struct state_handle h = STATE_HANDLE_INIT;
	_cleanup_close_ int root_fd = open(o->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct herr why = *err;
	int r;

	if (root_fd < 0)
		return herr_sys(err, "open state root %s", o->root);
	r = state_open(root_fd, id, true, &h, err);
	if (r == 0) {
		log_warn("%s; removing its state directory", why.msg);
		r = state_destroy(&h, err);
	}
	state_close(&h);
	return r;
}

int container_delete(const struct runtime_opts *o, const char *id, bool force, struct herr *err)
{
	struct container *c = NULL;
	int r = container_open(o, id, true, &c, err);

	if (r < 0 && force && r != -ENOENT && state_validate_id(id, &(struct herr){ 0 }) == 0)
		return lifecycle_remove_unreadable(o, id, err);
	if (r < 0)
		return (force && r == -ENOENT) ? 0 : r;
	switch (c->status) {
	case STATUS_STOPPED:
	case STATUS_CREATING: /* we hold the lock: its creator died before saving the state */
		break;
	case STATUS_CREATED:
		r = lifecycle_kill_and_wait(c, err);
		break;
	default:
		if (!force)
			r = herr_set(err, -EBUSY,
				     "cannot delete container %s that is not stopped: %s", id,
				     state_status_name(c->status));
		else
			r = lifecycle_kill_and_wait(c, err);
	}
	if (r == 0)
		r = lifecycle_destroy(c, err);
	container_close(c);
	return r;
}

/* ---- run in the foreground ---- */

static int lifecycle_exit_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 255;
}

/* Reap what exited; true once pid is among it. */
static bool lifecycle_reap(pid_t pid, int *exit_code)
{
	for (;;) {
		int status;
		pid_t got = waitpid(-1, &status, WNOHANG);
		if (got <= 0)
			return false;
		if (got == pid) {
			*exit_code = lifecycle_exit_code(status);
			return true;
		}
	}
}

int lifecycle_wait_foreground(pid_t pid, struct terminal_relay *relay, int *exit_code,
			      struct herr *err)
{
	_cleanup_close_ int sfd = -1;
	sigset_t all;

	sigfillset(&all);
	sfd = signalfd(-1, &all, SFD_CLOEXEC);
	if (sfd < 0)
		return herr_sys(err, "signalfd");
	for (;;) {
		struct pollfd p[3] = { { sfd, POLLIN, 0 } };
		size_t n = 1 + (relay ? terminal_relay_pollfds(relay, p + 1) : 0);
		struct signalfd_siginfo si;

		if (poll(p, n, -1) < 0) {
			if (errno == EINTR)
				continue;
			return herr_sys(err, "poll");
		}
		if (relay)
			terminal_relay_io(relay, p + 1, n - 1);
		if (!(p[0].revents & POLLIN))
			continue;
		if (read(sfd, &si, sizeof(si)) != sizeof(si)) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return herr_sys(err, "read signalfd");
		}
		if (si.ssi_signo == SIGWINCH) { /* ours to act on, as runc: never forwarded */
			if (relay)
				terminal_relay_resize(relay);
		} else if (si.ssi_signo != SIGCHLD) {
			kill(pid, (int)si.ssi_signo);
		} else if (lifecycle_reap(pid, exit_code)) {
			return 0;
		}
	}
}

/* An error the init sent after START (e.g. its exec failed), if any. */
static int lifecycle_init_error(int sync_fd, struct herr *err)
{
	struct sync_msg m;
	struct pollfd p = { sync_fd, POLLIN, 0 };

	if (poll(&p, 1, 0) == 1 && sync_recv(sync_fd, &m) == 0 && m.type == SYNC_ERROR)
		return sync_msg_error(&m, err);
	return 0;
}

int lifecycle_run_started(const struct runtime_opts *o, const struct create_args *args,
			  const struct spec *spec, const char *bundle, struct state_handle *h,
			  int sync_fd, bool started, pid_t init_pid, const sigset_t *saved_mask,
			  struct terminal_relay *relay, int *exit_code, struct herr *err)
{
	int r;

	state_close(h); /* others may state/kill/exec the container from now on */
	if (!started && sync_send(sync_fd, SYNC_START, 0, NULL) < 0)
		return herr_sys(err, "start container init");
	if (spec->hooks && spec->hooks->n[SPEC_HOOK_POSTSTART]) {
		_cleanup_free_ char *state =
			init_hook_state(spec, args->id, bundle, init_pid, STATUS_RUNNING);
		struct herr herr = { 0 };
		if (state && hooks_run(spec, SPEC_HOOK_POSTSTART, state, &herr) < 0)
			log_warn("%s", herr.msg);
	}
	if (args->detach) {
		sigprocmask(SIG_SETMASK, saved_mask, NULL);
		return 0;
	}
	log_debug("run: started");
	r = lifecycle_wait_foreground(init_pid, relay, exit_code, err);
	if (r == 0)
		r = lifecycle_init_error(sync_fd, err);
	if (!args->keep) {
		struct herr derr = { 0 };
		if (container_delete(o, args->id, true, &derr) < 0 && r == 0)
			r = herr_set(err, derr.code, "%s", derr.msg);
	}
	return r;
}
