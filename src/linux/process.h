/* The container process's final steps, in the container init after pivot_root:
 *   process_setup()      rlimits, oomScoreAdj, scheduler, ioPriority, personality, umask,
 *                        execCPUAffinity, noNewPrivileges is NOT set here
 *   process_set_user()   bounding set, keepcaps, setgroups/setresgid/setresuid, then the
 *                        effective/permitted/inheritable/ambient sets (linux/caps.h)
 *   process_chdir()      cwd, as the container user, verified to be inside the container
 *   (seccomp goes here: linux/seccomp.h)
 *   process_exec()       PATH lookup in the container's env, execve; returns only on error */
#ifndef HUSK_LINUX_PROCESS_H
#define HUSK_LINUX_PROCESS_H

#include "spec/spec.h"
#include "util/error.h"

int process_setup(const struct spec_process *p, struct herr *err);
int process_set_user(const struct spec_process *p, struct herr *err);
int process_chdir(const struct spec_process *p, struct herr *err);
int process_set_no_new_privs(const struct spec_process *p, struct herr *err);
int process_exec(const struct spec_process *p, struct herr *err);

/* rlimit name <-> RLIMIT_* (the parser validates names with it). */
int process_rlimit_from_name(const char *name);

#endif
