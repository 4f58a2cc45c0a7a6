/* /dev inside the container: device nodes, ptmx, symlinks, console. */
#include "linux/devices.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/path.h"

struct dev_node {
	const char *path; /* absolute, inside the container; also the host node to bind */
	char type;
	unsigned major, minor;
	mode_t mode;
	uid_t uid;
	gid_t gid;
};

/* runc's default devices (libcontainer/specconv AllowedDevices with a path). */
static const struct dev_node default_nodes[] = {
    {"/dev/null", 'c', 1, 3, 0666, 0, 0}, {"/dev/random", 'c', 1, 8, 0666, 0, 0},
    {"/dev/full", 'c', 1, 7, 0666, 0, 0}, {"/dev/tty", 'c', 5, 0, 0666, 0, 0},
    {"/dev/zero", 'c', 1, 5, 0666, 0, 0}, {"/dev/urandom", 'c', 1, 9, 0666, 0, 0},
};

static const struct {
	const char *target, *name;
} dev_links[] = {
    {"/proc/self/fd", "fd"},
    {"/proc/self/fd/0", "stdin"},
    {"/proc/self/fd/1", "stdout"},
    {"/proc/self/fd/2", "stderr"},
};

bool devices_is_devnull(const struct stat *st)
{
	return S_ISCHR(st->st_mode) && st->st_rdev == makedev(1, 3);
}

/* Bind `src` (a host path, or the file behind srcfd when src is "") onto the file target_fd. */
static int bind_onto(int srcfd, const char *src, int target_fd)
{
	unsigned flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (src[0] ? 0 : AT_EMPTY_PATH);
	_cleanup_close_ int tree = open_tree(srcfd, src, flags);
	char from[64], to[64];

	if (tree >= 0) {
		if (move_mount(tree, "", target_fd, "",
			       MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
			return -errno;
		return 0;
	}
	if (errno != ENOSYS)
		return -errno;
	/* Linux < 5.2: the classic bind through the fds' magic links. */
	if (src[0])
		snprintf(from, sizeof(from), "%s", src);
	else
		snprintf(from, sizeof(from), "/proc/self/fd/%d", srcfd);
	snprintf(to, sizeof(to), "/proc/self/fd/%d", target_fd);
	if (mount(src[0] ? src : from, to, NULL, MS_BIND, NULL) < 0)
		return -errno;
	return 0;
}

static int node_bind(int dirfd, const char *name, const struct dev_node *n, struct herr *err)
{
	_cleanup_close_ int fd = -1;
	int r;

	if (mknodat(dirfd, name, S_IFREG, 0) < 0 && errno != EEXIST)
		return herr_sys(err, "create %s", n->path);
	fd = openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return herr_sys(err, "open %s", n->path);
	r = bind_onto(AT_FDCWD, n->path, fd);
	if (r < 0)
		return herr_errno(err, r, "bind mount %s", n->path);
	return 0;
}

static int node_create(int dirfd, const char *name, const struct dev_node *n, bool use_bind,
		       struct herr *err)
{
	mode_t type = n->type == 'b' ? S_IFBLK : n->type == 'p' ? S_IFIFO : S_IFCHR;
	dev_t dev = n->type == 'p' ? 0 : makedev(n->major, n->minor);

	if (use_bind)
		return node_bind(dirfd, name, n, err);
	if (mknodat(dirfd, name, type | (n->mode & 07777), dev) < 0) {
		if (errno == EEXIST)
			return 0; /* as runc: an existing node is kept */
		if (errno == EPERM)
			return node_bind(dirfd, name, n, err);
		return herr_sys(err, "mknod %s", n->path);
	}
	if ((n->uid || n->gid) && fchownat(dirfd, name, n->uid, n->gid, AT_SYMLINK_NOFOLLOW) < 0)
		return herr_sys(err, "chown %s", n->path);
	return 0;
}

static bool spec_has_device(const struct spec_linux *lx, const char *path)
{
	for (size_t i = 0; lx && i < lx->n_devices; i++) {
		_cleanup_free_ char *p = path_clean(lx->devices[i].path);
		if (p && strcmp(p, path) == 0)
			return true;
	}
	return false;
}

static int spec_device_node(const struct spec_device *d, size_t i, const char *clean,
			    struct dev_node *n, struct herr *err)
{
	if (!path_has_prefix(clean, "/dev") || strcmp(clean, "/dev") == 0)
		return herr_set(err, -EINVAL, "linux.devices[%zu].path: \"%s\" is not under /dev",
				i, d->path);
	if (d->type != 'c' && d->type != 'b' && d->type != 'u' && d->type != 'p')
		return herr_set(err, -EINVAL, "linux.devices[%zu].type: \"%c\" is not c, b, u or p",
				i, d->type);
	*n = (struct dev_node){
	    .path = clean,
	    .type = d->type,
	    .major = (unsigned)d->major,
	    .minor = (unsigned)d->minor,
	    .mode = d->file_mode.set ? (mode_t)(d->file_mode.v & 07777) : 0666,
	    .uid = d->uid.set ? (uid_t)d->uid.v : 0,
	    .gid = d->gid.set ? (gid_t)d->gid.v : 0,
	};
	return 0;
}

static int create_spec_devices(int rootfd, int devfd, const struct spec_linux *lx, bool use_bind,
			       struct herr *err)
{
	for (size_t i = 0; lx && i < lx->n_devices; i++) {
		_cleanup_free_ char *clean = path_clean(lx->devices[i].path);
		_cleanup_close_ int dirfd = -1;
		char name[NAME_MAX + 1];
		struct dev_node n;
		const char *rel;
		int r;

		if (!clean)
			return herr_errno(err, ENOMEM, "linux.devices[%zu]", i);
		r = spec_device_node(&lx->devices[i], i, clean, &n, err);
		if (r < 0)
			return r;
		if (strcmp(clean, "/dev/ptmx") == 0)
			continue; /* /dev/ptmx is the devpts symlink below, as runc */
		rel = clean + strlen("/dev/");
		if (!strchr(rel, '/')) {
			snprintf(name, sizeof(name), "%s", rel);
			dirfd = fcntl(devfd, F_DUPFD_CLOEXEC, 3);
			if (dirfd < 0)
				return herr_sys(err, "linux.devices[%zu]: dup", i);
		} else {
			dirfd = path_open_parent_in_root(rootfd, clean, name, err);
			if (dirfd < 0)
				return herr_wrap(err, "linux.devices[%zu]", i);
		}
		r = node_create(dirfd, name, &n, use_bind, err);
		if (r < 0)
			return herr_wrap(err, "linux.devices[%zu]", i);
	}
	return 0;
}

static int create_links(int devfd, struct herr *err)
{
	for (size_t i = 0; i < ARRAY_SIZE(dev_links); i++)
		if (symlinkat(dev_links[i].target, devfd, dev_links[i].name) < 0 && errno != EEXIST)
			return herr_sys(err, "symlink /dev/%s", dev_links[i].name);
	/* kcore can be compiled out: link it only when the kernel has it. */
	if (access("/proc/kcore", F_OK) == 0 && symlinkat("/proc/kcore", devfd, "core") < 0 &&
	    errno != EEXIST)
		return herr_sys(err, "symlink /dev/core");
	if (unlinkat(devfd, "ptmx", 0) < 0 && errno != ENOENT)
		return herr_sys(err, "remove /dev/ptmx");
	if (symlinkat("pts/ptmx", devfd, "ptmx") < 0)
		return herr_sys(err, "symlink /dev/ptmx");
	return 0;
}

static int devices_setup_masked(int rootfd, const struct spec_linux *lx, bool use_bind,
				struct herr *err)
{
	_cleanup_close_ int devfd = path_mkdir_in_root(rootfd, "/dev", 0755, err);
	int r;

	if (devfd < 0)
		return devfd;
	for (size_t i = 0; i < ARRAY_SIZE(default_nodes); i++) {
		const struct dev_node *n = &default_nodes[i];
		if (spec_has_device(lx, n->path))
			continue;
		r = node_create(devfd, n->path + strlen("/dev/"), n, use_bind, err);
		if (r < 0)
			return r;
	}
	r = create_spec_devices(rootfd, devfd, lx, use_bind, err);
	if (r < 0)
		return r;
	return create_links(devfd, err);
}

int devices_setup(int rootfd, const struct spec_linux *lx, bool use_bind, struct herr *err)
{
	/* The modes are the config's, not reduced by our umask (runc does the same). */
	mode_t old = umask(0);
	int r = devices_setup_masked(rootfd, lx, use_bind, err);

	umask(old);
	return r;
}

int devices_mount_console(int rootfd, int slave_fd, struct herr *err)
{
	_cleanup_close_ int fd = path_create_in_root(rootfd, "/dev/console", 0666, O_PATH, err);
	int r;

	if (fd < 0)
		return herr_wrap(err, "console");
	r = bind_onto(slave_fd, "", fd);
	if (r < 0)
		return herr_errno(err, r, "bind mount console on /dev/console");
	return 0;
}
