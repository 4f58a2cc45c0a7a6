/* The container lifecycle, as the OCI runtime spec and runc define it.  cmd/ calls only this
 * (and cgroup.h / state.h types for the commands that need them). */
#ifndef HUSK_CONTAINER_CONTAINER_H
#define HUSK_CONTAINER_CONTAINER_H

#include <stdbool.h>
#include <sys/types.h>

#include "cgroup/cgroup.h"
#include "state/state.h"
#include "util/error.h"

/* Global options every operation needs. */
struct runtime_opts {
	const char *root; /* --root */
	bool systemd_cgroup;
	bool rootless;
};

struct create_args {
	const char *id;
	const char *bundle; /* NULL: the current directory */
	const char *pid_file;
	const char *console_socket;
	const char *pidfd_socket;
	bool no_pivot;
	bool no_new_keyring;
	int preserve_fds;
	/* run only: */
	bool run;          /* start right away (no exec.fifo) */
	bool detach;       /* run -d */
	bool keep;         /* run --keep: don't delete after the container exits */
	bool no_subreaper; /* run --no-subreaper */
};

/* create, or run when args->run: then *exit_code is the container's exit code (128+N for
 * signal N) in the foreground, 0 when detached. */
int container_create(const struct runtime_opts *o, const struct create_args *args,
		     int *exit_code, struct herr *err);

int container_start(const struct runtime_opts *o, const char *id, struct herr *err);
int container_kill(const struct runtime_opts *o, const char *id, int sig, bool all,
		   struct herr *err);
int container_delete(const struct runtime_opts *o, const char *id, bool force, struct herr *err);

/* An opened container: locked state, loaded state file, derived status, cgroup (NULL when the
 * container has none).  For commands that read or act on a container (state, ps, pause, update,
 * events, exec). */
struct container {
	struct state_handle h;
	struct container_state *s; /* NULL while creating */
	enum container_status status;
	struct cgroup *cg;
	int root_fd;
};

int container_open(const struct runtime_opts *o, const char *id, bool exclusive,
		   struct container **out, struct herr *err);
void container_close(struct container *c);

/* runc's `state` JSON for an opened container (pretty-printed, no trailing newline). */
char *container_state_json(const struct container *c, bool pretty, size_t *len);

#endif
