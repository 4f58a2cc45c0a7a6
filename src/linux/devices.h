/* Device nodes in the container's /dev, created inside the rootfs before pivot_root:
 * the default set every container gets (null, zero, full, random, urandom, tty, as runc),
 * linux.devices, /dev/ptmx -> pts/ptmx, the /dev/fd, stdin, stdout, stderr and core symlinks,
 * and the console.  Nodes are made with mknod(2), or bind-mounted from the host's node when the
 * container has its own user namespace (where mknod is not allowed) or mknod says EPERM. */
#ifndef HUSK_LINUX_DEVICES_H
#define HUSK_LINUX_DEVICES_H

#include <stdbool.h>

#include "spec/spec.h"
#include "util/error.h"

/* Populate ROOTFS/dev (rootfd: the rootfs): default devices (a linux.devices entry with the same
 * path replaces the default), then linux.devices in order, then ptmx and the symlinks.  Errors
 * carry the JSON path: `linux.devices[2].path: "/etc/x" is not under /dev`. */
int devices_setup(int rootfd, const struct spec_linux *lx, bool use_bind, struct herr *err);

/* Bind the pty slave `slave_fd` on ROOTFS/dev/console (created as an empty file first). */
int devices_mount_console(int rootfd, int slave_fd, struct herr *err);

/* True when st is the real /dev/null (character device 1:3). */
struct stat;
bool devices_is_devnull(const struct stat *st);

#endif
