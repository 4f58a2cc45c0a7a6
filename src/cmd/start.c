#include "cmd/args.h"

CMD_DECLARE(start)
{
	struct runtime_opts o = args_runtime(g);
	int r = cmd_require_args("start", argc - 1, 1, 1, err);

	if (r < 0)
		return r;
	return container_start(&o, argv[1], err);
}
