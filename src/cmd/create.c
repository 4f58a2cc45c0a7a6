/* create and run share their flags: runc's command line. */
#include "cmd/args.h"

#include <stdio.h>

enum { OPT_CONSOLE = 1000, OPT_PIDFD, OPT_PIDFILE, OPT_NOPIVOT, OPT_NOKEYRING, OPT_PRESERVE,
       OPT_KEEP, OPT_NOSUBREAPER };

static const struct option create_options[] = {
	{ "bundle", required_argument, NULL, 'b' },
	{ "console-socket", required_argument, NULL, OPT_CONSOLE },
	{ "pidfd-socket", required_argument, NULL, OPT_PIDFD },
	{ "pid-file", required_argument, NULL, OPT_PIDFILE },
	{ "no-pivot", no_argument, NULL, OPT_NOPIVOT },
	{ "no-new-keyring", no_argument, NULL, OPT_NOKEYRING },
	{ "preserve-fds", required_argument, NULL, OPT_PRESERVE },
	/* run only */
	{ "detach", no_argument, NULL, 'd' },
	{ "keep", no_argument, NULL, OPT_KEEP },
	{ "no-subreaper", no_argument, NULL, OPT_NOSUBREAPER },
	{ NULL, 0, NULL, 0 },
};

static int create_parse(const char *cmd, bool run, int argc, char **argv, struct create_args *a,
			struct herr *err)
{
	int c, r;

	optind = 0;
	while ((c = getopt_long(argc, argv, run ? "+b:d" : "+b:", create_options, NULL)) != -1) {
		switch (c) {
		case 'b': a->bundle = optarg; break;
		case OPT_CONSOLE: a->console_socket = optarg; break;
		case OPT_PIDFD: a->pidfd_socket = optarg; break;
		case OPT_PIDFILE: a->pid_file = optarg; break;
		case OPT_NOPIVOT: a->no_pivot = true; break;
		case OPT_NOKEYRING: a->no_new_keyring = true; break;
		case OPT_PRESERVE:
			r = args_parse_uint("preserve-fds", optarg, &a->preserve_fds, err);
			if (r < 0)
				return r;
			break;
		case 'd':
		case OPT_KEEP:
		case OPT_NOSUBREAPER:
			if (!run)
				return args_bad_flag(cmd, argc, argv, err);
			if (c == 'd')
				a->detach = true;
			else if (c == OPT_KEEP)
				a->keep = true;
			else
				a->no_subreaper = true;
			break;
		default:
			return args_bad_flag(cmd, argc, argv, err);
		}
	}
	r = cmd_require_args(cmd, argc - optind, 1, 1, err);
	if (r < 0)
		return r;
	if (a->detach && a->keep)
		return herr_set(err, -EINVAL, "--detach and --keep cannot both be used");
	a->id = argv[optind];
	a->run = run;
	return 0;
}

CMD_DECLARE(create)
{
	struct runtime_opts o = args_runtime(g);
	struct create_args a = { 0 };
	int code, r = create_parse("create", false, argc, argv, &a, err);

	if (r < 0)
		return r;
	r = container_create(&o, &a, &code, err);
	return r < 0 ? r : 0;
}

CMD_DECLARE(run)
{
	struct runtime_opts o = args_runtime(g);
	struct create_args a = { 0 };
	int code = 0, r = create_parse("run", true, argc, argv, &a, err);

	if (r < 0)
		return r;
	r = container_create(&o, &a, &code, err);
	return r < 0 ? r : code;
}
