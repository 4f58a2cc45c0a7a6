/* Internal to container/: what create.c hands over once a `run` container is started. */
#ifndef HUSK_CONTAINER_LIFECYCLE_H
#define HUSK_CONTAINER_LIFECYCLE_H

#include <signal.h>

#include "container/container.h"
#include "linux/terminal.h"
#include "spec/spec.h"

/* A pidfd of the init the state names, or -ESRCH when that init is gone (its pid may be
 * reused: the start time read after pidfd_open settles which process the pidfd is of). */
int lifecycle_pidfd_open(const struct container_state *s);

/* Send START, run poststart hooks, and in the foreground forward signals, relay the terminal
 * (relay may be NULL), reap, and delete the container when it exits (unless --keep).
 * Releases the state lock in h. */
int lifecycle_run_started(const struct runtime_opts *o, const struct create_args *args,
			  const struct spec *spec, const char *bundle, struct state_handle *h, int sync_fd,
			  bool started, pid_t init_pid, const sigset_t *saved_mask, struct terminal_relay *relay,
			  int *exit_code, struct herr *err);

/* Foreground: forward signals to pid (SIGWINCH resizes the relay's pty instead), relay the
 * terminal when relay is not NULL, reap children until pid exits; *exit_code is its exit code
 * or 128+N for signal N.  Signals must be blocked already. */
int lifecycle_wait_foreground(pid_t pid, struct terminal_relay *relay, int *exit_code,
			      struct herr *err);

#endif
