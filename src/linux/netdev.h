/* linux.netDevices (runtime-spec 1.3, config-linux.md "Network Devices"): host interfaces
 * moved into the container's network namespace, renamed when asked, with their permanent
 * global addresses, and set up, as runc 1.3 does.  rtnetlink directly; run by the parent,
 * which is still in the host's network namespace. */
#ifndef HUSK_LINUX_NETDEV_H
#define HUSK_LINUX_NETDEV_H

#include <sys/types.h>

#include "spec/spec.h"
#include "util/error.h"

/* Move every device of l->net_devices into the network namespace of process `pid`.  A device
 * moved before a failure goes back (physical) or away (virtual) with the namespace, which the
 * caller destroys by killing the init (the runtime-spec leaves that to the kernel). */
int netdev_move_all(const struct spec_linux *l, pid_t pid, struct herr *err);

#endif
