#include "cmd/args.h"

#include <signal.h>

#include "util/signals.h"

static const struct option kill_options[] = {
	{ "all", no_argument, NULL, 'a' },
	{ NULL, 0, NULL, 0 },
};

CMD_DECLARE(kill)
{
	struct runtime_opts o = args_runtime(g);
	bool all = false;
	int c, r, sig = SIGTERM;

	optind = 0;
	while ((c = getopt_long(argc, argv, "+a", kill_options, NULL)) != -1) {
		if (c != 'a')
			return args_bad_flag("kill", argc, argv, err);
		all = true;
	}
	r = cmd_require_args("kill", argc - optind, 1, 2, err);
	if (r < 0)
		return r;
	if (argc - optind == 2) {
		sig = signal_parse(argv[optind + 1]);
		if (sig < 0)
			return herr_set(err, -EINVAL, "unknown signal \"%s\"", argv[optind + 1]);
	}
	return container_kill(&o, argv[optind], sig, all, err);
}
