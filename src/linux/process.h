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

#include <stddef.h>
#include <sys/types.h>

#include "spec/spec.h"
#include "util/error.h"

int process_setup(const struct spec_process *p, struct herr *err);
int process_set_user(const struct spec_process *p, struct herr *err);
int process_chdir(const struct spec_process *p, struct herr *err);
int process_set_no_new_privs(const struct spec_process *p, struct herr *err);
/* stub_fd: linux/sealexec.h's trampoline (or -1). */
int process_exec(const struct spec_process *p, int stub_fd, struct herr *err);


/* linux.personality and linux.memoryPolicy: they live in `linux`, not `process`, so the init
 * calls them next to process_setup(). */
int process_set_personality(const struct spec_personality *pers, struct herr *err);
int process_set_memory_policy(const struct spec_memory_policy *mp, struct herr *err);

/* "0-3,7" -> a malloc'ed bitmap of unsigned longs (the layout of cpu_set_t and of a
 * set_mempolicy nodemask), *nbits a multiple of the word size.  -EINVAL on bad syntax,
 * -ERANGE past 65535, -ENOMEM. */
int process_parse_cpu_list(const char *list, unsigned long **mask, size_t *nbits);

/* sched_setaffinity(pid) to a cpu list: execCPUAffinity.initial in process_setup(),
 * execCPUAffinity.final from the `husk exec` parent once the process is in the cgroup. */
int process_set_cpu_affinity(pid_t pid, const char *list, struct herr *err);

/* args[0] -> the path to execve, as Go's exec.LookPath with PATH taken from env (runc's default
 * PATH when env has none).  *out is malloc'ed. */
int process_find_executable(const char *file, char *const *env, char **out, struct herr *err);

#endif
