/* Resolution inside a root: openat2(RESOLVE_IN_ROOT) or, without it, an equivalent walk. */
#include "util/path.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util/cleanup.h"

/* Linux's MAXSYMLINKS: the walk gives up with ELOOP after as many links as the kernel would. */
#define PATH_MAX_SYMLINKS 40

static bool openat2_missing;
static bool force_walk;

void path_force_walk(bool on)
{
	force_walk = on;
}

static int sys_openat2(int dirfd, const char *path, int flags)
{
	struct open_how how = {
	    .flags = (uint64_t)(flags | O_CLOEXEC),
	    .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	int fd;

	/* EAGAIN: a rename or mount raced with a ".." lookup; the kernel asks us to retry. */
	for (int tries = 0; tries < 32; tries++) {
		fd = (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
		if (fd >= 0 || errno != EAGAIN)
			break;
	}
	return fd < 0 ? -errno : fd;
}

/* procfs symlinks that are plain text links; every other procfs link is treated as a magic link
 * (fd/N, exe, cwd, root, ns/...) and refused, as RESOLVE_NO_MAGICLINKS does. */
static bool proc_link_is_plain(const char *name)
{
	return strcmp(name, "self") == 0 || strcmp(name, "thread-self") == 0 ||
	       strcmp(name, "mounts") == 0 || strcmp(name, "net") == 0;
}

struct walk {
	int *fds; /* fds[0] is the root (not owned); fds[1..depth] are owned O_PATH dirs */
	size_t depth;
	size_t cap;
};

static void walk_release(struct walk *w)
{
	for (size_t i = 1; i <= w->depth; i++)
		close(w->fds[i]);
	free(w->fds);
}

static int walk_push(struct walk *w, int fd)
{
	if (w->depth + 1 >= w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 16;
		int *n = realloc(w->fds, cap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		w->fds = n;
		w->cap = cap;
	}
	w->fds[++w->depth] = fd;
	return 0;
}

static void walk_pop_to(struct walk *w, size_t depth)
{
	while (w->depth > depth)
		close(w->fds[w->depth--]);
}

/* Replace the unprocessed path with "link/rest". */
static int walk_splice(char **rest_buf, const char *rest, const char *link)
{
	size_t ll = strlen(link), rl = strlen(rest);
	char *n = malloc(ll + rl + 2);

	if (!n)
		return -ENOMEM;
	memcpy(n, link, ll);
	n[ll] = '/';
	memcpy(n + ll + 1, rest, rl + 1);
	free(*rest_buf);
	*rest_buf = n;
	return 0;
}

/* Reopen the final component with the caller's flags and check it is the inode we resolved. */
static int walk_reopen(int dirfd, const char *name, int fd, int flags)
{
	struct stat a, b;
	int nfd;

	if (flags & O_PATH)
		return fd;
	nfd = openat(dirfd, name, flags | O_NOFOLLOW | O_CLOEXEC);
	if (nfd < 0) {
		int e = -errno;
		close(fd);
		return e;
	}
	if (fstat(fd, &a) < 0 || fstat(nfd, &b) < 0 || a.st_dev != b.st_dev ||
	    a.st_ino != b.st_ino) {
		close(fd);
		close(nfd);
		return -EAGAIN;
	}
	close(fd);
	return nfd;
}

static int walk_in_root(int rootfd, const char *path, int flags)
{
	struct walk w = {0};
	_cleanup_free_ char *buf = strdup(path);
	char *rest = buf;
	int links = 0, r;

	if (!buf)
		return -ENOMEM;
	w.cap = 16;
	w.fds = malloc(w.cap * sizeof(*w.fds));
	if (!w.fds)
		return -ENOMEM;
	w.fds[0] = rootfd;

	for (;;) {
		char *comp, *slash;
		bool last;
		struct stat st;
		int fd;

		while (*rest == '/')
			rest++;
		if (*rest == '\0') {
			/* The path ended on a directory (or "." / ".."): open it. */
			fd = openat(w.fds[w.depth], ".", (flags & ~O_NOFOLLOW) | O_CLOEXEC);
			r = fd < 0 ? -errno : fd;
			break;
		}
		comp = rest;
		slash = strchr(rest, '/');
		if (slash) {
			*slash = '\0';
			rest = slash + 1;
		} else {
			rest += strlen(rest);
		}
		last = strspn(rest, "/") == strlen(rest);

		if (strcmp(comp, ".") == 0)
			continue;
		if (strcmp(comp, "..") == 0) {
			/* Every fd on the stack is a real directory, so ".." is the stack's parent;
			 * at the root it stays there, as RESOLVE_IN_ROOT does. */
			if (w.depth > 0)
				walk_pop_to(&w, w.depth - 1);
			continue;
		}
		fd = openat(w.fds[w.depth], comp, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0) {
			r = -errno;
			break;
		}
		if (fstat(fd, &st) < 0) {
			r = -errno;
			close(fd);
			break;
		}
		if (S_ISLNK(st.st_mode) && !(last && (flags & O_NOFOLLOW))) {
			char target[PATH_MAX];
			struct statfs sfs;
			ssize_t n;

			if (++links > PATH_MAX_SYMLINKS ||
			    (fstatfs(fd, &sfs) == 0 && sfs.f_type == PROC_SUPER_MAGIC &&
			     !proc_link_is_plain(comp))) {
				close(fd);
				r = -ELOOP;
				break;
			}
			n = readlinkat(fd, "", target, sizeof(target) - 1);
			close(fd);
			if (n < 0) {
				r = -errno;
				break;
			}
			target[n] = '\0';
			if (target[0] == '/')
				walk_pop_to(&w, 0);
			r = walk_splice(&buf, rest, target);
			if (r < 0)
				break;
			rest = buf;
			continue;
		}
		if (last) {
			if ((flags & O_DIRECTORY) && !S_ISDIR(st.st_mode)) {
				close(fd);
				r = -ENOTDIR;
				break;
			}
			r = walk_reopen(w.fds[w.depth], comp, fd, flags);
			break;
		}
		if (!S_ISDIR(st.st_mode)) {
			close(fd);
			r = -ENOTDIR;
			break;
		}
		r = walk_push(&w, fd);
		if (r < 0) {
			close(fd);
			break;
		}
	}
	walk_release(&w);
	return r;
}

static int open_in_root(int rootfd, const char *path, int flags)
{
	if (!force_walk && !openat2_missing) {
		int fd = sys_openat2(rootfd, path, flags);
		if (fd != -ENOSYS)
			return fd;
		openat2_missing = true;
	}
	return walk_in_root(rootfd, path, flags);
}

int path_open_in_root(int rootfd, const char *path, int flags, struct herr *err)
{
	int fd = open_in_root(rootfd, path, flags);

	if (fd < 0)
		return herr_errno(err, fd, "open %s", path);
	return fd;
}

/* Components of a path: [start, end) offsets into it. */
struct comp {
	size_t start, end;
};

static size_t split_components(const char *path, struct comp *out, size_t max)
{
	size_t n = 0, i = 0;

	while (path[i]) {
		while (path[i] == '/')
			i++;
		if (!path[i])
			break;
		if (n == max)
			return SIZE_MAX;
		out[n].start = i;
		while (path[i] && path[i] != '/')
			i++;
		out[n++].end = i;
	}
	return n;
}

/* Open the first `upto` components of path (the whole prefix, up to the end of component
 * upto-1) as an in-root O_PATH directory. */
static int open_prefix(int rootfd, const char *path, const struct comp *c, size_t upto)
{
	_cleanup_free_ char *prefix = NULL;

	if (upto == 0) {
		int fd = openat(rootfd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
		return fd < 0 ? -errno : fd;
	}
	prefix = strndup(path, c[upto - 1].end);
	if (!prefix)
		return -ENOMEM;
	return open_in_root(rootfd, prefix, O_PATH | O_DIRECTORY);
}

#define PATH_MAX_LINKS 40

/* Component i of path is a symlink (a dangling one: its target does not exist yet).  As runc
 * (securejoin's MkdirAll), follow it inside the root: the rest of the path continues from its
 * target, an absolute target being relative to the root.  Writes the new path to out. */
static int follow_link_in_root(int dirfd, const char *path, const struct comp *c, size_t i,
			       size_t n, char *out, size_t size)
{
	char target[PATH_MAX];
	const char *rest = c[i].end < strlen(path) ? path + c[i].end : "";
	char name[NAME_MAX + 1];
	size_t len = c[i].end - c[i].start;
	ssize_t tl;
	int w;

	memcpy(name, path + c[i].start, len);
	name[len] = '\0';
	tl = readlinkat(dirfd, name, target, sizeof(target) - 1);
	if (tl < 0)
		return -errno;
	target[tl] = '\0';
	(void)n;
	if (target[0] == '/')
		w = snprintf(out, size, "%s%s", target, rest);
	else
		w = snprintf(out, size, "%.*s%s%s", (int)c[i].start, path, target, rest);
	return (w < 0 || (size_t)w >= size) ? -ENAMETOOLONG : 0;
}

static int mkdir_in_root_links(int rootfd, const char *path, mode_t mode, int links);

static int mkdir_in_root(int rootfd, const char *path, mode_t mode)
{
	return mkdir_in_root_links(rootfd, path, mode, 0);
}

static int mkdir_in_root_links(int rootfd, const char *path, mode_t mode, int links)
{
	struct comp c[PATH_MAX / 2];
	size_t n, have;
	int fd = open_in_root(rootfd, path, O_PATH | O_DIRECTORY);

	if (fd != -ENOENT)
		return fd;
	n = split_components(path, c, ARRAY_SIZE(c));
	if (n == SIZE_MAX)
		return -ENAMETOOLONG;

	/* Find the deepest prefix that exists (usually the parent), then create forward. */
	for (have = n; have-- > 0;) {
		fd = open_prefix(rootfd, path, c, have);
		if (fd >= 0)
			break;
		if (fd != -ENOENT)
			return fd;
	}
	if (fd < 0)
		return fd;
	for (size_t i = have; i < n; i++) {
		char name[NAME_MAX + 1];
		size_t len = c[i].end - c[i].start;
		int next;

		if (len > NAME_MAX) {
			close(fd);
			return -ENAMETOOLONG;
		}
		memcpy(name, path + c[i].start, len);
		name[len] = '\0';
		if (strcmp(name, ".") == 0)
			continue;
		if (strcmp(name, "..") == 0) {
			next = open_prefix(rootfd, path, c, i + 1);
		} else {
			if (mkdirat(fd, name, mode) < 0 && errno != EEXIST) {
				next = -errno;
			} else {
				/* O_NOFOLLOW: a symlink planted after mkdir (or a dangling one that
				 * made mkdir fail with EEXIST) is refused, not followed. */
				next =
				    openat(fd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
				if (next < 0)
					next = -errno;
				if (next == -ENOTDIR || next == -ELOOP) {
					char np[PATH_MAX];
					struct stat st;
					if (fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
					    S_ISLNK(st.st_mode) && links < PATH_MAX_LINKS &&
					    follow_link_in_root(fd, path, c, i, n, np, sizeof(np)) == 0) {
						close(fd);
						return mkdir_in_root_links(rootfd, np, mode, links + 1);
					}
				}
			}
		}
		close(fd);
		if (next < 0)
			return next;
		fd = next;
	}
	return fd;
}

int path_mkdir_in_root(int rootfd, const char *path, mode_t mode, struct herr *err)
{
	int fd = mkdir_in_root(rootfd, path, mode);

	if (fd < 0)
		return herr_errno(err, fd, "mkdir %s", path);
	return fd;
}

/* Split path into its parent part (copied into parent, "/" if none) and last component. */
static int split_last(const char *path, char *parent, size_t parent_size, char *name)
{
	size_t len = strlen(path), end, start;

	while (len > 0 && path[len - 1] == '/')
		len--;
	end = len;
	while (len > 0 && path[len - 1] != '/')
		len--;
	start = len;
	if (end == start || end - start > NAME_MAX)
		return end == start ? -EINVAL : -ENAMETOOLONG;
	memcpy(name, path + start, end - start);
	name[end - start] = '\0';
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return -EINVAL;
	if (start >= parent_size)
		return -ENAMETOOLONG;
	if (start == 0) {
		strcpy(parent, "/");
	} else {
		memcpy(parent, path, start);
		parent[start] = '\0';
	}
	return 0;
}

static int open_parent_in_root(int rootfd, const char *path, char *name)
{
	char parent[PATH_MAX];
	int r = split_last(path, parent, sizeof(parent), name);

	if (r < 0)
		return r;
	return mkdir_in_root(rootfd, parent, 0755);
}

int path_open_parent_in_root(int rootfd, const char *path, char *name, struct herr *err)
{
	int fd = open_parent_in_root(rootfd, path, name);

	if (fd < 0)
		return herr_errno(err, fd, "mkdir parent of %s", path);
	return fd;
}

int path_create_in_root(int rootfd, const char *path, mode_t mode, int flags, struct herr *err)
{
	char name[NAME_MAX + 1];
	_cleanup_close_ int dirfd = -1;
	int fd = open_in_root(rootfd, path, flags);

	if (fd != -ENOENT)
		return fd < 0 ? herr_errno(err, fd, "open %s", path) : fd;
	dirfd = open_parent_in_root(rootfd, path, name);
	if (dirfd < 0)
		return herr_errno(err, dirfd, "mkdir parent of %s", path);
	/* EEXIST here means a dangling symlink: refused, never followed to create its target. */
	if (mknodat(dirfd, name, S_IFREG | (mode & 07777), 0) < 0)
		return herr_sys(err, "create %s", path);
	fd = openat(dirfd, name, flags | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return herr_sys(err, "open %s", path);
	return fd;
}

char *path_clean(const char *path)
{
	size_t len = strlen(path), o = 0;
	char *out = malloc(len + 2);
	const char *p = path;

	if (!out)
		return NULL;
	out[o++] = '/';
	while (*p) {
		const char *s;
		size_t n;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		s = p;
		while (*p && *p != '/')
			p++;
		n = (size_t)(p - s);
		if (n == 1 && s[0] == '.')
			continue;
		if (n == 2 && s[0] == '.' && s[1] == '.') {
			while (o > 1 && out[o - 1] != '/')
				o--;
			if (o > 1)
				o--;
			continue;
		}
		if (o > 1)
			out[o++] = '/';
		memcpy(out + o, s, n);
		o += n;
	}
	out[o] = '\0';
	return out;
}

bool path_has_prefix(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);

	if (n == 1 && prefix[0] == '/')
		return path[0] == '/';
	return strncmp(path, prefix, n) == 0 && (path[n] == '\0' || path[n] == '/');
}
