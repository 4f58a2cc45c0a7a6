#include "container/hooks.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/fs.h"

#define HOOK_OUTPUT_MAX 2048

static long long hooks_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static _Noreturn void hooks_exec_child(const struct spec_hook *h, int in_fd, int out_fd)
{
	static char *const empty_env[] = { NULL };
	char *const default_argv[] = { h->path, NULL };

	if (dup2(in_fd, STDIN_FILENO) < 0 || dup2(out_fd, STDOUT_FILENO) < 0 ||
	    dup2(out_fd, STDERR_FILENO) < 0)
		_exit(126);
	sigset_t none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	execve(h->path, h->args ? h->args : default_argv, h->env ? h->env : empty_env);
	dprintf(STDERR_FILENO, "exec %s: %s", h->path, strerror(errno));
	_exit(127);
}

/* Wait for the hook, collecting its output, killing it at the deadline (-1: none). */
static int hooks_wait(pid_t pid, int out_fd, long long deadline, char *out, size_t *out_len,
		      int *status)
{
	_cleanup_close_ int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	bool timed_out = false;

	for (;;) {
		struct pollfd p[2] = { { pidfd, POLLIN, 0 }, { out_fd, POLLIN, 0 } };
		int timeout = -1;

		if (deadline >= 0) {
			long long left = deadline - hooks_now_ms();
			timeout = left > 0 ? (int)left : 0;
		}
		int n = poll(p, out_fd >= 0 ? 2 : 1, timeout);
		if (n < 0 && errno != EINTR)
			break;
		if (n == 0) {
			kill(pid, SIGKILL);
			timed_out = true;
			deadline = -1;
			continue;
		}
		if (out_fd >= 0 && (p[1].revents & (POLLIN | POLLHUP))) {
			char buf[512];
			ssize_t r = read(out_fd, buf, sizeof(buf));
			if (r <= 0) {
				out_fd = -1;
			} else {
				size_t room = HOOK_OUTPUT_MAX - 1 - *out_len;
				size_t take = (size_t)r < room ? (size_t)r : room;
				memcpy(out + *out_len, buf, take);
				*out_len += take;
			}
		}
		if (p[0].revents & POLLIN)
			break;
	}
	out[*out_len] = '\0';
	while (waitpid(pid, status, 0) < 0 && errno == EINTR)
		;
	return timed_out ? -ETIMEDOUT : 0;
}

static void hooks_write_state(int fd, const char *state_json)
{
	struct timespec zero = { 0, 0 };
	sigset_t pipe_set, old;

	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	sigprocmask(SIG_BLOCK, &pipe_set, &old);
	if (write_all(fd, state_json, strlen(state_json)) == -EPIPE && !sigismember(&old, SIGPIPE))
		while (sigtimedwait(&pipe_set, NULL, &zero) == SIGPIPE)
			;
	sigprocmask(SIG_SETMASK, &old, NULL);
}

static int hooks_run_one(const struct spec_hook *h, const char *kind, size_t idx,
			 const char *state_json, struct herr *err)
{
	_cleanup_close_ int in_r = -1, in_w = -1, out_r = -1, out_w = -1;
	int in[2], out[2], status = 0, r;
	char output[HOOK_OUTPUT_MAX];
	size_t out_len = 0;
	long long deadline = h->timeout.set ? hooks_now_ms() + h->timeout.v * 1000 : -1;
	pid_t pid;

	if (pipe2(in, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0)
		return herr_sys(err, "%s hook #%zu: pipe", kind, idx);
	in_r = in[0], in_w = in[1], out_r = out[0], out_w = out[1];
	pid = fork();
	if (pid < 0)
		return herr_sys(err, "%s hook #%zu: fork", kind, idx);
	if (pid == 0)
		hooks_exec_child(h, in_r, out_w);
	cleanup_closep(&in_r);
	cleanup_closep(&out_w);
	in_r = out_w = -1;
	/* A hook may exit without reading its stdin: EPIPE is not an error, and the SIGPIPE it
	 * raises is blocked and then discarded rather than killing husk. */
	hooks_write_state(in_w, state_json);
	cleanup_closep(&in_w);
	in_w = -1;
	r = hooks_wait(pid, out_r, deadline, output, &out_len, &status);
	if (r == -ETIMEDOUT)
		return herr_set(err, r, "%s hook #%zu (%s): timed out after %lld s", kind, idx,
				h->path, (long long)h->timeout.v);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFSIGNALED(status))
		return herr_set(err, -EIO, "%s hook #%zu (%s): killed by signal %d%s%s", kind, idx,
				h->path, WTERMSIG(status), out_len ? ", output: " : "", output);
	return herr_set(err, -EIO, "%s hook #%zu (%s): exit status %d%s%s", kind, idx, h->path,
			WEXITSTATUS(status), out_len ? ", output: " : "", output);
}

int hooks_run(const struct spec *spec, enum spec_hook_kind kind, const char *state_json,
	      struct herr *err)
{
	const struct spec_hooks *hooks = spec->hooks;

	if (!hooks)
		return 0;
	for (size_t i = 0; i < hooks->n[kind]; i++) {
		int r = hooks_run_one(&hooks->list[kind][i], spec_hook_name(kind), i, state_json,
				      err);
		if (r < 0)
			return r;
	}
	return 0;
}
