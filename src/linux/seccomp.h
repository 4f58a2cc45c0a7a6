/* seccomp filters through libseccomp, from linux.seccomp.
 * The filter is compiled before pivot_root (so libseccomp can read what it needs) and loaded
 * as the last step before execve, after the uid change. */
#ifndef HUSK_LINUX_SECCOMP_H
#define HUSK_LINUX_SECCOMP_H

#include "spec/spec.h"
#include "util/error.h"

struct seccomp_prog;

int seccomp_prepare(const struct spec_seccomp *s, struct seccomp_prog **out, struct herr *err);

/* Load the filter into the calling thread.  With SCMP_ACT_NOTIFY, *notify_fd receives the
 * listener fd (else -1). */
int seccomp_install(struct seccomp_prog *prog, int *notify_fd, struct herr *err);

void seccomp_prog_free(struct seccomp_prog *prog);

#endif
