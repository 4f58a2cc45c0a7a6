#include "cmd/args.h"

static const struct option delete_options[] = {
	{ "force", no_argument, NULL, 'f' },
	{ NULL, 0, NULL, 0 },
};

CMD_DECLARE(delete)
{
	struct runtime_opts o = args_runtime(g);
	bool force = false;
	int c, r;

	optind = 0;
	while ((c = getopt_long(argc, argv, "+f", delete_options, NULL)) != -1) {
		if (c != 'f')
			return args_bad_flag("delete", argc, argv, err);
		force = true;
	}
	r = cmd_require_args("delete", argc - optind, 1, -1, err);
	if (r < 0)
		return r;
	for (int i = optind; i < argc; i++) {
		r = container_delete(&o, argv[i], force, err);
		if (r < 0)
			return r;
	}
	return 0;
}
