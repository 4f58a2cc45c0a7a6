/* The last execve of a container process goes through a sealed memfd copy of a tiny
 * trampoline (linux/exec_stub.c) instead of straight from husk.
 *
 * Why: the init and `husk exec` are forks of husk, so until they exec, /proc/self/exe is the
 * host's husk binary.  A container whose command is /proc/self/exe (or a script with
 * #!/proc/self/exe) would otherwise run the host binary inside the container, where another
 * container process can take a handle to it and rewrite it once it exits (CVE-2019-5736).
 * With the trampoline, /proc/self/exe at that moment is the sealed memfd: the worst a
 * container can do is run or read a few hundred immutable bytes.  The cost is one memfd and
 * one exec of a tiny static program, not a re-exec of husk (crun's cloned binary: ~2 ms). */
#ifndef HUSK_LINUX_SEALEXEC_H
#define HUSK_LINUX_SEALEXEC_H

#include "util/error.h"

/* A sealed, close-on-exec memfd holding the trampoline.  Call before seccomp is loaded. */
int sealexec_prepare(struct herr *err);

/* execve(path, argv, envp) through the trampoline in stub_fd; returns only on failure
 * (-errno).  stub_fd < 0, or a kernel or seccomp profile without execveat: a plain execve. */
int sealexec_execve(int stub_fd, const char *path, char *const argv[], char *const envp[]);

#endif
