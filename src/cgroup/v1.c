/* cgroup v1 specifics: cpuset inheritance and the freezer. */
#include "cgroup/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "util/cleanup.h"
#include "util/fs.h"

/* A new v1 cpuset starts with empty cpus and mems and refuses tasks until they are set: copy
 * the parent's (runc's ensureParent/copyIfNeeded). */
int cg_v1_cpuset_inherit(const char *dir, struct herr *err)
{
	static const char *const files[] = {"cpuset.cpus", "cpuset.mems"};
	char parent[PATH_MAX];
	char *slash;

	snprintf(parent, sizeof(parent), "%s", dir);
	if (!(slash = strrchr(parent, '/')))
		return 0;
	*slash = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		_cleanup_free_ char *mine = NULL, *theirs = NULL;
		char path[PATH_MAX];
		int r;

		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		if ((r = read_file_at(AT_FDCWD, path, &mine, NULL, err)) < 0)
			return r;
		if (mine[0] != '\n' && mine[0] != '\0')
			continue;
		snprintf(path, sizeof(path), "%s/%s", parent, files[i]);
		if ((r = read_file_at(AT_FDCWD, path, &theirs, NULL, err)) < 0)
			return r;
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		if ((r = write_file_at(AT_FDCWD, path, theirs, err)) < 0)
			return r;
	}
	return 0;
}

/* freezer.state goes THAWED -> FREEZING -> FROZEN; a task in uninterruptible sleep can keep it
 * FREEZING, so the request is re-written until it settles (as runc does), with a bound. */
int cg_v1_freeze(struct cgroup *cg, int hier, bool frozen, struct herr *err)
{
	const char *want = frozen ? "FROZEN" : "THAWED";
	int r;

	for (int attempt = 0; attempt < 1000; attempt++) {
		_cleanup_free_ char *state = NULL;

		if (attempt % 50 == 0 && (r = cg_write(cg, hier, frozen ? "pause" : "resume",
						       "freezer.state", want, err)) < 0)
			return r;
		if ((r = cg_read(cg, hier, "freezer.state", &state, err)) < 0)
			return r;
		if (strncmp(state, want, strlen(want)) == 0)
			return 0;
		nanosleep(&(struct timespec){.tv_nsec = 1000 * 1000}, NULL);
	}
	if (frozen)
		cg_write(cg, hier, "pause", "freezer.state", "THAWED", err);
	return herr_set(err, -EBUSY, "%s: freezer.state did not become %s",
			frozen ? "pause" : "resume", want);
}
