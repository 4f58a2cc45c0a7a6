#include "linux/lsm.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/fs.h"

bool lsm_apparmor_enabled(void)
{
	_cleanup_close_ int fd = -1;
	struct stat st;
	char c = 0;

	if (stat("/sys/kernel/security/apparmor", &st) < 0)
		return false;
	fd = open("/sys/module/apparmor/parameters/enabled", O_RDONLY | O_CLOEXEC);
	return fd >= 0 && read(fd, &c, 1) == 1 && c == 'Y';
}

bool lsm_selinux_enabled(void)
{
	struct stat st;

	return stat("/sys/fs/selinux/enforce", &st) == 0;
}

int lsm_check_spec(const struct spec *spec, const char *name, struct herr *err)
{
	const char *label = spec->process ? spec->process->selinux_label : NULL;
	const char *mount_label = spec->linux_ ? spec->linux_->mount_label : NULL;

	if ((!label || !*label) && (!mount_label || !*mount_label))
		return 0;
	if (lsm_selinux_enabled())
		return 0;
	/* runc 1.1 refuses the process label in its validator; a mount label makes its first
	 * tmpfs mount fail (context= without SELinux): refuse both up front. */
	if (label && *label)
		return herr_set(err, -EINVAL,
				"%s: process.selinuxLabel: selinux label is specified in config, "
				"but selinux is disabled or not supported",
				name);
	return herr_set(err, -EINVAL,
			"%s: linux.mountLabel: selinux mount label is specified in config, but "
			"selinux is disabled or not supported",
			name);
}

int lsm_apparmor_exec(const char *profile, struct herr *err)
{
	_cleanup_free_ char *value = NULL;
	const char *path = "/proc/thread-self/attr/apparmor/exec";
	int r;

	if (!profile || !*profile)
		return 0;
	if (!lsm_apparmor_enabled())
		return herr_set(err, -EINVAL,
				"apparmor failed to apply profile \"%s\": AppArmor is not enabled "
				"on this host",
				profile);
	/* the old convention when the kernel has no per-module attr directory */
	if (access(path, F_OK) < 0)
		path = "/proc/thread-self/attr/exec";
	if (asprintf(&value, "exec %s", profile) < 0)
		return herr_set(err, -ENOMEM, "out of memory");
	r = write_file_at(AT_FDCWD, path, value, err);
	if (r < 0)
		return herr_wrap(err, "apparmor failed to apply profile \"%s\"", profile);
	return 0;
}

int lsm_selinux_exec(const char *label, struct herr *err)
{
	int r;

	if (!label || !*label)
		return 0;
	r = write_file_at(AT_FDCWD, "/proc/thread-self/attr/exec", label, err);
	if (r < 0)
		return herr_wrap(err, "process label %s", label);
	return 0;
}
