/* The container init: the clone()d child of husk, from clone to execve.  It shares nothing
 * with husk but copies of its memory; it talks to the parent only over the sync socket. */
#ifndef HUSK_CONTAINER_INIT_H
#define HUSK_CONTAINER_INIT_H

#include <signal.h>
#include <stdbool.h>

#include "container/container.h"
#include "linux/namespaces.h"
#include "spec/spec.h"

struct init_ctx {
	const struct spec *spec;
	const struct create_args *args;
	const char *bundle; /* absolute */
	const char *rootfs; /* absolute */
	const char *id;
	struct ns_plan *plan;
	bool wait_go;         /* wait for SYNC_GO (maps, cgroups) before setting up */
	int stub_fd;          /* linux/sealexec.h's trampoline, made before seccomp */
	int sync_fd;          /* the child's end of the sync socket */
	int fifo_fd;          /* O_PATH fd of exec.fifo, or -1 when run starts it directly */
	int console_fd;       /* process.terminal: where the pty master goes (console socket or
			       * husk's socketpair end), else -1 */
	int listen_fds;       /* socket activation: LISTEN_FDS fds from 3 on to pass, or 0 */
	int close_fds[4];     /* the parent's fds the child must drop at once (-1: none) */
	int *cgroup_fds;      /* v1 `tasks` files the init writes itself into first */
	size_t n_cgroup_fds;
	sigset_t saved_mask;  /* the signal mask to restore before exec */
};

_Noreturn void init_main(struct init_ctx *ctx);

/* The state JSON hooks get on stdin. */
char *init_hook_state(const struct spec *spec, const char *id, const char *bundle, pid_t pid,
		      enum container_status status);

#endif
