/* The container's session keyring (keyrings(7)): a new one per container, as runc does, so
 * the container does not share the caller's session keyring and the keys in it. */
#ifndef HUSK_LINUX_KEYRING_H
#define HUSK_LINUX_KEYRING_H

#include <stdbool.h>

#include "util/error.h"

/* Join (creating it when needed) the session keyring "_ses.<id>" and let its owner
 * (`user_ns`: others, as uids differ across the user namespace) search it, as runc's
 * standard init.  A kernel without keyrings (ENOSYS) is not an error. */
int keyring_join_session(const char *id, bool user_ns, struct herr *err);

/* Host side, before an exec: the container's keyring "_ses.<id>" exists (/proc/keys), so
 * the container was not created with --no-new-keyring. */
bool keyring_session_exists(const char *id);

/* An exec'd process joins the container's session keyring, as runc's setns init does (which
 * only warns when it cannot).  Returns 0 or -errno. */
int keyring_join_existing(const char *id);

#endif
