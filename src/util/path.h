/* Safe paths inside a container rootfs.  A path in the rootfs is resolved as if the rootfs were
 * "/": absolute symlinks and ".." stop at the rootfs, so an image (or a process racing us) can't
 * redirect us to the host.  openat2(RESOLVE_IN_ROOT|RESOLVE_NO_MAGICLINKS) does the work; on
 * kernels without it (ENOSYS) a component-by-component walk with the same semantics does.
 * Every fd returned is O_CLOEXEC; on failure the functions return -errno and fill err. */
#ifndef HUSK_UTIL_PATH_H
#define HUSK_UTIL_PATH_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "util/error.h"

/* Open `path` inside the tree rooted at `rootfd` with open(2) `flags` (O_PATH, O_DIRECTORY,
 * O_NOFOLLOW, O_RDONLY...; O_CREAT is not supported here: see path_create_in_root()). */
int path_open_in_root(int rootfd, const char *path, int flags, struct herr *err);

/* mkdir -p inside the root; returns an O_PATH|O_DIRECTORY fd of the final directory.  Existing
 * symlinks on the way are followed inside the root. */
int path_mkdir_in_root(int rootfd, const char *path, mode_t mode, struct herr *err);

/* Make the parents of `path` (mode 0755) and return an O_PATH fd of the parent directory; the
 * last component is copied to `name` (NAME_MAX + 1 bytes).  "/" or a path ending in ".." has no
 * last component: -EINVAL. */
int path_open_parent_in_root(int rootfd, const char *path, char *name, struct herr *err);

/* Open `path` like path_open_in_root(); when it does not exist, create an empty regular file
 * there (parents too) and open that, never following a symlink that appeared meanwhile. */
int path_create_in_root(int rootfd, const char *path, mode_t mode, int flags, struct herr *err);

/* Lexically clean an absolute or relative path: "//a/./b/../c/" -> "/a/c".  ".." at the root
 * stays at the root.  A relative path is made absolute ("a" -> "/a").  malloc'ed, NULL on ENOMEM.
 */
char *path_clean(const char *path);

/* True when clean path `path` equals `prefix` or lies below it ("/dev/null" below "/dev"). */
bool path_has_prefix(const char *path, const char *prefix);

/* Test hook: resolve with the fallback walk even when openat2(2) exists. */
void path_force_walk(bool on);

#endif
