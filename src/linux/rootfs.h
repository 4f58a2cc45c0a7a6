/* The container's filesystem view, built inside the container's mount namespace by the
 * container init process:
 *   rootfs_prepare()  propagation, rootfs bind, config mounts in order, /dev, devices
 *   (createRuntime/createContainer hooks run here: the container's mounts exist, the root
 *   has not moved yet)
 *   rootfs_pivot()    pivot_root (or MS_MOVE + chroot with --no-pivot)
 *   rootfs_finalize() maskedPaths, readonlyPaths, root.readonly, final propagation
 * Every path inside the rootfs is resolved inside it (util/path.h), never by joining strings. */
#ifndef HUSK_LINUX_ROOTFS_H
#define HUSK_LINUX_ROOTFS_H

#include <stdbool.h>

#include "spec/spec.h"
#include "util/error.h"

struct rootfs_ctx {
	const struct spec *spec;
	const char *rootfs;    /* absolute host path of root.path */
	const char *bundle;    /* absolute bundle dir: relative bind sources are relative to it */
	bool no_pivot;         /* --no-pivot */
	bool new_userns;       /* the container has its own user namespace */
	bool new_cgroupns;     /* the container has its own cgroup namespace */
	int console_slave_fd;  /* pty slave to bind on /dev/console, or -1 */
	/* filled by rootfs_prepare(), closed by rootfs_finalize(): */
	int rootfs_fd;         /* O_PATH fd of the rootfs mount */
	int mask_null_fd;      /* clone of the host's /dev/null for maskedPaths, or -1 */
};

int rootfs_prepare(struct rootfs_ctx *ctx, struct herr *err);
int rootfs_pivot(struct rootfs_ctx *ctx, struct herr *err);
int rootfs_finalize(struct rootfs_ctx *ctx, struct herr *err);

#endif
