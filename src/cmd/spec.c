#include "cmd/args.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "spec/spec.h"
#include "util/cleanup.h"
#include "util/fs.h"

static const struct option spec_options[] = {
	{ "bundle", required_argument, NULL, 'b' },
	{ "rootless", no_argument, NULL, 'r' },
	{ NULL, 0, NULL, 0 },
};

CMD_DECLARE(spec)
{
	const char *bundle = ".", *json;
	_cleanup_close_ int dfd = -1;
	bool rootless = false;
	int c, r;

	optind = 0;
	while ((c = getopt_long(argc, argv, "+b:", spec_options, NULL)) != -1) {
		if (c == 'b')
			bundle = optarg;
		else if (c == 'r')
			rootless = true;
		else
			return args_bad_flag("spec", argc, argv, err);
	}
	r = cmd_require_args("spec", argc - optind, 0, 0, err);
	if (r < 0)
		return r;
	dfd = open(bundle, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return herr_sys(err, "bundle %s", bundle);
	if (faccessat(dfd, "config.json", F_OK, AT_SYMLINK_NOFOLLOW) == 0)
		return herr_set(err, -EEXIST, "File config.json exists. Remove it first");
	json = spec_default_json(rootless);
	return write_file_atomic_at(dfd, "config.json", json, strlen(json), 0666, err);
}
