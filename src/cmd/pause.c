/* pause / resume: freeze and thaw every process of the container (freezer.state on v1,
 * cgroup.freeze on v2). */
#include "cmd/args.h"

static int pause_or_resume(const struct husk_global *g, const char *cmd, bool freeze, int argc,
			   char **argv, struct herr *err)
{
	struct runtime_opts o = args_runtime(g);
	struct container *c = NULL;
	int r = cmd_require_args(cmd, argc - 1, 1, 1, err);

	if (r < 0)
		return r;
	r = container_open(&o, argv[1], true, &c, err);
	if (r < 0)
		return r;
	if (freeze && c->status != STATUS_RUNNING)
		r = herr_set(err, -EINVAL, "container not running");
	else if (!freeze && c->status != STATUS_PAUSED)
		r = herr_set(err, -EINVAL, "container not paused");
	else if (!c->cg)
		r = herr_set(err, -ENOTSUP, "container %s has no cgroup to %s", argv[1], cmd);
	else
		r = cgroup_freeze(c->cg, freeze, err);
	container_close(c);
	return r < 0 ? r : 0;
}

CMD_DECLARE(pause)
{
	return pause_or_resume(g, "pause", true, argc, argv, err);
}

CMD_DECLARE(resume)
{
	return pause_or_resume(g, "resume", false, argc, argv, err);
}
