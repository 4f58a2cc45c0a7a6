/* The container lifecycle, as the OCI runtime spec and runc define it.  cmd/ calls only this
 * (and cgroup.h / state.h types for the commands that need them). */
#ifndef HUSK_CONTAINER_CONTAINER_H
#define HUSK_CONTAINER_CONTAINER_H

#include <stdbool.h>
#include <stdint.h>
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

/* exec: one more process in a created, running (or, with ignore_paused, paused) container, as
 * `runc exec`.  Without `process` (--process FILE), the process is the config's (saved at create
 * time) with the overrides below, as runc's getProcess. */
struct exec_args {
	const char *id;
	struct spec_process *process; /* --process, parsed; used as is */
	char **argv;                  /* the command, NULL-terminated; required without process */
	size_t argc;
	bool tty;                     /* --tty */
	const char *cwd;              /* --cwd */
	char **env;                   /* --env, appended */
	size_t n_env;
	bool uid_set, gid_set;        /* --user uid[:gid] */
	uint32_t uid, gid;
	uint32_t *additional_gids;    /* --additional-gids, appended */
	size_t n_additional_gids;
	char **caps;                  /* --cap: added to bounding, effective, permitted (and ambient
				       * when the config has an inheritable set) */
	size_t n_caps;
	int no_new_privs;             /* --no-new-privs: 1 / 0, -1 when not given */
	const char *apparmor;         /* --apparmor */
	const char *process_label;    /* --process-label */
	/* how to run it */
	const char *console_socket;
	const char *pidfd_socket;
	const char *pid_file;
	bool detach;
	bool ignore_paused;
	int preserve_fds;
	struct cgroup_sub *cgroups; /* --cgroup */
	size_t n_cgroups;
};

/* *exit_code: the process's exit code (128+N for signal N) in the foreground, 0 detached. */
int container_exec(const struct runtime_opts *o, const struct exec_args *args, int *exit_code,
		   struct herr *err);

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

/* The config.json saved in the state dir at create time (`update` needs its linux.devices);
 * *out is NULL when there is none.  spec_free() it. */
int container_saved_spec(const struct container *c, struct spec **out, struct herr *err);

/* runc's `state` JSON for an opened container (pretty-printed, no trailing newline). */
char *container_state_json(const struct container *c, bool pretty, size_t *len);

#endif
