/* Container state under --root (default /run/husk): one directory per container holding
 *   state.json  what husk needs later (pid, its start time, bundle, cgroup, ...), written
 *               atomically; its absence while the directory is locked means "creating"
 *   exec.fifo   present from create until start: the init blocks opening it for writing
 * The directory itself is the lock (flock): exclusive for commands that change the container,
 * shared for readers. */
#ifndef HUSK_STATE_STATE_H
#define HUSK_STATE_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "spec/spec.h"
#include "util/error.h"

#define STATE_ID_MAX 1024
#define STATE_FIFO "exec.fifo"

enum container_status {
	STATUS_CREATING,
	STATUS_CREATED,
	STATUS_RUNNING,
	STATUS_PAUSED,
	STATUS_STOPPED,
};

struct container_state {
	char *id;
	char *oci_version;
	char *bundle;
	char *rootfs;
	pid_t pid;
	unsigned long long pid_start; /* field 22 of /proc/PID/stat: tells a reused pid apart */
	char *created;                /* RFC 3339 with nanoseconds, UTC */
	char *cgroup_path;            /* cgroup_path() of the container's cgroup, or NULL */
	bool systemd_cgroup;
	bool rootless;
	struct spec_kv *annotations;
	size_t n_annotations;
	struct arena *arena;
};

struct state_handle {
	int root_fd;
	int dir_fd; /* the container directory, flock()ed */
	char id[STATE_ID_MAX + 1];
};

#define STATE_HANDLE_INIT { -1, -1, "" }

const char *state_status_name(enum container_status status);

/* Container IDs: [A-Za-z0-9][A-Za-z0-9_.+-]*, at most 1024 bytes (runc's rule, which also
 * keeps "..", "/" and empty IDs out of the state directory). */
int state_validate_id(const char *id, struct herr *err);

/* Open (and with create, make) the state root, mode 0700. */
int state_root_open(const char *root, bool create, int *root_fd, struct herr *err);

/* mkdir + exclusive lock: fails with "container with id X already exists". */
int state_create(int root_fd, const char *id, struct state_handle *h, struct herr *err);

/* Open + lock (exclusive or shared): fails with "container X does not exist". */
int state_open(int root_fd, const char *id, bool exclusive, struct state_handle *h,
	       struct herr *err);

void state_close(struct state_handle *h);

int state_save(struct state_handle *h, const struct container_state *s, struct herr *err);

/* -ENOENT (and no message) when state.json does not exist yet. */
int state_load(struct state_handle *h, struct container_state **out, struct herr *err);
void state_free(struct container_state *s);

/* Remove the container directory. */
int state_destroy(struct state_handle *h, struct herr *err);

/* created / running / stopped from exec.fifo and the pid (paused is the cgroup's to say). */
enum container_status state_status(const struct state_handle *h, const struct container_state *s);

/* The OCI state as runc prints it (`state`, hooks' stdin, list --format json entries):
 * ociVersion, id, pid (0 when stopped), status, bundle, rootfs, created, owner, annotations. */
char *state_to_json(const struct container_state *s, enum container_status status,
		    const char *owner, bool pretty, size_t *len);

/* Start time (field 22 of /proc/PID/stat) of a live pid; 0 when it is gone or a zombie. */
unsigned long long state_pid_start(pid_t pid);

/* Whether the init the state names is alive: its pid is there with the recorded start time
 * (a reused pid is not).  A state whose start time was never read is never alive. */
bool state_init_alive(const struct container_state *s);

/* RFC 3339 with nanoseconds, e.g. 2026-11-24T03:47:23.902932371Z */
void state_now_rfc3339(char *buf, size_t size);

/* The IDs under root_fd, sorted; NULL-terminated malloc'ed vector. */
int state_list_ids(int root_fd, char ***ids, struct herr *err);

#endif
