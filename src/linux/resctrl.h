/* Intel RDT (linux.intelRdt) through the resctrl filesystem.  husk does not apply it yet: a
 * config that asks for it is refused rather than run without it. */
#ifndef HUSK_LINUX_RESCTRL_H
#define HUSK_LINUX_RESCTRL_H

#include <stdbool.h>

#include "spec/spec.h"
#include "util/error.h"

/* A resctrl filesystem is mounted (runc looks for it in /proc/self/mountinfo). */
bool resctrl_mounted(void);

/* Before clone: linux.intelRdt set is an error naming the path and the cause (resctrl not
 * mounted, as runc >= 1.2 says; else husk's lack of support).  `name` prefixes the path. */
int resctrl_check(const struct spec *spec, const char *name, struct herr *err);

#endif
