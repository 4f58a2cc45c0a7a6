/* OCI mount option names -> MS_* flags, propagation and mount_setattr(2) attributes.
 * The table follows the runtime-spec's "Linux mount options" list and runc's parser. */
#include "linux/mount.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "util/cleanup.h"

enum opt_kind {
	OPT_FLAG,	 /* MS_* set (or cleared when .clear) */
	OPT_PROPAGATION, /* MS_SHARED|... (+MS_REC) */
	OPT_ATTR,	 /* MOUNT_ATTR_* for mount_setattr(AT_RECURSIVE) */
	OPT_IDMAP,
	OPT_RIDMAP,
	OPT_TMPCOPYUP,
};

struct opt_def {
	const char *name;
	enum opt_kind kind;
	bool clear;
	unsigned long value;
};

static const struct opt_def opt_table[] = {
    {"defaults", OPT_FLAG, false, 0},
    {"ro", OPT_FLAG, false, MS_RDONLY},
    {"rw", OPT_FLAG, true, MS_RDONLY},
    {"nosuid", OPT_FLAG, false, MS_NOSUID},
    {"suid", OPT_FLAG, true, MS_NOSUID},
    {"nodev", OPT_FLAG, false, MS_NODEV},
    {"dev", OPT_FLAG, true, MS_NODEV},
    {"noexec", OPT_FLAG, false, MS_NOEXEC},
    {"exec", OPT_FLAG, true, MS_NOEXEC},
    {"sync", OPT_FLAG, false, MS_SYNCHRONOUS},
    {"async", OPT_FLAG, true, MS_SYNCHRONOUS},
    {"dirsync", OPT_FLAG, false, MS_DIRSYNC},
    {"remount", OPT_FLAG, false, MS_REMOUNT},
    {"mand", OPT_FLAG, false, MS_MANDLOCK},
    {"nomand", OPT_FLAG, true, MS_MANDLOCK},
    {"noatime", OPT_FLAG, false, MS_NOATIME},
    {"atime", OPT_FLAG, true, MS_NOATIME},
    {"nodiratime", OPT_FLAG, false, MS_NODIRATIME},
    {"diratime", OPT_FLAG, true, MS_NODIRATIME},
    {"relatime", OPT_FLAG, false, MS_RELATIME},
    {"norelatime", OPT_FLAG, true, MS_RELATIME},
    {"strictatime", OPT_FLAG, false, MS_STRICTATIME},
    {"nostrictatime", OPT_FLAG, true, MS_STRICTATIME},
    {"nosymfollow", OPT_FLAG, false, MS_NOSYMFOLLOW},
    {"symfollow", OPT_FLAG, true, MS_NOSYMFOLLOW},
    {"lazytime", OPT_FLAG, false, MS_LAZYTIME},
    {"nolazytime", OPT_FLAG, true, MS_LAZYTIME},
    {"silent", OPT_FLAG, false, MS_SILENT},
    {"loud", OPT_FLAG, true, MS_SILENT},
    {"iversion", OPT_FLAG, false, MS_I_VERSION},
    {"noiversion", OPT_FLAG, true, MS_I_VERSION},
    {"acl", OPT_FLAG, false, MS_POSIXACL},
    {"noacl", OPT_FLAG, true, MS_POSIXACL},
    {"bind", OPT_FLAG, false, MS_BIND},
    {"rbind", OPT_FLAG, false, MS_BIND | MS_REC},

    {"private", OPT_PROPAGATION, false, MS_PRIVATE},
    {"rprivate", OPT_PROPAGATION, false, MS_PRIVATE | MS_REC},
    {"shared", OPT_PROPAGATION, false, MS_SHARED},
    {"rshared", OPT_PROPAGATION, false, MS_SHARED | MS_REC},
    {"slave", OPT_PROPAGATION, false, MS_SLAVE},
    {"rslave", OPT_PROPAGATION, false, MS_SLAVE | MS_REC},
    {"unbindable", OPT_PROPAGATION, false, MS_UNBINDABLE},
    {"runbindable", OPT_PROPAGATION, false, MS_UNBINDABLE | MS_REC},

    {"rro", OPT_ATTR, false, MOUNT_ATTR_RDONLY},
    {"rrw", OPT_ATTR, true, MOUNT_ATTR_RDONLY},
    {"rnosuid", OPT_ATTR, false, MOUNT_ATTR_NOSUID},
    {"rsuid", OPT_ATTR, true, MOUNT_ATTR_NOSUID},
    {"rnodev", OPT_ATTR, false, MOUNT_ATTR_NODEV},
    {"rdev", OPT_ATTR, true, MOUNT_ATTR_NODEV},
    {"rnoexec", OPT_ATTR, false, MOUNT_ATTR_NOEXEC},
    {"rexec", OPT_ATTR, true, MOUNT_ATTR_NOEXEC},
    {"rnodiratime", OPT_ATTR, false, MOUNT_ATTR_NODIRATIME},
    {"rdiratime", OPT_ATTR, true, MOUNT_ATTR_NODIRATIME},
    {"rrelatime", OPT_ATTR, false, MOUNT_ATTR_RELATIME},
    {"rnorelatime", OPT_ATTR, true, MOUNT_ATTR_RELATIME},
    {"rnoatime", OPT_ATTR, false, MOUNT_ATTR_NOATIME},
    {"ratime", OPT_ATTR, true, MOUNT_ATTR_NOATIME},
    {"rstrictatime", OPT_ATTR, false, MOUNT_ATTR_STRICTATIME},
    {"rnostrictatime", OPT_ATTR, true, MOUNT_ATTR_STRICTATIME},
    {"rnosymfollow", OPT_ATTR, false, MOUNT_ATTR_NOSYMFOLLOW},
    {"rsymfollow", OPT_ATTR, true, MOUNT_ATTR_NOSYMFOLLOW},

    {"idmap", OPT_IDMAP, false, 0},
    {"ridmap", OPT_RIDMAP, false, 0},
    {"tmpcopyup", OPT_TMPCOPYUP, false, 0},
};

const char *mount_opt_name_at(size_t i)
{
	return i < ARRAY_SIZE(opt_table) ? opt_table[i].name : NULL;
}

static const struct opt_def *opt_lookup(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(opt_table); i++)
		if (strcmp(opt_table[i].name, name) == 0)
			return &opt_table[i];
	return NULL;
}

static void opt_apply(const struct opt_def *d, struct mount_opts *o)
{
	switch (d->kind) {
	case OPT_FLAG:
		if (d->clear) {
			o->flags &= ~d->value;
			o->clear |= d->value;
		} else {
			o->flags |= d->value;
			o->clear &= ~d->value;
		}
		break;
	case OPT_PROPAGATION:
		/* One propagation type per mount: the last one wins, as with mount(8). */
		o->propagation = d->value;
		break;
	case OPT_ATTR:
		if (d->clear) {
			o->attr_clr |= d->value;
			o->attr_set &= ~(uint64_t)d->value;
		} else if ((d->value & MOUNT_ATTR__ATIME) == d->value) {
			/* mount_setattr(2): an access-time mode is set by clearing the whole
			 * MOUNT_ATTR__ATIME field and setting the new value (RELATIME is 0).  The
			 * field holds one mode: the last one given wins ("rnoatime,rrelatime" is
			 * relatime; both bits set would be EINVAL). */
			o->attr_set = (o->attr_set & ~(uint64_t)MOUNT_ATTR__ATIME) | d->value;
			o->attr_clr |= MOUNT_ATTR__ATIME;
		} else {
			o->attr_set |= d->value;
			o->attr_clr &= ~(uint64_t)d->value;
		}
		break;
	case OPT_IDMAP:
		o->idmap = true;
		break;
	case OPT_RIDMAP:
		o->idmap = true;
		o->recursive_idmap = true;
		break;
	case OPT_TMPCOPYUP:
		o->tmpcopyup = true;
		break;
	}
}

static int data_append(char **data, size_t *len, const char *s, struct herr *err)
{
	size_t n = strlen(s);
	char *p = realloc(*data, *len + n + 2);

	if (!p)
		return herr_errno(err, ENOMEM, "mount options");
	if (*len)
		p[(*len)++] = ',';
	memcpy(p + *len, s, n + 1);
	*len += n;
	*data = p;
	return 0;
}

int mount_opts_parse(char *const *options, size_t n, struct mount_opts *out, struct herr *err)
{
	struct mount_opts o = {0};
	size_t len = 0;

	for (size_t i = 0; i < n; i++) {
		const struct opt_def *d = opt_lookup(options[i]);
		int r;

		if (d) {
			opt_apply(d, &o);
			continue;
		}
		if (options[i][0] == '\0')
			continue;
		r = data_append(&o.data, &len, options[i], err);
		if (r < 0) {
			mount_opts_free(&o);
			return r;
		}
	}
	*out = o;
	return 0;
}

void mount_opts_free(struct mount_opts *o)
{
	free(o->data);
	o->data = NULL;
}
