/* Writes to /proc that must reach the file they name (sysctls, oom_score_adj).  Anything the
 * config or the image put at /proc -- a tmpfs, a bind of another procfs file, an overmount of
 * /proc/sys/..., a symlink -- must not redirect them (CVE-2019-16884, CVE-2025-52881).
 *
 * The handle is the /proc of the current root when it is the root of a procfs instance with
 * nothing mounted on the path used, else a fresh procfs instance of our own (fsopen), which no
 * one else can have mounted anything on.  Paths below it are opened with openat2
 * RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS|RESOLVE_NO_XDEV, and the file opened is checked to be on
 * procfs.  The handle is cached per process (O_CLOEXEC). */
#ifndef HUSK_LINUX_PROCFS_H
#define HUSK_LINUX_PROCFS_H

#include <stdbool.h>

#include "util/error.h"

/* Open `path` ("sys/net/ipv4/ip_forward") below the checked procfs with open(2) `flags`. */
int procfs_open(const char *path, int flags, struct herr *err);

/* The same for a file of this process: "oom_score_adj" -> "<our pid in that procfs>/...". */
int procfs_open_self(const char *file, int flags, struct herr *err);

/* Write `value` to `path` below the checked procfs (procfs_open_self() when `self`). */
int procfs_write(const char *path, bool self, const char *value, struct herr *err);

/* Forget the cached handle (after pivot_root or a namespace change). */
void procfs_reset(void);

#endif
