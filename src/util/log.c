#include "util/log.h"
#include "util/time.h"

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

static size_t log_debug_stamp(char *buf, size_t size);

static const char *const level_names[] = { "error", "warning", "info", "debug" };

int log_init(const char *path, enum log_format format, enum log_level level)
{
	char ignored[64];

	if (level == LOG_LEVEL_DEBUG)
		log_debug_stamp(ignored, sizeof(ignored)); /* time 0 */
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
	int n;

	time_utc_rfc3339(stamp, sizeof(stamp), time(NULL), -1);
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

/* Debug messages carry the time since husk started, to see where a start spends it. */
static size_t log_debug_stamp(char *buf, size_t size)
{
	static struct timespec t0;
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (t0.tv_sec == 0 && t0.tv_nsec == 0)
		t0 = now;
	return (size_t)snprintf(buf, size, "[%d +%.3f ms] ", (int)getpid(),
				(double)(now.tv_sec - t0.tv_sec) * 1e3 +
					(double)(now.tv_nsec - t0.tv_nsec) / 1e6);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	char msg[4096];
	size_t n = 0;
	va_list ap;

	if (level > log_cfg.level)
		return;
	if (level == LOG_LEVEL_DEBUG)
		n = log_debug_stamp(msg, sizeof(msg));
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof(msg) - n, fmt, ap);
	va_end(ap);
	if (log_cfg.fd >= 0) {
		log_write_line(log_cfg.fd, level, msg);
		if (level == LOG_LEVEL_ERROR)
			dprintf(STDERR_FILENO, "%s\n", msg);
	} else {
		log_write_line(STDERR_FILENO, level, msg);
	}
}
