#include "util/log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static struct {
	int fd; /* -1: stderr in log format */
	enum log_format format;
	enum log_level level;
} log_cfg = { -1, LOG_FORMAT_TEXT, LOG_LEVEL_WARN };

static const char *const level_names[] = { "error", "warning", "info", "debug" };

int log_init(const char *path, enum log_format format, enum log_level level)
{
	log_cfg.format = format;
	log_cfg.level = level;
	if (path && *path) {
		int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
		if (fd < 0)
			return -errno;
		log_cfg.fd = fd;
	}
	return 0;
}

int log_fd(void)
{
	return log_cfg.fd;
}

/* Escape a message for a JSON string or a logrus quoted value (both use \" and \\). */
static size_t log_escape(char *out, size_t size, const char *in)
{
	size_t n = 0;

	for (; *in && n + 7 < size; in++) {
		unsigned char c = (unsigned char)*in;
		if (c == '"' || c == '\\') {
			out[n++] = '\\';
			out[n++] = (char)c;
		} else if (c == '\n') {
			out[n++] = '\\';
			out[n++] = 'n';
		} else if (c < 0x20) {
			n += (size_t)snprintf(out + n, size - n, "\\u%04x", c);
		} else {
			out[n++] = (char)c;
		}
	}
	out[n] = '\0';
	return n;
}

static void log_write_line(int fd, enum log_level level, const char *msg)
{
	char stamp[32], esc[4096], line[4608];
	time_t now = time(NULL);
	struct tm tm;
	int n;

	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	log_escape(esc, sizeof(esc), msg);
	if (log_cfg.format == LOG_FORMAT_JSON)
		n = snprintf(line, sizeof(line), "{\"level\":\"%s\",\"msg\":\"%s\",\"time\":\"%s\"}\n",
			     level_names[level], esc, stamp);
	else
		n = snprintf(line, sizeof(line), "time=\"%s\" level=%s msg=\"%s\"\n", stamp,
			     level_names[level], esc);
	if (n > (int)sizeof(line) - 1)
		n = sizeof(line) - 1;
	if (write(fd, line, (size_t)n) < 0) {
		/* nowhere left to report */
	}
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	char msg[4096];
	va_list ap;

	if (level > log_cfg.level)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (log_cfg.fd >= 0) {
		log_write_line(log_cfg.fd, level, msg);
		if (level == LOG_LEVEL_ERROR)
			dprintf(STDERR_FILENO, "%s\n", msg);
	} else {
		log_write_line(STDERR_FILENO, level, msg);
	}
}
