#include "util/signals.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/cleanup.h"

static const struct {
	const char *name;
	int sig;
} signal_table[] = {
	{ "SIGABRT", SIGABRT },	  { "SIGALRM", SIGALRM },   { "SIGBUS", SIGBUS },
	{ "SIGCHLD", SIGCHLD },	  { "SIGCONT", SIGCONT },   { "SIGFPE", SIGFPE },
	{ "SIGHUP", SIGHUP },	  { "SIGILL", SIGILL },	    { "SIGINT", SIGINT },
	{ "SIGIO", SIGIO },	  { "SIGIOT", SIGIOT },	    { "SIGKILL", SIGKILL },
	{ "SIGPIPE", SIGPIPE },	  { "SIGPOLL", SIGPOLL },   { "SIGPROF", SIGPROF },
	{ "SIGPWR", SIGPWR },	  { "SIGQUIT", SIGQUIT },   { "SIGSEGV", SIGSEGV },
	{ "SIGSTKFLT", SIGSTKFLT }, { "SIGSTOP", SIGSTOP }, { "SIGSYS", SIGSYS },
	{ "SIGTERM", SIGTERM },	  { "SIGTRAP", SIGTRAP },   { "SIGTSTP", SIGTSTP },
	{ "SIGTTIN", SIGTTIN },	  { "SIGTTOU", SIGTTOU },   { "SIGURG", SIGURG },
	{ "SIGUSR1", SIGUSR1 },	  { "SIGUSR2", SIGUSR2 },   { "SIGVTALRM", SIGVTALRM },
	{ "SIGWINCH", SIGWINCH }, { "SIGXCPU", SIGXCPU },   { "SIGXFSZ", SIGXFSZ },
};

static int signal_parse_rt(const char *s)
{
	char *end;
	long off;

	if (strcasecmp(s, "SIGRTMIN") == 0)
		return SIGRTMIN;
	if (strcasecmp(s, "SIGRTMAX") == 0)
		return SIGRTMAX;
	if (strncasecmp(s, "SIGRTMIN+", 9) == 0) {
		off = strtol(s + 9, &end, 10);
		if (*end == '\0' && end != s + 9 && off >= 0 && off <= SIGRTMAX - SIGRTMIN)
			return SIGRTMIN + (int)off;
	}
	if (strncasecmp(s, "SIGRTMAX-", 9) == 0) {
		off = strtol(s + 9, &end, 10);
		if (*end == '\0' && end != s + 9 && off >= 0 && off <= SIGRTMAX - SIGRTMIN)
			return SIGRTMAX - (int)off;
	}
	return -1;
}

int signal_parse(const char *s)
{
	char name[32];
	char *end;
	long n;

	if (!s || !*s)
		return -1;
	if (s[0] >= '0' && s[0] <= '9') {
		n = strtol(s, &end, 10);
		return (*end == '\0' && n > 0 && n < NSIG) ? (int)n : -1;
	}
	/* A name cut to fit would be another name ("SIGRTMIN+000...01" -> SIGRTMIN): refuse. */
	if (snprintf(name, sizeof(name), "%s%s", strncasecmp(s, "SIG", 3) ? "SIG" : "", s) >=
	    (int)sizeof(name))
		return -1;
	for (size_t i = 0; i < ARRAY_SIZE(signal_table); i++)
		if (strcasecmp(signal_table[i].name, name) == 0)
			return signal_table[i].sig;
	return signal_parse_rt(name);
}

const char *signal_name(int sig)
{
	for (size_t i = 0; i < ARRAY_SIZE(signal_table); i++)
		if (signal_table[i].sig == sig)
			return signal_table[i].name;
	return NULL;
}
