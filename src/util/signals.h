/* Signal names as kill(1) and runc accept them: "KILL", "SIGKILL", "9". */
#ifndef HUSK_UTIL_SIGNALS_H
#define HUSK_UTIL_SIGNALS_H

/* The signal number, or -1 when `s` names no signal. */
int signal_parse(const char *s);

/* "SIGKILL" for 9, NULL when unknown (real-time signals included as "SIGRTMIN+N"). */
const char *signal_name(int sig);

#endif
