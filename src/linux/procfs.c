/* A procfs husk has checked, for the writes that must not be redirected (procfs.h). */
#include "linux/procfs.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/fs.h"

/* The root directory of every procfs instance (fs/proc/root.c). */
#define PROC_ROOT_INO 1

static int procfs_root = -1;
static bool procfs_root_private; /* a fresh instance: nothing can be mounted on it */

static bool procfs_is_root(int fd)
{
	struct statfs sfs;
	struct stat st;

	return fstatfs(fd, &sfs) == 0 && sfs.f_type == PROC_SUPER_MAGIC && fstat(fd, &st) == 0 &&
	       st.st_ino == PROC_ROOT_INO;
}

/* A new procfs instance for our pid namespace, detached: only we can reach it. */
static int procfs_new_instance(struct herr *err)
{
	_cleanup_close_ int fs = fsopen("proc", FSOPEN_CLOEXEC);
	_cleanup_close_ int mnt = -1;

	if (fs < 0 || fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		return herr_sys(err, "create a procfs instance");
	mnt =
	    fsmount(fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
	if (mnt < 0)
		return herr_sys(err, "create a procfs instance");
	if (!procfs_is_root(mnt))
		return herr_set(err, -EXDEV, "the new procfs instance is not procfs");
	return steal_fd(&mnt);
}

static int procfs_get_root(bool private, struct herr *err)
{
	int fd;

	if (procfs_root >= 0 && (procfs_root_private || !private))
		return procfs_root;
	procfs_reset();
	fd = private ? -1 : open("/proc", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0 && !procfs_is_root(fd)) {
		close(fd);
		fd = -1;
	}
	if (fd < 0) {
		fd = procfs_new_instance(err);
		if (fd < 0)
			return fd;
		private = true;
	}
	procfs_root = fd;
	procfs_root_private = private;
	return fd;
}

static int procfs_openat(int root, const char *path, int flags)
{
	struct open_how how = {
	    .flags = (uint64_t)(flags | O_NOFOLLOW | O_CLOEXEC),
	    .resolve =
		RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV,
	};
	struct statfs sfs;
	int fd = (int)syscall(SYS_openat2, root, path, &how, sizeof(how));

	if (fd < 0)
		return -errno;
	if (fstatfs(fd, &sfs) < 0 || sfs.f_type != PROC_SUPER_MAGIC) {
		close(fd);
		return -EXDEV;
	}
	return fd;
}

/* `path` below the root, with "self/" replaced by our pid as that instance names it. */
static int procfs_open_in(int root, const char *path, bool self, int flags)
{
	char pid[32], full[PATH_MAX];
	ssize_t n;

	if (!self)
		return procfs_openat(root, path, flags);
	n = readlinkat(root, "self", pid, sizeof(pid) - 1);
	if (n <= 0)
		return n < 0 ? -errno : -ENOENT;
	pid[n] = '\0';
	if ((size_t)snprintf(full, sizeof(full), "%s/%s", pid, path) >= sizeof(full))
		return -ENAMETOOLONG;
	return procfs_openat(root, full, flags);
}

static int procfs_open_checked(const char *path, bool self, int flags, struct herr *err)
{
	int root = procfs_get_root(false, err), fd;

	if (root < 0)
		return root;
	fd = procfs_open_in(root, path, self, flags);
	if (fd == -EXDEV && !procfs_root_private) {
		/* something is mounted on the way: use an instance nothing is mounted on */
		root = procfs_get_root(true, err);
		if (root < 0)
			return root;
		fd = procfs_open_in(root, path, self, flags);
	}
	if (fd < 0)
		return herr_errno(err, fd, "open /proc/%s%s", self ? "self/" : "", path);
	return fd;
}

int procfs_open(const char *path, int flags, struct herr *err)
{
	return procfs_open_checked(path, false, flags, err);
}

int procfs_open_self(const char *file, int flags, struct herr *err)
{
	return procfs_open_checked(file, true, flags, err);
}

int procfs_write(const char *path, bool self, const char *value, struct herr *err)
{
	_cleanup_close_ int fd = procfs_open_checked(path, self, O_WRONLY, err);
	int r;

	if (fd < 0)
		return fd;
	r = write_all(fd, value, strlen(value));
	if (r < 0)
		return herr_errno(err, r, "write %s to /proc/%s%s", value, self ? "self/" : "",
				  path);
	return 0;
}

void procfs_reset(void)
{
	if (procfs_root >= 0)
		close(procfs_root);
	procfs_root = -1;
	procfs_root_private = false;
}
