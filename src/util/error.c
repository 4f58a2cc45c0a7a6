#include "util/error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void herr_vformat(struct herr *e, const char *fmt, va_list ap)
{
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
}

int herr_set(struct herr *e, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	herr_vformat(e, fmt, ap);
	va_end(ap);
	e->code = code < 0 ? code : -1;
	return e->code;
}

static int herr_verrno(struct herr *e, int errnum, const char *fmt, va_list ap)
{
	size_t n;

	if (errnum < 0)
		errnum = -errnum;
	if (errnum == 0)
		errnum = EIO;
	herr_vformat(e, fmt, ap);
	n = strlen(e->msg);
	snprintf(e->msg + n, sizeof(e->msg) - n, ": %s", strerror(errnum));
	e->code = -errnum;
	return e->code;
}

int herr_sys(struct herr *e, const char *fmt, ...)
{
	int errnum = errno;
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = herr_verrno(e, errnum, fmt, ap);
	va_end(ap);
	return r;
}

int herr_errno(struct herr *e, int errnum, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = herr_verrno(e, errnum, fmt, ap);
	va_end(ap);
	return r;
}

int herr_wrap(struct herr *e, const char *fmt, ...)
{
	char prefix[HERR_MSG_MAX];
	char old[HERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, e->msg, sizeof(old));
	snprintf(e->msg, sizeof(e->msg), "%s: %s", prefix, old);
	if (e->code >= 0)
		e->code = -1;
	return e->code;
}

void herr_clear(struct herr *e)
{
	e->code = 0;
	e->msg[0] = '\0';
}
