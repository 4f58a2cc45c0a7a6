#include "util/fs.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util/cleanup.h"

int read_file_at(int dirfd, const char *path, char **out, size_t *len, struct herr *err)
{
	_cleanup_close_ int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	_cleanup_free_ char *buf = NULL;
	size_t size = 0, used = 0;

	if (fd < 0)
		return herr_sys(err, "open %s", path);
	for (;;) {
		ssize_t n;
		if (size - used < 4096) {
			char *nb = realloc(buf, size ? size * 2 : 8192);
			if (!nb)
				return herr_errno(err, ENOMEM, "read %s", path);
			buf = nb;
			size = size ? size * 2 : 8192;
		}
		n = read(fd, buf + used, size - used - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return herr_sys(err, "read %s", path);
		}
		if (n == 0)
			break;
		used += (size_t)n;
	}
	buf[used] = '\0';
	if (len)
		*len = used;
	*out = steal_pointer(&buf);
	return 0;
}

int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int write_file_at(int dirfd, const char *path, const char *value, struct herr *err)
{
	_cleanup_close_ int fd = openat(dirfd, path, O_WRONLY | O_CLOEXEC);
	int r;

	if (fd < 0)
		return herr_sys(err, "open %s", path);
	r = write_all(fd, value, strlen(value));
	if (r < 0)
		return herr_errno(err, r, "write %s to %s", value, path);
	return 0;
}

int write_file_atomic_at(int dirfd, const char *name, const void *data, size_t len, mode_t mode,
			 struct herr *err)
{
	char tmp[PATH_MAX];
	int r;

	snprintf(tmp, sizeof(tmp), ".%s.tmp%d", name, (int)getpid());
	{
		_cleanup_close_ int fd =
			openat(dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
		if (fd < 0)
			return herr_sys(err, "create %s", tmp);
		r = write_all(fd, data, len);
		if (r == 0 && fsync(fd) < 0)
			r = -errno;
	}
	if (r == 0 && renameat(dirfd, tmp, dirfd, name) < 0)
		r = -errno;
	if (r < 0) {
		unlinkat(dirfd, tmp, 0);
		return herr_errno(err, r, "write %s", name);
	}
	return 0;
}

int mkdir_p(const char *path, mode_t mode, struct herr *err)
{
	char buf[PATH_MAX];
	size_t len = strlen(path);

	if (len == 0 || len >= sizeof(buf))
		return herr_set(err, -ENAMETOOLONG, "mkdir %s: invalid path", path);
	memcpy(buf, path, len + 1);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, mode) < 0 && errno != EEXIST)
			return herr_sys(err, "mkdir %s", buf);
		*p = '/';
	}
	if (mkdir(buf, mode) < 0 && errno != EEXIST)
		return herr_sys(err, "mkdir %s", buf);
	return 0;
}

void close_fds_from(int first, int keep)
{
	if (keep >= first) {
		if (keep > first)
			syscall(SYS_close_range, first, keep - 1, 0);
		first = keep + 1;
	}
	syscall(SYS_close_range, first, ~0U, 0);
}
