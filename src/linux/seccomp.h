/* seccomp filters through libseccomp, from linux.seccomp.
 * The filter is compiled before pivot_root (so libseccomp can read what it needs) and loaded
 * as the last step before execve, after the uid change.
 *
 * libseccomp only compiles: husk exports the BPF, prepends runc's -ENOSYS stub and loads it
 * with seccomp(2) itself (as runc's patchbpf does), so every flag the kernel knows works
 * whatever the libseccomp version (2.5.4 has no SCMP_FLTATR_CTL_WAITKILL).
 *
 * Call order in the container init (runc's):
 *
 *   seccomp_prepare()            before pivot_root; allocates, may fail with a config error
 *   ... process_set_user() etc.
 *   if (!noNewPrivileges) {      loading without no_new_privs needs CAP_SYS_ADMIN (in the
 *       seccomp_install();       container's user namespace): load while the init still
 *       drop capabilities;       holds it, i.e. before the capability drop
 *   } else {
 *       drop capabilities;
 *       prctl(PR_SET_NO_NEW_PRIVS);
 *       seccomp_install();       as late as possible: fewer syscalls run under the filter
 *   }
 *   hand the listener fd (if >= 0) to the parent, wait for its ack, close it
 *   ... READY, exec.fifo, execve()
 *
 * runc loads the filter before its "init done" sync in both branches, so the parent of
 * `runc create` is still there to forward the listener fd; the exec.fifo wait and execve run
 * under the filter.  husk must do the same at least when seccomp_uses_notify(): the parent of
 * `husk create` exits after READY.
 *
 * Everything the init does after seccomp_install() runs under the filter.  With a listener,
 * the init must pass the fd to the parent with a syscall the profile cannot route to the agent
 * (the agent does not have the fd yet): seccomp_prepare() refuses SCMP_ACT_NOTIFY for `write`
 * (runc's rule), so write the fd number over the sync socket and let the parent take it with
 * pidfd_getfd(2) (runc's way); a sendmsg(SCM_RIGHTS) works too unless the profile notifies on
 * sendmsg.  The parent then calls seccomp_send_notify_fd(). */
#ifndef HUSK_LINUX_SECCOMP_H
#define HUSK_LINUX_SECCOMP_H

#include <stdbool.h>
#include <stddef.h>

#include "spec/spec.h"
#include "util/error.h"

struct seccomp_prog;

/* Validate and compile.  Errors name the JSON path ("linux.seccomp.syscalls[3].args[0].index:
 * ...").  Syscall names unknown to libseccomp are skipped with a debug log (runc).  With
 * s->flags == NULL (no "flags" key) SECCOMP_FILTER_FLAG_SPEC_ALLOW is used when the kernel
 * supports it, as runc does; an explicit empty array (flags != NULL, n_flags == 0) sets none.
 * Runs in the init before pivot_root; does not need privileges. */
int seccomp_prepare(const struct spec_seccomp *s, struct seccomp_prog **out, struct herr *err);

/* Load the filter into the calling thread.  With SCMP_ACT_NOTIFY, *notify_fd receives the
 * listener fd (else -1).  Allocates nothing.  See the call order above. */
int seccomp_install(struct seccomp_prog *prog, int *notify_fd, struct herr *err);

void seccomp_prog_free(struct seccomp_prog *prog);

/* The SECCOMP_FILTER_FLAG_* bits seccomp_install() passes to seccomp(2) (debug, tests). */
unsigned int seccomp_prog_flags(const struct seccomp_prog *prog);

/* Number of BPF instructions, -ENOSYS stub included. */
unsigned int seccomp_prog_len(const struct seccomp_prog *prog);

/* Whether the profile has an SCMP_ACT_NOTIFY rule: the parent, which never compiles the
 * filter, uses it to know that the init will hand it a listener fd. */
bool seccomp_uses_notify(const struct spec_seccomp *s);

/* Send the container process state and notify_fd to the agent listening on the unix stream
 * socket listener_path (runtime-spec config-linux.md, "The Container Process State"): one
 * connection, one JSON document
 *   {"ociVersion":..,"fds":["seccompFd"],"pid":..,"metadata":..,"state":<state_json>}
 * with the fd in SCM_RIGHTS on the first sendmsg, then the connection is closed.  state_json
 * is the container state (runtime.md "State") as `husk state` prints it; ociVersion and pid
 * are taken from it.  metadata (listenerMetadata) may be NULL.  notify_fd is not closed. */
int seccomp_send_notify_fd(const char *listener_path, int notify_fd, const char *state_json,
			   const char *metadata, struct herr *err);

/* The name tables, for `husk features`: the i-th name, NULL past the end.  `known`: the
 * libseccomp husk was built with has the architecture; `supported`: the running kernel takes
 * the flag (probed). */
const char *seccomp_action_at(size_t i);
const char *seccomp_arch_at(size_t i, bool *known);
const char *seccomp_flag_at(size_t i, bool *supported);

#endif
