/* Errors carry a message in user terms up the call chain.  A function that can fail returns
 * int: >= 0 success, a negative errno on failure, and fills struct herr.  Callers add context
 * with herr_wrap(); main() reports the message once. */
#ifndef HUSK_UTIL_ERROR_H
#define HUSK_UTIL_ERROR_H

#include <stddef.h>

#define HERR_MSG_MAX 2048

struct herr {
	int code; /* negative errno, or -1 when no errno applies */
	char msg[HERR_MSG_MAX];
};

/* Set the message; returns code (which must be negative) so callers can `return herr_set(...)`. */
int herr_set(struct herr *e, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Set the message from errno: "<fmt>: <strerror(errno)>"; returns -errno. */
int herr_sys(struct herr *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Like herr_sys() with an explicit errno value (positive or negative). */
int herr_errno(struct herr *e, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prefix context: "<fmt>: <previous message>"; returns e->code. */
int herr_wrap(struct herr *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

void herr_clear(struct herr *e);

#endif
