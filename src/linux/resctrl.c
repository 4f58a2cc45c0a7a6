#include "linux/resctrl.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "util/cleanup.h"

bool resctrl_mounted(void)
{
	_cleanup_fclose_ FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[4096];

	/* "... - resctrl resctrl rw": the fs type follows the " - " separator */
	while (f && fgets(line, sizeof(line), f)) {
		const char *sep = strstr(line, " - ");
		if (sep && strncmp(sep + 3, "resctrl ", 8) == 0)
			return true;
	}
	return false;
}

int resctrl_check(const struct spec *spec, const char *name, struct herr *err)
{
	if (!spec->linux_ || !spec->linux_->intel_rdt)
		return 0;
	if (!resctrl_mounted())
		return herr_set(
		    err, -EINVAL,
		    "%s: linux.intelRdt: intelRdt is specified in config, but Intel RDT "
		    "is not enabled (no resctrl filesystem mounted at /sys/fs/resctrl)",
		    name);
	return herr_set(err, -EOPNOTSUPP, "%s: linux.intelRdt: Intel RDT is not supported by husk",
			name);
}
