/* The command layer: one function per command, with runc's exact command line.
 * A command parses its own flags with getopt_long("+..."), so that flags stop at the first
 * positional argument as in runc (urfave/cli).  It returns the process exit code (>= 0), or a
 * negative errno with `err` filled, which main() reports once and turns into exit code 1. */
#ifndef HUSK_CMD_CMD_H
#define HUSK_CMD_CMD_H

#include <stdbool.h>

#include "util/error.h"
#include "util/log.h"

struct husk_global {
	const char *root; /* --root, default /run/husk */
	const char *log;  /* --log FILE or NULL */
	enum log_format log_format;
	bool debug;
	bool systemd_cgroup;
	bool rootless;
};

#define CMD_DECLARE(name)                                                                          \
	int cmd_##name(const struct husk_global *g, int argc, char **argv, struct herr *err)

CMD_DECLARE(create);
CMD_DECLARE(start);
CMD_DECLARE(state);
CMD_DECLARE(kill);
CMD_DECLARE(delete);
CMD_DECLARE(run);
CMD_DECLARE(list);
CMD_DECLARE(spec);
CMD_DECLARE(exec);
CMD_DECLARE(ps);
CMD_DECLARE(pause);
CMD_DECLARE(resume);
CMD_DECLARE(update);
CMD_DECLARE(events);
CMD_DECLARE(features);

/* "exactly N arguments" checks with runc's messages. */
int cmd_require_args(const char *cmd, int argc, int min, int max, struct herr *err);

#endif
