/* The one place husk writes diagnostics.  As runc: without --log, messages go to stderr as
 * logrus lines (`time="..." level=error msg="..."`, or JSON with --log-format json); with
 * --log FILE they go to FILE and an error is also printed plainly on stderr. */
#ifndef HUSK_UTIL_LOG_H
#define HUSK_UTIL_LOG_H

enum log_level { LOG_LEVEL_ERROR, LOG_LEVEL_WARN, LOG_LEVEL_INFO, LOG_LEVEL_DEBUG };
enum log_format { LOG_FORMAT_TEXT, LOG_FORMAT_JSON };

/* Configure from the global options; path may be NULL.  Returns -errno if FILE can't open. */
int log_init(const char *path, enum log_format format, enum log_level level);

void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_error(...) log_msg(LOG_LEVEL_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_LEVEL_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_LEVEL_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_LEVEL_DEBUG, __VA_ARGS__)

/* The log fd, or -1 (children of husk that must keep reporting, e.g. hooks, use it). */
int log_fd(void);

#endif
