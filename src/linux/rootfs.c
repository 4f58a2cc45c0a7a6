/* The container's filesystem: propagation, the rootfs bind, config mounts, /dev, pivot_root,
 * maskedPaths, readonlyPaths and a read-only root.  runc's behaviour is the contract
 * (libcontainer/rootfs_linux.go); the code is husk's own.
 *
 * Safety: every mount target is resolved inside the rootfs (util/path.h) and mounted through its
 * fd (/proc/self/fd/N, or move_mount(2)), never through a joined string, so a symlink in the image
 * or one swapped in by a racing process cannot send a mount to the host (CVE-2021-30465,
 * CVE-2023-27561).  Before pivot_root the host's /proc serves the /proc/self/fd paths; after it,
 * only fd-based calls (open_tree, move_mount, mount_setattr, fsmount) are used. */
#include "linux/rootfs.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "linux/devices.h"
#include "linux/mount.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/path.h"

#define FD_PATH_MAX 32
#define CGROUP_ROOT "/sys/fs/cgroup"

/* Flags the kernel locks on a mount inherited from a more privileged namespace (MNT_LOCK_*). */
#define MS_ATIME_MASK (MS_NOATIME | MS_NODIRATIME | MS_RELATIME | MS_STRICTATIME)
#define MS_LOCKED_MASK (MS_RDONLY | MS_NODEV | MS_NOEXEC | MS_NOSUID | MS_ATIME_MASK)

/* A config mount while it is being set up. */
struct mnt {
	const struct spec_mount *m;
	struct mount_opts o;
	const char *type;
	char *dest;   /* lexically clean, absolute inside the container */
	char *source; /* bind: absolute host path */
	bool bind;
};

static void mnt_release(struct mnt *mt)
{
	mount_opts_free(&mt->o);
	free(mt->dest);
	free(mt->source);
}

static const char *fd_path(char buf[FD_PATH_MAX], int fd)
{
	snprintf(buf, FD_PATH_MAX, "/proc/self/fd/%d", fd);
	return buf;
}

/* mount(2) with the target given as an fd. */
static int mount_on_fd(const char *src, int fd, const char *type, unsigned long flags,
		       const char *data)
{
	char p[FD_PATH_MAX];

	return mount(src, fd_path(p, fd), type, flags, data) < 0 ? -errno : 0;
}

static int propagation_parse(const char *value, unsigned long *out, struct herr *err)
{
	struct mount_opts o;
	char *v = (char *)value;
	int r = mount_opts_parse(&v, 1, &o, err);

	if (r < 0)
		return r;
	mount_opts_free(&o);
	if (!o.propagation)
		return herr_set(err, -EINVAL, "linux.rootfsPropagation: unknown value \"%s\"",
				value);
	*out = o.propagation;
	return 0;
}

static unsigned long root_propagation(const struct rootfs_ctx *ctx)
{
	unsigned long p = 0;
	struct herr ignored;
	const struct spec_linux *lx = ctx->spec->linux_;

	if (lx && lx->rootfs_propagation && propagation_parse(lx->rootfs_propagation, &p, &ignored))
		p = 0;
	return p ? p : MS_SLAVE | MS_REC;
}

/* ---- statfs flags -> MS_* (for remounts that must keep locked flags) ---- */

static unsigned long statfs_to_ms(unsigned long f)
{
	static const struct {
		unsigned long st, ms;
	} map[] = {
	    {ST_RDONLY, MS_RDONLY},
	    {ST_NOSUID, MS_NOSUID},
	    {ST_NODEV, MS_NODEV},
	    {ST_NOEXEC, MS_NOEXEC},
	    {ST_SYNCHRONOUS, MS_SYNCHRONOUS},
	    {ST_MANDLOCK, MS_MANDLOCK},
	    {ST_NOATIME, MS_NOATIME},
	    {ST_NODIRATIME, MS_NODIRATIME},
	    {ST_RELATIME, MS_RELATIME},
	    {0x2000 /* ST_NOSYMFOLLOW */, MS_NOSYMFOLLOW},
	};
	unsigned long ms = 0;

	for (size_t i = 0; i < ARRAY_SIZE(map); i++)
		if (f & map[i].st)
			ms |= map[i].ms;
	/* strictatime is not stored: it is what a mount without the other atime flags has. */
	if (!(ms & MS_ATIME_MASK))
		ms |= MS_STRICTATIME;
	return ms;
}

/* MS_BIND|MS_REMOUNT with `flags` on the mount fd is the root of.  A mount inherited from a more
 * privileged namespace has locked flags (nosuid, nodev, noexec, ro, atime) that such a remount
 * must repeat: retry with them, as runc does, unless the config asked to clear one. */
static int bind_remount(int fd, unsigned long flags, unsigned long cleared, struct herr *err)
{
	struct statfs sfs;
	unsigned long src, locked;
	int r;

	flags = (flags & ~(MS_REC | MS_REMOUNT | MS_BIND)) | MS_BIND | MS_REMOUNT;
	r = mount_on_fd(NULL, fd, NULL, flags, NULL);
	if (r == 0)
		return 0;
	if (r != -EPERM || fstatfs(fd, &sfs) < 0)
		return herr_errno(err, r, "remount bind");
	src = statfs_to_ms(sfs.f_flags);
	locked = src & MS_LOCKED_MASK;
	if (src & cleared & MS_LOCKED_MASK)
		return herr_errno(err, r, "remount bind: cannot clear locked flags");
	if ((flags & MS_ATIME_MASK) && (flags & MS_ATIME_MASK) != (src & MS_ATIME_MASK))
		return herr_errno(err, r, "remount bind: cannot change locked atime flags");
	r = mount_on_fd(NULL, fd, NULL, flags | locked, NULL);
	if (r < 0)
		return herr_errno(err, r, "remount bind with locked flags");
	return 0;
}

/* The read-only flag alone, keeping every other flag (the locked ones included). */
static int set_readonly_fd(int fd, unsigned flags)
{
	struct mount_attr attr = {.attr_set = MOUNT_ATTR_RDONLY};
	struct statfs sfs;
	char p[FD_PATH_MAX];

	if (mount_setattr(fd, "", AT_EMPTY_PATH | flags, &attr, sizeof(attr)) == 0)
		return 0;
	if (errno != ENOSYS)
		return -errno;
	/* Linux < 5.12: classic remount (needs /proc in the container after pivot). */
	if (fstatfs(fd, &sfs) < 0)
		return -errno;
	if (mount(NULL, fd_path(p, fd), NULL,
		  MS_BIND | MS_REMOUNT | MS_RDONLY |
		      (statfs_to_ms(sfs.f_flags) & (MS_NOSUID | MS_NODEV | MS_NOEXEC)),
		  NULL) < 0)
		return -errno;
	return 0;
}

/* Propagation and recursive attributes on the mount whose root fd is. */
static int mount_finish(int fd, const struct mount_opts *o, struct herr *err)
{
	int r;

	if (o->propagation) {
		r = mount_on_fd(NULL, fd, NULL, o->propagation, NULL);
		if (r < 0)
			return herr_errno(err, r, "set propagation");
	}
	if (o->attr_set || o->attr_clr) {
		struct mount_attr attr = {.attr_set = o->attr_set, .attr_clr = o->attr_clr};
		if (mount_setattr(fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof(attr)) < 0)
			return herr_sys(err, "mount_setattr (recursive options)");
	}
	return 0;
}

/* ---- /proc safety (runc's checkProcMount) ---- */

static const char *const proc_allowed[] = {
    "/proc/cpuinfo",
    "/proc/diskstats",
    "/proc/meminfo",
    "/proc/stat",
    "/proc/swaps",
    "/proc/uptime",
    "/proc/loadavg",
    "/proc/slabinfo",
    "/proc/sys/kernel/ns_last_pid",
    "/proc/sys/crypto/fips_enabled",
};

/* A target on procfs is only allowed at the few files lxcfs emulates: mounting elsewhere in
 * /proc could hide /proc/self/attr or similar from the LSM (CVE-2019-19921). */
static int check_proc_target(const struct rootfs_ctx *ctx, int fd, struct herr *err)
{
	char p[FD_PATH_MAX], real[PATH_MAX];
	struct statfs sfs;
	size_t rl = strlen(ctx->rootfs);
	ssize_t n;

	if (fstatfs(fd, &sfs) < 0)
		return herr_sys(err, "statfs target");
	if (sfs.f_type != PROC_SUPER_MAGIC)
		return 0;
	n = readlink(fd_path(p, fd), real, sizeof(real) - 1);
	if (n < 0)
		return herr_sys(err, "readlink target");
	real[n] = '\0';
	if (strncmp(real, ctx->rootfs, rl) == 0 && real[rl] == '/') {
		for (size_t i = 0; i < ARRAY_SIZE(proc_allowed); i++)
			if (strcmp(real + rl, proc_allowed[i]) == 0)
				return 0;
	}
	return herr_set(err, -EPERM, "%s cannot be mounted because it is inside /proc", real);
}

/* ---- mount targets ---- */

/* Resolve the target inside the rootfs; create it (a directory, or an empty file when `dir` is
 * false) when missing.  *existed tells whether it was there. */
static int target_open(const struct rootfs_ctx *ctx, const char *dest, bool dir, bool *existed,
		       struct herr *err)
{
	int fd = path_open_in_root(ctx->rootfs_fd, dest, O_PATH, err);

	*existed = fd >= 0;
	if (fd != -ENOENT)
		return fd;
	if (dir)
		return path_mkdir_in_root(ctx->rootfs_fd, dest, 0755, err);
	return path_create_in_root(ctx->rootfs_fd, dest, 0644, O_PATH, err);
}

/* The root of whatever is now mounted at dest (the fd we mounted through still names the
 * directory underneath). */
static int target_reopen(const struct rootfs_ctx *ctx, const char *dest, struct herr *err)
{
	return path_open_in_root(ctx->rootfs_fd, dest, O_PATH, err);
}

/* ---- tmpcopyup: copy what the image has under a tmpfs target into the new tmpfs ---- */

static int copy_tree(int from, int to, struct herr *err);

static int copy_file(int from, int to, const char *name, const struct stat *st, struct herr *err)
{
	_cleanup_close_ int in = openat(from, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	_cleanup_close_ int out = -1;

	if (in < 0)
		return herr_sys(err, "tmpcopyup: open %s", name);
	out = openat(to, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		     st->st_mode & 07777);
	if (out < 0)
		return herr_sys(err, "tmpcopyup: create %s", name);
	for (;;) {
		ssize_t n = copy_file_range(in, NULL, out, NULL, 1 << 30, 0);
		if (n == 0)
			break;
		if (n < 0) {
			char buf[65536];
			if (errno != EXDEV && errno != ENOSYS && errno != EINVAL)
				return herr_sys(err, "tmpcopyup: copy %s", name);
			while ((n = read(in, buf, sizeof(buf))) > 0)
				if (write_all(out, buf, (size_t)n) < 0)
					return herr_sys(err, "tmpcopyup: write %s", name);
			if (n < 0)
				return herr_sys(err, "tmpcopyup: read %s", name);
			break;
		}
	}
	return 0;
}

static int copy_entry(int from, int to, const char *name, struct herr *err)
{
	struct stat st;
	int r = 0;

	if (fstatat(from, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return herr_sys(err, "tmpcopyup: stat %s", name);
	if (S_ISDIR(st.st_mode)) {
		_cleanup_close_ int a = -1, b = -1;
		if (mkdirat(to, name, st.st_mode & 07777) < 0)
			return herr_sys(err, "tmpcopyup: mkdir %s", name);
		a = openat(from, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		b = openat(to, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (a < 0 || b < 0)
			return herr_sys(err, "tmpcopyup: open %s", name);
		r = copy_tree(a, b, err);
	} else if (S_ISREG(st.st_mode)) {
		r = copy_file(from, to, name, &st, err);
	} else if (S_ISLNK(st.st_mode)) {
		char target[PATH_MAX];
		ssize_t n = readlinkat(from, name, target, sizeof(target) - 1);
		if (n < 0)
			return herr_sys(err, "tmpcopyup: readlink %s", name);
		target[n] = '\0';
		if (symlinkat(target, to, name) < 0)
			return herr_sys(err, "tmpcopyup: symlink %s", name);
	} else if (mknodat(to, name, st.st_mode, st.st_rdev) < 0) {
		return herr_sys(err, "tmpcopyup: mknod %s", name);
	}
	if (r < 0)
		return r;
	if (fchownat(to, name, st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) < 0)
		return herr_sys(err, "tmpcopyup: chown %s", name);
	if (!S_ISLNK(st.st_mode) && fchmodat(to, name, st.st_mode & 07777, 0) < 0)
		return herr_sys(err, "tmpcopyup: chmod %s", name);
	return 0;
}

static int copy_tree(int from, int to, struct herr *err)
{
	int dfd = fcntl(from, F_DUPFD_CLOEXEC, 3);
	_cleanup_closedir_ DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	struct dirent *de;

	if (!d) {
		if (dfd >= 0)
			close(dfd);
		return herr_sys(err, "tmpcopyup: opendir");
	}
	while ((errno = 0, de = readdir(d))) {
		int r;
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		r = copy_entry(from, to, de->d_name, err);
		if (r < 0)
			return r;
	}
	if (errno)
		return herr_sys(err, "tmpcopyup: readdir");
	return 0;
}

/* ---- idmapped mounts ---- */

static int write_idmap(pid_t pid, const char *file, const struct spec_id_mapping *m, size_t n,
		       struct herr *err)
{
	char path[64], buf[4096];
	size_t len = 0;

	for (size_t i = 0; i < n && len < sizeof(buf); i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%u %u %u\n",
					m[i].container_id, m[i].host_id, m[i].size);
	if (len >= sizeof(buf))
		return herr_set(err, -E2BIG, "%s: too many mappings", file);
	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	return write_file_at(AT_FDCWD, path, buf, err);
}

/* A user namespace holding the mount's uidMappings/gidMappings: a short-lived child unshares
 * one, we write its maps and keep its ns fd.  Without mappings the container's own user
 * namespace is used. */
static int idmap_userns(const struct spec_mount *m, struct herr *err)
{
	int pipefd[2], fd, r = 0, status;
	char path[64];
	pid_t pid;

	if (!m->n_uid_mappings && !m->n_gid_mappings) {
		fd = open("/proc/self/ns/user", O_RDONLY | O_CLOEXEC);
		return fd < 0 ? herr_sys(err, "open /proc/self/ns/user") : fd;
	}
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return herr_sys(err, "pipe");
	pid = (pid_t)syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, NULL, NULL, NULL, NULL);
	if (pid == 0) {
		char c;
		close(pipefd[1]);
		(void)!read(pipefd[0], &c, 1);
		_exit(0);
	}
	close(pipefd[0]);
	if (pid < 0) {
		close(pipefd[1]);
		return herr_sys(err, "clone user namespace for idmap");
	}
	r = write_idmap(pid, "uid_map", m->uid_mappings, m->n_uid_mappings, err);
	if (r == 0)
		r = write_idmap(pid, "gid_map", m->gid_mappings, m->n_gid_mappings, err);
	fd = -1;
	if (r == 0) {
		snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)pid);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			r = herr_sys(err, "open %s", path);
	}
	close(pipefd[1]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return r < 0 ? r : fd;
}

static int idmap_apply(int tree, const struct mnt *mt, struct herr *err)
{
	_cleanup_close_ int ns = idmap_userns(mt->m, err);
	struct mount_attr attr = {.attr_set = MOUNT_ATTR_IDMAP};

	if (ns < 0)
		return ns;
	attr.userns_fd = (uint64_t)ns;
	if (mount_setattr(tree, "", AT_EMPTY_PATH | (mt->o.recursive_idmap ? AT_RECURSIVE : 0),
			  &attr, sizeof(attr)) < 0)
		return herr_sys(err, "idmap mount");
	return 0;
}

/* ---- bind mounts ---- */

/* Clone the source tree (open_tree), or -ENOSYS on kernels without it. */
static int bind_source_open(const char *src, bool rec)
{
	int fd = open_tree(AT_FDCWD, src,
			   OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (rec ? AT_RECURSIVE : 0));
	return fd < 0 ? -errno : fd;
}

static int bind_check_proc_source(const struct mnt *mt, int tree, struct herr *err)
{
	struct statfs sfs;

	if (strcmp(mt->dest, "/proc") != 0)
		return 0;
	if (fstatfs(tree, &sfs) < 0)
		return herr_sys(err, "statfs %s", mt->source);
	if (sfs.f_type != PROC_SUPER_MAGIC)
		return herr_set(err, -EPERM,
				"/proc cannot be mounted because it is not of type proc");
	return 0;
}

/* Bind mt->source on mt->dest; returns an O_PATH fd of the new mount's root. */
static int bind_attach(const struct rootfs_ctx *ctx, const struct mnt *mt, struct herr *err)
{
	bool rec = mt->o.flags & MS_REC, existed;
	_cleanup_close_ int tree = bind_source_open(mt->source, rec);
	_cleanup_close_ int target = -1;
	struct stat st;
	int r;

	if (tree < 0 && tree != -ENOSYS)
		return herr_errno(err, tree, "bind mount %s", mt->source);
	if (tree >= 0 ? fstat(tree, &st) : stat(mt->source, &st))
		return herr_sys(err, "stat %s", mt->source);
	target = target_open(ctx, mt->dest, S_ISDIR(st.st_mode), &existed, err);
	if (target < 0)
		return target;
	r = check_proc_target(ctx, target, err);
	if (r == 0 && tree >= 0)
		r = bind_check_proc_source(mt, tree, err);
	if (r < 0)
		return r;
	if (tree < 0) {
		/* Linux < 5.2: classic bind through the target's fd, then find the new mount. */
		if (mt->o.idmap)
			return herr_set(err, -ENOSYS, "idmap mounts need Linux 5.12");
		r = mount_on_fd(mt->source, target, NULL, MS_BIND | (rec ? MS_REC : 0), NULL);
		if (r < 0)
			return herr_errno(err, r, "bind mount %s on %s", mt->source, mt->dest);
		return target_reopen(ctx, mt->dest, err);
	}
	if (mt->o.idmap) {
		r = idmap_apply(tree, mt, err);
		if (r < 0)
			return r;
	}
	if (move_mount(tree, "", target, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		return herr_sys(err, "bind mount %s on %s", mt->source, mt->dest);
	return steal_fd(&tree);
}

static int mount_bind(const struct rootfs_ctx *ctx, struct mnt *mt, struct herr *err)
{
	_cleanup_close_ int fd = bind_attach(ctx, mt, err);
	int r;

	if (fd < 0)
		return fd;
	/* A bind ignores flags: "ro", "nosuid"... need a remount of the new mount.  Skipped when
	 * the config asked for nothing but the bind, keeping the source's flags (as runc). */
	if ((mt->o.flags & ~(MS_BIND | MS_REC | MS_REMOUNT)) || mt->o.clear) {
		r = bind_remount(fd, mt->o.flags, mt->o.clear, err);
		if (r < 0)
			return herr_wrap(err, "%s", mt->dest);
	}
	return mount_finish(fd, &mt->o, err);
}

/* ---- other filesystems ---- */

static bool mnt_is_dev(const struct mnt *mt)
{
	return strcmp(mt->dest, "/dev") == 0;
}

/* tmpfs and /dev mounts are made writable and turned read-only by rootfs_finalize(): /dev is
 * populated and nested mounts may need mount points first (as runc). */
static bool mnt_ro_later(const struct mnt *mt)
{
	return (mt->o.flags & MS_RDONLY) && (strcmp(mt->type, "tmpfs") == 0 || mnt_is_dev(mt));
}

/* Kernel filesystems, and anything in /dev, go on the directory the config names: an image
 * symlink there would move them, and the masks meant for them, elsewhere (CVE-2023-28642, crun
 * CVE-2019-18837). */
static bool mnt_no_symlink(const struct mnt *mt)
{
	static const char *const types[] = {"proc", "sysfs", "devpts", "mqueue"};

	for (size_t i = 0; i < ARRAY_SIZE(types); i++)
		if (strcmp(mt->type, types[i]) == 0)
			return true;
	return strncmp(mt->dest, "/dev/", 5) == 0;
}

/* The target of such a mount, opened once without following its last component and mounted
 * through that same fd, so that a symlink swapped in after the check (a shared volume,
 * CVE-2019-19921) cannot redirect the mount. */
static int target_open_nofollow(const struct rootfs_ctx *ctx, const struct mnt *mt,
				bool *existed, struct herr *err)
{
	_cleanup_close_ int fd =
	    path_open_in_root(ctx->rootfs_fd, mt->dest, O_PATH | O_NOFOLLOW, err);
	struct stat st;

	*existed = fd >= 0;
	if (fd == -ENOENT)
		return path_mkdir_in_root(ctx->rootfs_fd, mt->dest, 0755, err);
	if (fd < 0)
		return fd;
	if (fstat(fd, &st) < 0)
		return herr_sys(err, "stat %s", mt->dest);
	if (S_ISLNK(st.st_mode))
		return herr_set(err, -ELOOP, "%s is a symlink, refusing to mount %s on it",
				mt->dest, mt->type);
	if (!S_ISDIR(st.st_mode))
		return herr_set(err, -ENOTDIR, "%s must be mounted on an ordinary directory: %s",
				mt->type, mt->dest);
	return steal_fd(&fd);
}

static int mount_fs(const struct rootfs_ctx *ctx, struct mnt *mt, struct herr *err)
{
	bool is_proc = strcmp(mt->type, "proc") == 0, is_tmpfs = strcmp(mt->type, "tmpfs") == 0;
	unsigned long flags = mt->o.flags;
	_cleanup_close_ int target = -1, top = -1, copy_from = -1;
	_cleanup_free_ char *data = NULL;
	struct stat st;
	bool existed;
	int r;

	if (strcmp(mt->dest, "/proc") == 0 && !is_proc)
		return herr_set(err, -EPERM,
				"/proc cannot be mounted because it is not of type proc");
	if (mnt_no_symlink(mt))
		target = target_open_nofollow(ctx, mt, &existed, err);
	else
		target = target_open(ctx, mt->dest, true, &existed, err);
	if (target < 0)
		return target;
	r = check_proc_target(ctx, target, err);
	if (r < 0)
		return r;
	if (is_tmpfs && existed) {
		/* The tmpfs root keeps the mode of the directory it covers (as runc). */
		if (fstat(target, &st) < 0)
			return herr_sys(err, "stat %s", mt->dest);
		if (asprintf(&data, "mode=%04o%s%s", st.st_mode & 07777, mt->o.data ? "," : "",
			     mt->o.data ? mt->o.data : "") < 0)
			return herr_errno(err, ENOMEM, "mount %s", mt->dest);
	}
	if (is_tmpfs && mt->o.tmpcopyup) {
		copy_from = openat(target, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (copy_from < 0)
			return herr_sys(err, "tmpcopyup: open %s", mt->dest);
	}
	if (mnt_ro_later(mt))
		flags &= ~MS_RDONLY;
	r = mount_on_fd(mt->m->source ? mt->m->source : mt->type, target, mt->type, flags,
			data ? data : mt->o.data);
	if (r < 0)
		return herr_errno(err, r, "mount %s on %s", mt->type, mt->dest);
	if (!mt->o.propagation && !mt->o.attr_set && !mt->o.attr_clr && copy_from < 0)
		return 0;
	top = target_reopen(ctx, mt->dest, err);
	if (top < 0)
		return top;
	if (copy_from >= 0) {
		_cleanup_close_ int to = openat(top, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (to < 0)
			return herr_sys(err, "tmpcopyup: open new tmpfs");
		r = copy_tree(copy_from, to, err);
		if (r < 0)
			return r;
	}
	return mount_finish(top, &mt->o, err);
}

/* ---- cgroup ---- */

struct cg_self {
	char *buf; /* /proc/self/cgroup */
};

/* The path of our cgroup in the v1 hierarchy whose super options are `opts` ("rw,cpu,cpuacct"),
 * or the v2 path when opts is NULL; also its controller list ("cpu,cpuacct", "name=systemd"). */
static bool cg_self_find(const char *self, const char *opts, char *ctrl, size_t ctrl_size,
			 const char **path, size_t *path_len)
{
	for (const char *line = self; line && *line;) {
		const char *nl = strchr(line, '\n');
		const char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		const char *end = nl ? nl : line + strlen(line);
		size_t cl;

		if (!c1 || !c2 || c2 > end)
			goto next;
		cl = (size_t)(c2 - c1 - 1);
		if (!opts ? cl == 0 : cl > 0) {
			bool all = true;
			char tmp[256];
			if (cl >= sizeof(tmp) || cl >= ctrl_size)
				goto next;
			memcpy(tmp, c1 + 1, cl);
			tmp[cl] = '\0';
			for (char *sp, *t = strtok_r(tmp, ",", &sp); opts && t;
			     t = strtok_r(NULL, ",", &sp)) {
				const char *o = opts;
				bool found = false;
				size_t tl = strlen(t);
				while (*o) {
					const char *oe = strchrnul(o, ',');
					if ((size_t)(oe - o) == tl && strncmp(o, t, tl) == 0)
						found = true;
					o = *oe ? oe + 1 : oe;
				}
				all &= found;
			}
			if (all) {
				memcpy(ctrl, c1 + 1, cl);
				ctrl[cl] = '\0';
				*path = c2 + 1;
				*path_len = (size_t)(end - c2 - 1);
				return true;
			}
		}
	next:
		line = nl ? nl + 1 : NULL;
	}
	return false;
}

/* mountinfo escapes space, tab, newline and backslash as \ooo. */
static void unescape(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '7' && s[2] && s[3]) {
			*o++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
}

struct mi_entry {
	char *root, *mountpoint, *fstype, *super;
};

/* Split one mountinfo line in place. */
static bool mi_parse(char *line, struct mi_entry *e)
{
	char *f[6] = {0}, *sp, *t, *dash;
	int i = 0;

	dash = strstr(line, " - ");
	if (!dash)
		return false;
	*dash = '\0';
	for (t = strtok_r(line, " ", &sp); t && i < 5; t = strtok_r(NULL, " ", &sp))
		f[i++] = t;
	if (i < 5)
		return false;
	e->root = f[3];
	e->mountpoint = f[4];
	e->fstype = strtok_r(dash + 3, " ", &sp);
	(void)strtok_r(NULL, " ", &sp);
	e->super = strtok_r(NULL, " \n", &sp);
	if (!e->fstype || !e->super)
		return false;
	unescape(e->root);
	unescape(e->mountpoint);
	return true;
}

/* Our own cgroup directory in a host hierarchy: its mount point plus our path below its root. */
static int cg_own_dir(const struct mi_entry *e, const char *path, size_t plen, char *out,
		      size_t size)
{
	size_t rl = strlen(e->root);

	if (strcmp(e->root, "/") != 0) {
		if (plen < rl || strncmp(path, e->root, rl) != 0 || (plen > rl && path[rl] != '/'))
			return -ENOENT;
		path += rl;
		plen -= rl;
	}
	if ((size_t)snprintf(out, size, "%s%.*s", e->mountpoint, (int)plen, path) >= size)
		return -ENAMETOOLONG;
	return 0;
}

/* One hierarchy below the cgroup tmpfs: a real cgroup mount (cgroup namespace) or a bind of
 * our own cgroup directory. */
static int cg_mount_one(const struct rootfs_ctx *ctx, const struct mnt *mt, int tmpfs_fd,
			const char *name, bool v2, const char *ctrl, const char *own,
			struct herr *err)
{
	_cleanup_close_ int dir = -1;
	unsigned long ro = mt->o.flags & MS_RDONLY;
	int r;

	if (mkdirat(tmpfs_fd, name, 0755) < 0 && errno != EEXIST)
		return herr_sys(err, "mkdir %s/%s", mt->dest, name);
	dir = openat(tmpfs_fd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dir < 0)
		return herr_sys(err, "open %s/%s", mt->dest, name);
	if (ctx->new_cgroupns) {
		const char *type = v2 ? "cgroup2" : "cgroup";
		r = mount_on_fd(strncmp(ctrl, "name=", 5) == 0 ? ctrl + 5 : type, dir, type,
				MS_NOSUID | MS_NODEV | MS_NOEXEC | ro, v2 ? NULL : ctrl);
		if (r < 0)
			return herr_errno(err, r, "mount %s on %s/%s", type, mt->dest, name);
		return 0;
	}
	{
		_cleanup_close_ int tree = bind_source_open(own, true);
		if (tree < 0)
			return herr_errno(err, tree, "bind mount %s", own);
		if (move_mount(tree, "", dir, "",
			       MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
			return herr_sys(err, "bind mount %s on %s/%s", own, mt->dest, name);
		if (mt->o.flags & ~(MS_BIND | MS_REC | MS_REMOUNT)) {
			r = bind_remount(tree, mt->o.flags, mt->o.clear, err);
			if (r < 0)
				return herr_wrap(err, "%s/%s", mt->dest, name);
		}
		return mount_finish(tree, &mt->o, err);
	}
}

/* A co-mounted hierarchy "cpu,cpuacct" gets "cpu" and "cpuacct" symlinks to it. */
static int cg_comount_links(int tmpfs_fd, const char *name, struct herr *err)
{
	char tmp[256], *sp;

	if (!strchr(name, ',') || strlen(name) >= sizeof(tmp))
		return 0;
	strcpy(tmp, name);
	for (char *t = strtok_r(tmp, ",", &sp); t; t = strtok_r(NULL, ",", &sp))
		if (symlinkat(name, tmpfs_fd, t) < 0 && errno != EEXIST)
			return herr_sys(err, "symlink %s -> %s", t, name);
	return 0;
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

/* cgroup v1 or hybrid: a tmpfs with one mount per host hierarchy (and the unified one). */
static int mount_cgroup_v1(const struct rootfs_ctx *ctx, struct mnt *mt, const char *self,
			   struct herr *err)
{
	_cleanup_free_ char *info = NULL;
	_cleanup_close_ int target = -1, cg = -1;
	char seen[64][128];
	size_t n_seen = 0;
	bool existed;
	int r;

	r = read_file_at(AT_FDCWD, "/proc/self/mountinfo", &info, NULL, err);
	if (r < 0)
		return r;
	target = target_open(ctx, mt->dest, true, &existed, err);
	if (target < 0)
		return target;
	r = mount_on_fd("tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=755");
	if (r < 0)
		return herr_errno(err, r, "mount tmpfs on %s", mt->dest);
	cg = target_reopen(ctx, mt->dest, err);
	if (cg < 0)
		return cg;
	if (mt->o.propagation) {
		r = mount_on_fd(NULL, cg, NULL, mt->o.propagation, NULL);
		if (r < 0)
			return herr_errno(err, r, "set propagation on %s", mt->dest);
	}

	for (char *sp, *line = strtok_r(info, "\n", &sp); line; line = strtok_r(NULL, "\n", &sp)) {
		struct mi_entry e;
		char ctrl[256], own[PATH_MAX];
		const char *path, *name;
		size_t plen, i;
		bool v2;

		if (!mi_parse(line, &e))
			continue;
		v2 = strcmp(e.fstype, "cgroup2") == 0;
		if (!v2 && strcmp(e.fstype, "cgroup") != 0)
			continue;
		/* Only the host's hierarchies: not ones inside this rootfs, one mount each. */
		if (path_has_prefix(e.mountpoint, ctx->rootfs))
			continue;
		if (v2 && strcmp(e.mountpoint, CGROUP_ROOT "/unified") != 0)
			continue;
		if (!cg_self_find(self, v2 ? NULL : e.super, ctrl, sizeof(ctrl), &path, &plen))
			continue;
		name = base_name(e.mountpoint);
		for (i = 0; i < n_seen && strcmp(seen[i], v2 ? "" : ctrl) != 0; i++)
			;
		if (i < n_seen || n_seen == ARRAY_SIZE(seen) || strlen(ctrl) >= sizeof(seen[0]))
			continue;
		strcpy(seen[n_seen++], v2 ? "" : ctrl);
		if (!ctx->new_cgroupns && cg_own_dir(&e, path, plen, own, sizeof(own)) < 0)
			return herr_set(err, -ENOENT, "cgroup %.*s not found in %s", (int)plen,
					path, e.mountpoint);
		r = cg_mount_one(ctx, mt, cg, name, v2, ctrl, own, err);
		if (r == 0)
			r = cg_comount_links(cg, name, err);
		if (r < 0)
			return r;
	}
	if (mt->o.flags & MS_RDONLY) {
		r = mount_on_fd(NULL, cg, NULL,
				MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
				NULL);
		if (r < 0)
			return herr_errno(err, r, "remount %s read-only", mt->dest);
	}
	return 0;
}

/* cgroup v2: cgroup2 itself in a cgroup namespace, else a bind of our own cgroup directory. */
static int mount_cgroup_v2(const struct rootfs_ctx *ctx, struct mnt *mt, const char *self,
			   struct herr *err)
{
	char ctrl[8], own[PATH_MAX];
	const char *path;
	size_t plen;
	int r;

	if (ctx->new_cgroupns) {
		_cleanup_close_ int target = -1;
		bool existed;
		target = target_open(ctx, mt->dest, true, &existed, err);
		if (target < 0)
			return target;
		r = mount_on_fd(mt->m->source ? mt->m->source : "cgroup2", target, "cgroup2",
				mt->o.flags, mt->o.data);
		if (r == 0) {
			if (!mt->o.propagation && !mt->o.attr_set && !mt->o.attr_clr)
				return 0;
			_cleanup_close_ int top = target_reopen(ctx, mt->dest, err);
			return top < 0 ? top : mount_finish(top, &mt->o, err);
		}
		if (r != -EPERM && r != -EBUSY)
			return herr_errno(err, r, "mount cgroup2 on %s", mt->dest);
	}
	if (!cg_self_find(self, NULL, ctrl, sizeof(ctrl), &path, &plen))
		return herr_set(err, -ENOENT, "no cgroup v2 entry in /proc/self/cgroup");
	if ((size_t)snprintf(own, sizeof(own), CGROUP_ROOT "%.*s", (int)plen, path) >= sizeof(own))
		return herr_set(err, -ENAMETOOLONG, "cgroup path too long");
	free(mt->source);
	mt->source = strdup(own);
	if (!mt->source)
		return herr_errno(err, ENOMEM, "cgroup");
	mt->o.flags |= MS_BIND;
	return mount_bind(ctx, mt, err);
}

static int mount_cgroup(const struct rootfs_ctx *ctx, struct mnt *mt, struct herr *err)
{
	_cleanup_free_ char *self = NULL;
	struct statfs sfs;
	int r;

	if (statfs(CGROUP_ROOT, &sfs) < 0)
		return herr_sys(err, "statfs " CGROUP_ROOT);
	r = read_file_at(AT_FDCWD, "/proc/self/cgroup", &self, NULL, err);
	if (r < 0)
		return r;
	if (sfs.f_type == CGROUP2_SUPER_MAGIC)
		return mount_cgroup_v2(ctx, mt, self, err);
	return mount_cgroup_v1(ctx, mt, self, err);
}

/* ---- one config mount ---- */

static int mnt_init(const struct rootfs_ctx *ctx, const struct spec_mount *m, struct mnt *mt,
		    struct herr *err)
{
	int r = mount_opts_parse(m->options, m->n_options, &mt->o, err);

	if (r < 0)
		return r;
	mt->m = m;
	mt->type = m->type ? m->type : "";
	mt->dest = path_clean(m->destination ? m->destination : "");
	if (!mt->dest)
		return herr_errno(err, ENOMEM, "mount");
	if (strcmp(mt->type, "bind") == 0)
		mt->o.flags |= MS_BIND;
	mt->bind = mt->o.flags & MS_BIND;
	if (mt->bind) {
		const char *s = m->source ? m->source : "";
		if (s[0] == '/')
			mt->source = strdup(s);
		else if (asprintf(&mt->source, "%s/%s", ctx->bundle, s) < 0)
			mt->source = NULL;
		if (!mt->source)
			return herr_errno(err, ENOMEM, "mount");
		mt->type = "bind";
	}
	if (strcmp(mt->dest, "/") == 0)
		return herr_set(err, -EINVAL, "mount on / of the rootfs is not allowed");
	if (mt->o.idmap && !mt->bind)
		return herr_set(err, -EINVAL, "idmap is only supported on bind mounts");
	return 0;
}

static int mount_one(const struct rootfs_ctx *ctx, const struct spec_mount *m, struct herr *err)
{
	struct mnt mt = {0};
	int r = mnt_init(ctx, m, &mt, err);

	if (r == 0) {
		if (mt.bind)
			r = mount_bind(ctx, &mt, err);
		else if (strcmp(mt.type, "cgroup") == 0)
			r = mount_cgroup(ctx, &mt, err);
		else
			r = mount_fs(ctx, &mt, err);
	}
	mnt_release(&mt);
	return r;
}

/* ---- rootfs_prepare ---- */

/* pivot_root(2) needs the rootfs's parent mount not shared, and a bind below a shared parent
 * would leak to the host: make the mount holding the rootfs private (slave with rslave). */
static int make_parent_private(const char *rootfs, unsigned long prop, struct herr *err)
{
	_cleanup_free_ char *p = strdup(rootfs);
	unsigned long flag = (prop & MS_SLAVE) ? MS_SLAVE : MS_PRIVATE;

	if (!p)
		return herr_errno(err, ENOMEM, "rootfs");
	for (;;) {
		char *slash;
		if (mount(NULL, p, NULL, flag, NULL) == 0)
			return 0;
		/* EINVAL: not a mount point; try the directory above. */
		if (errno != EINVAL || strcmp(p, "/") == 0)
			return herr_sys(err, "make the mount of %s private", p);
		slash = strrchr(p, '/');
		if (slash == p)
			slash[1] = '\0';
		else
			*slash = '\0';
	}
}

static int prepare_root(struct rootfs_ctx *ctx, struct herr *err)
{
	const struct spec_linux *lx = ctx->spec->linux_;
	unsigned long prop = MS_SLAVE | MS_REC;
	int r;

	if (lx && lx->rootfs_propagation) {
		r = propagation_parse(lx->rootfs_propagation, &prop, err);
		if (r < 0)
			return r;
	}
	/* Nothing we mount may propagate to the host. */
	if (mount(NULL, "/", NULL, prop, NULL) < 0)
		return herr_sys(err, "set propagation of /");
	if (!((prop & MS_REC) && (prop & (MS_SLAVE | MS_PRIVATE)))) {
		r = make_parent_private(ctx->rootfs, prop, err);
		if (r < 0)
			return r;
	}
	if (mount(ctx->rootfs, ctx->rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
		return herr_sys(err, "bind mount rootfs %s", ctx->rootfs);
	ctx->rootfs_fd = open(ctx->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (ctx->rootfs_fd < 0)
		return herr_sys(err, "open rootfs %s", ctx->rootfs);
	return 0;
}

/* A symlinked /proc, /sys or /dev would move the kernel filesystems, and with them the masks
 * meant to cover them (runc CVE-2023-28642, youki CVE-2025-54867). */
static int check_rootfs_dirs(const struct rootfs_ctx *ctx, struct herr *err)
{
	static const char *const dirs[] = {"proc", "sys", "dev"};
	struct stat st;

	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++)
		if (fstatat(ctx->rootfs_fd, dirs[i], &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISLNK(st.st_mode))
			return herr_set(err, -ELOOP, "rootfs: /%s is a symlink, refusing", dirs[i]);
	return 0;
}

/* runc sets up /dev unless the config bind-mounts it. */
static bool dev_needs_setup(const struct spec *spec)
{
	for (size_t i = 0; i < spec->n_mounts; i++) {
		const struct spec_mount *m = &spec->mounts[i];
		_cleanup_free_ char *d = path_clean(m->destination ? m->destination : "");
		bool bind = m->type && strcmp(m->type, "bind") == 0;

		for (size_t j = 0; j < m->n_options && !bind; j++)
			bind = strcmp(m->options[j], "bind") == 0 ||
			       strcmp(m->options[j], "rbind") == 0;
		if (bind && d && strcmp(d, "/dev") == 0)
			return false;
	}
	return true;
}

/* The /dev/null used to mask files: the host's, cloned now because after pivot_root the host
 * mounts are gone; never the container's own (CVE-2025-31133). */
static int open_mask_null(struct rootfs_ctx *ctx, struct herr *err)
{
	struct stat st;

	ctx->mask_null_fd = open_tree(AT_FDCWD, "/dev/null", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	if (ctx->mask_null_fd < 0)
		return errno == ENOSYS ? 0 : herr_sys(err, "clone /dev/null");
	if (fstat(ctx->mask_null_fd, &st) < 0)
		return herr_sys(err, "stat /dev/null");
	if (!devices_is_devnull(&st))
		return herr_set(err, -EPERM, "/dev/null is not the null device");
	return 0;
}

int rootfs_prepare(struct rootfs_ctx *ctx, struct herr *err)
{
	const struct spec *spec = ctx->spec;
	const struct spec_linux *lx = spec->linux_;
	int r;

	ctx->rootfs_fd = -1;
	ctx->mask_null_fd = -1;
	r = prepare_root(ctx, err);
	if (r < 0)
		return r;
	r = check_rootfs_dirs(ctx, err);
	if (r < 0)
		return r;
	for (size_t i = 0; i < spec->n_mounts; i++) {
		r = mount_one(ctx, &spec->mounts[i], err);
		if (r < 0)
			return herr_wrap(err, "mounts[%zu]", i);
	}
	if (dev_needs_setup(spec)) {
		r = devices_setup(ctx->rootfs_fd, lx, ctx->new_userns, err);
		if (r < 0)
			return r;
	}
	if (ctx->console_slave_fd >= 0) {
		r = devices_mount_console(ctx->rootfs_fd, ctx->console_slave_fd, err);
		if (r < 0)
			return r;
	}
	if (lx && lx->n_masked_paths)
		return open_mask_null(ctx, err);
	return 0;
}

/* ---- rootfs_pivot ---- */

int rootfs_pivot(struct rootfs_ctx *ctx, struct herr *err)
{
	if (fchdir(ctx->rootfs_fd) < 0)
		return herr_sys(err, "chdir %s", ctx->rootfs);
	if (ctx->no_pivot) {
		/* --no-pivot (runc's msMoveRoot without its host /proc and /sys masking). */
		if (mount(ctx->rootfs, "/", NULL, MS_MOVE, NULL) < 0)
			return herr_sys(err, "move %s to /", ctx->rootfs);
		if (chroot(".") < 0)
			return herr_sys(err, "chroot %s", ctx->rootfs);
	} else {
		/* pivot_root(".", "."): the old root ends up stacked on the new one and is
		 * detached at once; no directory is needed in the image. */
		if (syscall(SYS_pivot_root, ".", ".") < 0)
			return herr_sys(err, "pivot_root %s", ctx->rootfs);
		/* With shared propagation the unmount would reach the host: cut it first. */
		if ((root_propagation(ctx) & MS_SHARED) &&
		    mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0)
			return herr_sys(err, "make old root rslave");
		if (umount2(".", MNT_DETACH) < 0)
			return herr_sys(err, "unmount old root");
	}
	if (chdir("/") < 0)
		return herr_sys(err, "chdir /");
	return 0;
}

/* ---- rootfs_finalize ---- */

static int readonly_path(int rootfd, const char *path, struct herr *err)
{
	_cleanup_close_ int fd = path_open_in_root(rootfd, path, O_PATH, err);
	_cleanup_close_ int tree = -1;
	int r;

	if (fd == -ENOENT)
		return 0;
	if (fd < 0)
		return fd;
	tree =
	    open_tree(fd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE | AT_EMPTY_PATH);
	if (tree < 0)
		return herr_sys(err, "bind mount %s", path);
	if (move_mount(tree, "", fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		return herr_sys(err, "bind mount %s", path);
	r = set_readonly_fd(tree, 0);
	if (r < 0)
		return herr_errno(err, r, "remount %s read-only", path);
	return 0;
}

/* An empty read-only tmpfs, made once and cloned for each masked directory. */
static int mask_tmpfs_new(struct herr *err)
{
	_cleanup_close_ int fs = fsopen("tmpfs", FSOPEN_CLOEXEC);
	int mfd;

	/* Read-only superblock and mount, as runc's `mount -t tmpfs -o ro`. */
	if (fs < 0 || fsconfig(fs, FSCONFIG_SET_STRING, "source", "tmpfs", 0) < 0 ||
	    fsconfig(fs, FSCONFIG_SET_FLAG, "ro", NULL, 0) < 0 ||
	    fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		return herr_sys(err, "create masking tmpfs");
	mfd = fsmount(fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_RDONLY);
	if (mfd < 0)
		return herr_sys(err, "create masking tmpfs");
	return mfd;
}

/* Put a copy of the mount *src on target.  A detached mount (fresh from fsmount or a clone made
 * before pivot) is attached the first time; after that it is cloned. */
static int attach_copy(int *src, bool *attached, int target)
{
	_cleanup_close_ int clone = -1;
	int from = *src;

	if (*attached) {
		clone = open_tree(*src, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
		if (clone < 0)
			return -errno;
		from = clone;
	}
	if (move_mount(from, "", target, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		return -errno;
	*attached = true;
	return 0;
}

/* Without open_tree (Linux < 5.2): the container's /dev/null, checked to be the real one. */
static int mask_null_fallback(int rootfd, struct herr *err)
{
	int fd = path_open_in_root(rootfd, "/dev/null", O_PATH | O_NOFOLLOW, err);
	struct stat st;

	if (fd < 0)
		return fd;
	if (fstat(fd, &st) < 0 || !devices_is_devnull(&st)) {
		close(fd);
		return herr_set(err, -EPERM, "container's /dev/null is not the null device");
	}
	return fd;
}

static int mask_paths(struct rootfs_ctx *ctx, const struct spec_linux *lx, struct herr *err)
{
	_cleanup_close_ int dir_src = -1;
	bool null_attached = false, dir_attached = false, null_classic = false;

	for (size_t i = 0; i < lx->n_masked_paths; i++) {
		const char *path = lx->masked_paths[i];
		_cleanup_close_ int fd = path_open_in_root(ctx->rootfs_fd, path, O_PATH, err);
		struct stat st;
		char p[FD_PATH_MAX], q[FD_PATH_MAX];
		int r;

		if (fd == -ENOENT || fd == -ENOTDIR)
			continue;
		if (fd < 0 || fstat(fd, &st) < 0)
			return herr_wrap(err, "maskedPaths[%zu]", i);
		if (S_ISDIR(st.st_mode)) {
			if (dir_src < 0) {
				dir_src = mask_tmpfs_new(err);
				if (dir_src < 0)
					return herr_wrap(err, "maskedPaths[%zu]", i);
			}
			r = attach_copy(&dir_src, &dir_attached, fd);
		} else {
			if (ctx->mask_null_fd < 0) {
				ctx->mask_null_fd = mask_null_fallback(ctx->rootfs_fd, err);
				if (ctx->mask_null_fd < 0)
					return herr_wrap(err, "maskedPaths[%zu]", i);
				null_classic = true;
			}
			if (null_classic)
				r = mount(fd_path(p, ctx->mask_null_fd), fd_path(q, fd), NULL,
					  MS_BIND, NULL) < 0
					? -errno
					: 0;
			else
				r = attach_copy(&ctx->mask_null_fd, &null_attached, fd);
		}
		if (r < 0)
			return herr_errno(err, r, "maskedPaths[%zu]: mask %s", i, path);
	}
	return 0;
}

static int remount_ro_mounts(struct rootfs_ctx *ctx, struct herr *err)
{
	for (size_t i = 0; i < ctx->spec->n_mounts; i++) {
		struct mnt mt = {0};
		int r = mnt_init(ctx, &ctx->spec->mounts[i], &mt, err);

		if (r == 0 && !mt.bind && mnt_ro_later(&mt)) {
			int fd = path_open_in_root(ctx->rootfs_fd, mt.dest, O_PATH, err);
			r = fd;
			if (fd >= 0) {
				r = set_readonly_fd(fd, 0);
				if (r < 0)
					herr_errno(err, r, "remount %s read-only", mt.dest);
				close(fd);
			}
		}
		mnt_release(&mt);
		if (r < 0)
			return herr_wrap(err, "mounts[%zu]", i);
	}
	return 0;
}

static int finalize(struct rootfs_ctx *ctx, struct herr *err)
{
	const struct spec_linux *lx = ctx->spec->linux_;
	unsigned long prop = root_propagation(ctx);
	int r;

	for (size_t i = 0; lx && i < lx->n_readonly_paths; i++) {
		r = readonly_path(ctx->rootfs_fd, lx->readonly_paths[i], err);
		if (r < 0)
			return herr_wrap(err, "readonlyPaths[%zu]", i);
	}
	if (lx && lx->n_masked_paths) {
		r = mask_paths(ctx, lx, err);
		if (r < 0)
			return r;
	}
	r = remount_ro_mounts(ctx, err);
	if (r < 0)
		return r;
	if (ctx->spec->root && ctx->spec->root->readonly) {
		r = set_readonly_fd(ctx->rootfs_fd, 0);
		if (r < 0)
			return herr_errno(err, r, "remount root read-only");
	}
	/* rslave/rprivate were applied before; shared and unbindable take effect on the new /. */
	if ((prop & (MS_SHARED | MS_UNBINDABLE)) && mount(NULL, "/", NULL, prop, NULL) < 0)
		return herr_sys(err, "set propagation of /");
	return 0;
}

int rootfs_finalize(struct rootfs_ctx *ctx, struct herr *err)
{
	int r = finalize(ctx, err);

	if (ctx->mask_null_fd >= 0)
		close(ctx->mask_null_fd);
	if (ctx->rootfs_fd >= 0)
		close(ctx->rootfs_fd);
	ctx->mask_null_fd = -1;
	ctx->rootfs_fd = -1;
	return r;
}
