/* Mount options: the table from OCI option names to MS_* flags, propagation and recursive
 * mount_setattr(2) attributes.  Pure logic: unit tested. */
#ifndef HUSK_LINUX_MOUNT_H
#define HUSK_LINUX_MOUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

struct mount_opts {
	unsigned long flags;       /* MS_* to set (MS_RDONLY, MS_NOSUID, MS_BIND, MS_REC, ...) */
	unsigned long clear;       /* MS_* the options cleared explicitly ("rw", "suid", ...) */
	unsigned long propagation; /* MS_SHARED|MS_PRIVATE|MS_SLAVE|MS_UNBINDABLE (+MS_REC) or 0 */
	uint64_t attr_set;         /* MOUNT_ATTR_* for recursive r* options (rro, rnosuid, ...) */
	uint64_t attr_clr;
	bool idmap;                /* "idmap" / "ridmap" */
	bool recursive_idmap;
	bool tmpcopyup;            /* crun's "tmpcopyup" (accepted, applied for tmpfs) */
	char *data;                /* the rest, comma-joined, passed to the filesystem (malloc'ed) */
};

/* Parse a mount's options.  Unknown names go to data, as runc does. */
int mount_opts_parse(char *const *options, size_t n, struct mount_opts *out, struct herr *err);
void mount_opts_free(struct mount_opts *o);

/* The option names mount_opts_parse() knows (`husk features`): the i-th, NULL past the end. */
const char *mount_opt_name_at(size_t i);

#endif
