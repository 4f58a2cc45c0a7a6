/* Small file helpers.  Every fd is O_CLOEXEC. */
#ifndef HUSK_UTIL_FS_H
#define HUSK_UTIL_FS_H

#include <stddef.h>
#include <sys/types.h>

#include "util/error.h"

/* Read a whole file (relative to dirfd, or AT_FDCWD) into a NUL-terminated malloc'ed buffer. */
int read_file_at(int dirfd, const char *path, char **out, size_t *len, struct herr *err);

/* write(2) the whole buffer, retrying short writes and EINTR. Returns 0 or -errno. */
int write_all(int fd, const void *buf, size_t len);

/* Open path (relative to dirfd) O_WRONLY and write the string: for /proc, /sys and cgroup
 * files, where the kernel validates the value. */
int write_file_at(int dirfd, const char *path, const char *value, struct herr *err);

/* Files others read: a temp file beside `name` in dirfd, fsync, then rename over it. */
int write_file_atomic_at(int dirfd, const char *name, const void *data, size_t len, mode_t mode,
			 struct herr *err);

/* Close every fd from `first` on except `keep` (-1: none): what husk's caller left open. */
void close_fds_from(int first, int keep);

/* mkdir -p on a host path (never inside a container rootfs: see util/path.h for that). */
int mkdir_p(const char *path, mode_t mode, struct herr *err);

#endif
