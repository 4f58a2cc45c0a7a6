/* Attacker side of the CVE regression suite (tests/integration/6[2-9]0-cve-*.bats), built
 * static in setup_file so that it also runs inside the busybox rootfs.
 *
 *   cvetool xchg A B MS          renameat2(RENAME_EXCHANGE) A and B in a loop for MS ms
 *   cvetool watch PIDFILE STOP MS  wait for PIDFILE, then until STOP exists (at most MS ms) try
 *                                to open /proc/PID/exe for writing and reading, read its link,
 *                                read its fds and PTRACE_ATTACH to it; prints one line per
 *                                distinct outcome ("exe-write EACCES")
 *   cvetool reopen FD OUT        (CVE-2019-5736 payload) once FD's file is no longer running
 *                                (ETXTBSY), try to reopen it for writing; "write OK" or
 *                                "write EACCES"... goes to OUT.  Never writes to FD's file.
 *   cvetool scan MS WORD         for MS ms, look at every /proc/N/exe; print "LEAK N PATH" for a
 *                                link that names WORD (the runtime binary) or opens for writing
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static int xchg(const char *a, const char *b, long ms)
{
	long long end = now_ms() + ms;
	unsigned long n = 0;

	while (now_ms() < end) {
		if (syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE) < 0) {
			perror("renameat2");
			return 1;
		}
		n++;
	}
	/* leave things as they were: an even number of exchanges */
	if (n % 2)
		syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE);
	printf("%lu exchanges\n", n + n % 2);
	return 0;
}

/* Remember each distinct "what errno" once. */
static char seen[64][64];
static int n_seen;

static void note(const char *what, int err)
{
	char line[64];

	snprintf(line, sizeof(line), "%s %s", what, err ? strerrorname_np(err) : "OK");
	for (int i = 0; i < n_seen; i++)
		if (strcmp(seen[i], line) == 0)
			return;
	if (n_seen < 64)
		strcpy(seen[n_seen++], line);
	printf("%s\n", line);
	fflush(stdout);
}

static void attack(pid_t pid)
{
	char path[64], buf[4096];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	note("exe-write", fd < 0 ? errno : 0);
	if (fd >= 0)
		close(fd);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	note("exe-read", fd < 0 ? errno : 0);
	if (fd >= 0)
		close(fd);
	note("exe-link", readlink(path, buf, sizeof(buf)) < 0 ? errno : 0);
	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	DIR *d = opendir(path);
	note("fd-dir", d ? 0 : errno);
	if (d)
		closedir(d);
	snprintf(path, sizeof(path), "/proc/%d/fd/0", (int)pid);
	note("fd-link", readlink(path, buf, sizeof(buf)) < 0 ? errno : 0);
	if (ptrace(PTRACE_ATTACH, pid, NULL, NULL) < 0) {
		note("ptrace", errno);
	} else {
		note("ptrace", 0);
		waitpid(pid, NULL, __WALL);
		ptrace(PTRACE_DETACH, pid, NULL, NULL);
	}
}

static int watch(const char *pidfile, const char *stop, long ms)
{
	long long end;
	pid_t pid = 0;
	FILE *f;

	for (int i = 0; i < 1000 && pid <= 0; i++) {
		f = fopen(pidfile, "re");
		if (f) {
			if (fscanf(f, "%d", &pid) != 1)
				pid = 0;
			fclose(f);
		}
		if (pid <= 0)
			usleep(10000);
	}
	if (pid <= 0) {
		printf("no pid\n");
		return 1;
	}
	end = now_ms() + ms;
	while (now_ms() < end && kill(pid, 0) == 0 && access(stop, F_OK) < 0)
		attack(pid);
	return 0;
}

static int scan(long ms, const char *word)
{
	long long end = now_ms() + ms;
	unsigned long looks = 0;

	while (now_ms() < end) {
		DIR *d = opendir("/proc");
		struct dirent *de;

		if (!d)
			return 1;
		while ((de = readdir(d))) {
			char path[300], buf[4096];
			int pid = atoi(de->d_name);
			ssize_t n;

			if (pid <= 0 || pid == getpid())
				continue;
			snprintf(path, sizeof(path), "/proc/%d/exe", pid);
			n = readlink(path, buf, sizeof(buf) - 1);
			looks++;
			if (n < 0)
				continue;
			buf[n] = '\0';
			if (strstr(buf, word)) {
				int fd = open(path, O_WRONLY | O_CLOEXEC);
				printf("LEAK %d %s write=%s\n", pid, buf,
				       fd < 0 ? strerrorname_np(errno) : "OK");
				fflush(stdout);
				if (fd >= 0)
					close(fd);
			}
		}
		closedir(d);
	}
	printf("%lu looks\n", looks);
	return 0;
}

static int reopen(const char *fd, const char *out)
{
	char path[64];
	int w = -1, err = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fd/%s", fd);
	for (int i = 0; i < 3000; i++) {
		w = open(path, O_WRONLY | O_CLOEXEC);
		err = errno;
		if (w >= 0 || err != ETXTBSY)
			break;
		usleep(1000);
	}
	f = fopen(out, "we");
	if (!f)
		return 1;
	fprintf(f, "write %s\n", w >= 0 ? "OK" : strerrorname_np(err));
	fclose(f);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "reopen") == 0)
		return reopen(argv[2], argv[3]);
	if (argc == 5 && strcmp(argv[1], "xchg") == 0)
		return xchg(argv[2], argv[3], atol(argv[4]));
	if (argc == 5 && strcmp(argv[1], "watch") == 0)
		return watch(argv[2], argv[3], atol(argv[4]));
	if (argc == 4 && strcmp(argv[1], "scan") == 0)
		return scan(atol(argv[2]), argv[3]);
	fprintf(stderr, "usage: cvetool reopen FD OUT | xchg A B MS | watch PIDFILE STOP MS | scan MS WORD\n");
	return 2;
}
