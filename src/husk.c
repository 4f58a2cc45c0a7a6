/* husk: an OCI runtime with runc's command line.
 * main() parses the global options, dispatches to a command, and reports its error once. */
#include <errno.h>
#include <getopt.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "spec/spec.h"
#include "util/log.h"

/* Weak: a command whose file is not linked in reports itself as unavailable. */
#pragma weak cmd_exec
#pragma weak cmd_ps
#pragma weak cmd_pause
#pragma weak cmd_resume
#pragma weak cmd_update
#pragma weak cmd_events
#pragma weak cmd_features

typedef int (*cmd_fn)(const struct husk_global *g, int argc, char **argv, struct herr *err);

static const struct {
	const char *name;
	cmd_fn fn;
	const char *help;
} commands[] = {
	{ "create", cmd_create, "create a container" },
	{ "start", cmd_start, "executes the user defined process in a created container" },
	{ "state", cmd_state, "output the state of a container" },
	{ "kill", cmd_kill, "send a signal (default: SIGTERM) to the container's init process" },
	{ "delete", cmd_delete, "delete any resources held by the container" },
	{ "run", cmd_run, "create and run a container" },
	{ "list", cmd_list, "lists containers started by husk with the given root" },
	{ "spec", cmd_spec, "create a new specification file" },
	{ "exec", cmd_exec, "execute new process inside the container" },
	{ "ps", cmd_ps, "ps displays the processes running inside a container" },
	{ "pause", cmd_pause, "pause suspends all processes inside the container" },
	{ "resume", cmd_resume, "resumes all processes that have been previously paused" },
	{ "update", cmd_update, "update container resource constraints" },
	{ "events", cmd_events, "display container events such as OOM notifications and stats" },
	{ "features", cmd_features, "show the enabled features" },
};

enum { OPT_ROOT = 1000, OPT_LOG, OPT_LOG_FORMAT, OPT_DEBUG, OPT_SYSTEMD, OPT_ROOTLESS, OPT_CRIU };

static const struct option global_options[] = {
	{ "root", required_argument, NULL, OPT_ROOT },
	{ "log", required_argument, NULL, OPT_LOG },
	{ "log-format", required_argument, NULL, OPT_LOG_FORMAT },
	{ "debug", no_argument, NULL, OPT_DEBUG },
	{ "systemd-cgroup", no_argument, NULL, OPT_SYSTEMD },
	{ "rootless", required_argument, NULL, OPT_ROOTLESS },
	{ "criu", required_argument, NULL, OPT_CRIU },
	{ "version", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: husk [global options] command [command options] [arguments...]\n\n"
		   "global options:\n"
		   "   --root value        root directory for storage of container state "
		   "(default: /run/husk)\n"
		   "   --log value         set the log file to write husk logs to\n"
		   "   --log-format value  set the log format ('text' (default), or 'json')\n"
		   "   --debug             enable debug logging\n"
		   "   --systemd-cgroup    manage cgroups with systemd\n"
		   "   --rootless value    ignore cgroup permission errors ('true', 'false', or "
		   "'auto')\n"
		   "   --version, -v       print the version\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "   %-10s %s\n", commands[i].name, commands[i].help);
}

static void version(void)
{
	const struct scmp_version *v = seccomp_version();

	printf("husk version %s\nspec: %s\nlibseccomp: %u.%u.%u\n", PACKAGE_VERSION,
	       HUSK_SPEC_VERSION, v->major, v->minor, v->micro);
}

static int parse_global(int argc, char **argv, struct husk_global *g, struct herr *err)
{
	int c;

	while ((c = getopt_long(argc, argv, "+vh", global_options, NULL)) != -1) {
		switch (c) {
		case OPT_ROOT: g->root = optarg; break;
		case OPT_LOG: g->log = optarg; break;
		case OPT_LOG_FORMAT:
			if (strcmp(optarg, "text") && strcmp(optarg, "json"))
				return herr_set(err, -EINVAL, "invalid log-format: %s", optarg);
			g->log_format = strcmp(optarg, "json") ? LOG_FORMAT_TEXT : LOG_FORMAT_JSON;
			break;
		case OPT_DEBUG: g->debug = true; break;
		case OPT_SYSTEMD: g->systemd_cgroup = true; break;
		case OPT_ROOTLESS:
			if (strcmp(optarg, "true") && strcmp(optarg, "false") && strcmp(optarg, "auto"))
				return herr_set(err, -EINVAL, "invalid --rootless value: %s", optarg);
			g->rootless = !strcmp(optarg, "true") || (!strcmp(optarg, "auto") && geteuid());
			break;
		case OPT_CRIU: break; /* checkpoint/restore: accepted for runc compatibility */
		case 'v': version(); exit(0);
		case 'h': usage(stdout); exit(0);
		default:
			return herr_set(err, -EINVAL, "flag provided but not defined: %s",
					argv[optind - 1]);
		}
	}
	return 0;
}

static int dispatch(const struct husk_global *g, int argc, char **argv, struct herr *err)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[0], commands[i].name))
			continue;
		if (!commands[i].fn)
			return herr_set(err, -ENOSYS, "husk %s: not available in this build",
					argv[0]);
		return commands[i].fn(g, argc, argv, err);
	}
	return herr_set(err, -EINVAL, "unknown command \"%s\"", argv[0]);
}

int main(int argc, char **argv)
{
	struct husk_global g = { .root = "/run/husk", .log_format = LOG_FORMAT_TEXT };
	struct herr err = { 0 };
	int r;

	if (argc > 0)
		argv[0] = "husk"; /* getopt's messages would name the path */
	opterr = 0;
	r = parse_global(argc, argv, &g, &err);
	if (r == 0 && optind >= argc) {
		usage(stderr);
		return 1;
	}
	if (r == 0) {
		int lr = log_init(g.log, g.log_format, g.debug ? LOG_LEVEL_DEBUG : LOG_LEVEL_WARN);
		if (lr < 0)
			r = herr_errno(&err, lr, "open log file %s", g.log);
	}
	if (r == 0) {
		argc -= optind;
		argv += optind;
		r = dispatch(&g, argc, argv, &err);
	}
	if (r < 0) {
		log_error("%s", err.msg);
		return 1;
	}
	fflush(stdout);
	return r;
}
