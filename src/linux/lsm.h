/* Linux security modules as runc uses them: the AppArmor profile and the SELinux label a
 * container process gets at execve, and whether the host has either enabled. */
#ifndef HUSK_LINUX_LSM_H
#define HUSK_LINUX_LSM_H

#include <stdbool.h>

#include "spec/spec.h"
#include "util/error.h"

/* /sys/kernel/security/apparmor exists and the module parameter says Y (runc's isEnabled). */
bool lsm_apparmor_enabled(void);

/* selinuxfs is mounted (/sys/fs/selinux/enforce exists). */
bool lsm_selinux_enabled(void);

/* Before clone or fork, as runc's validator: a SELinux process label or mount label on a host
 * without SELinux is refused.  `name` prefixes the JSON path ("config.json"). */
int lsm_check_spec(const struct spec *spec, const char *name, struct herr *err);

/* aa_change_onexec: the profile applies at the next execve.  NULL or "" does nothing; with
 * AppArmor disabled it fails, as runc 1.1 does (the kernel refuses the write). */
int lsm_apparmor_exec(const char *profile, struct herr *err);

/* setexeccon: the SELinux label the next execve gets.  NULL or "" does nothing. */
int lsm_selinux_exec(const char *label, struct herr *err);

#endif
