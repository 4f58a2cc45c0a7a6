#include "cmd/args.h"

#include <stdio.h>
#include <stdlib.h>

CMD_DECLARE(state)
{
	struct runtime_opts o = args_runtime(g);
	struct container *c = NULL;
	char *json;
	int r = cmd_require_args("state", argc - 1, 1, 1, err);

	if (r < 0)
		return r;
	r = container_open(&o, argv[1], false, &c, err);
	if (r < 0)
		return r;
	json = container_state_json(c, true, NULL);
	container_close(c);
	if (!json)
		return herr_set(err, -ENOMEM, "state: out of memory");
	fputs(json, stdout); /* runc prints no trailing newline */
	free(json);
	return 0;
}
