/* Shared bits of the command layer: runtime options from the global flags, the usage
 * errors, and integer flag values. */
#ifndef HUSK_CMD_ARGS_H
#define HUSK_CMD_ARGS_H

#include <errno.h>
#include <getopt.h>

#include "cmd/cmd.h"
#include "container/container.h"

struct runtime_opts args_runtime(const struct husk_global *g);

/* getopt_long's error for the last option, as runc phrases it. */
int args_bad_flag(const char *cmd, int argc, char **argv, struct herr *err);

/* A non-negative int flag value ("--preserve-fds 2"). */
int args_parse_uint(const char *flag, const char *value, int *out, struct herr *err);

#endif
