#include "cmd/args.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

struct runtime_opts args_runtime(const struct husk_global *g)
{
	return (struct runtime_opts){
		.root = g->root,
		.systemd_cgroup = g->systemd_cgroup,
		.rootless = g->rootless,
	};
}

int cmd_require_args(const char *cmd, int argc, int min, int max, struct herr *err)
{
	if (min == max && argc != min)
		return herr_set(err, -EINVAL, "\"%s\" requires exactly %d argument(s)", cmd, min);
	if (argc < min)
		return herr_set(err, -EINVAL, "\"%s\" requires a minimum of %d argument(s)", cmd,
				min);
	if (max >= 0 && argc > max)
		return herr_set(err, -EINVAL, "\"%s\" requires a maximum of %d argument(s)", cmd,
				max);
	return 0;
}

int args_bad_flag(const char *cmd, int argc, char **argv, struct herr *err)
{
	const char *arg = (optind - 1 < argc && optind > 0) ? argv[optind - 1] : "?";

	return herr_set(err, -EINVAL, "%s: flag provided but not defined or missing its value: %s",
			cmd, arg);
}

int args_parse_uint(const char *flag, const char *value, int *out, struct herr *err)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(value, &end, 10);
	if (errno || *end || end == value || v < 0 || v > INT_MAX)
		return herr_set(err, -EINVAL, "invalid value \"%s\" for flag --%s", value, flag);
	*out = (int)v;
	return 0;
}
