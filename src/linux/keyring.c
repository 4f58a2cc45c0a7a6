#include "linux/keyring.h"

#include "util/cleanup.h"

#include <errno.h>
#include <linux/keyctl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* keyrings(7) permission bits */
#define KEYRING_USR_SEARCH 0x00080000u
#define KEYRING_OTH_SEARCH 0x00000008u

/* KEYCTL_DESCRIBE: "type;uid;gid;perm;description", perm in hex. */
static int keyring_get_perm(long serial, uint32_t *perm)
{
	char desc[512];
	char *p = desc;
	long n = syscall(SYS_keyctl, KEYCTL_DESCRIBE, serial, desc, sizeof(desc) - 1, 0);

	if (n < 0)
		return -errno;
	desc[n < (long)sizeof(desc) ? n : (long)sizeof(desc) - 1] = '\0';
	for (int field = 0; field < 3; field++) {
		p = strchr(p, ';');
		if (!p)
			return -EPROTO;
		p++;
	}
	*perm = (uint32_t)strtoul(p, NULL, 16);
	return 0;
}

int keyring_join_session(const char *id, bool user_ns, struct herr *err)
{
	char name[256];
	uint32_t perm = 0;
	long serial;
	int r;

	snprintf(name, sizeof(name), "_ses.%s", id);
	serial = syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, name, 0, 0, 0);
	if (serial < 0 && errno == ENOSYS)
		return 0; /* best effort, as runc: an old kernel or a container without keyrings */
	if (serial < 0)
		return herr_sys(err, "unable to join session keyring %s", name);
	/* the keyring must not keep bad permissions: any failure from here on is an error */
	r = keyring_get_perm(serial, &perm);
	if (r < 0)
		return herr_errno(err, r, "session keyring %s: describe", name);
	perm |= user_ns ? KEYRING_OTH_SEARCH : KEYRING_USR_SEARCH;
	if (syscall(SYS_keyctl, KEYCTL_SETPERM, serial, perm, 0, 0) < 0)
		return herr_sys(err, "session keyring %s: set permissions", name);
	return 0;
}

bool keyring_session_exists(const char *id)
{
	_cleanup_fclose_ FILE *f = fopen("/proc/keys", "re");
	char line[512], name[300], type[32], desc[300];

	/* "<serial> <flags> <usage> <timeout> <perm> <uid> <gid> keyring _ses.<id>: <info>" */
	snprintf(name, sizeof(name), "_ses.%s", id);
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "%*s %*s %*s %*s %*s %*s %*s %31s %299[^:]", type, desc) == 2 &&
		    strcmp(type, "keyring") == 0 && strcmp(desc, name) == 0)
			return true;
	return false;
}

int keyring_join_existing(const char *id)
{
	char name[256];

	snprintf(name, sizeof(name), "_ses.%s", id);
	return syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, name, 0, 0, 0) < 0 ? -errno : 0;
}
