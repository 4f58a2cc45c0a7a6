/* A seccomp notify agent for the integration tests.
 *
 *   seccomp-agent -s SOCKET [-o STATE_FILE] [-l LOG_FILE] [-e ERRNO] [-c NAME,...] [-v VALUE]
 *
 * Listens on the unix stream socket SOCKET (the profile's listenerPath).  For every runtime
 * connection it receives the container process state (JSON) with the listener fd in
 * SCM_RIGHTS, appends the JSON as one line to STATE_FILE, then answers the notifications of
 * that fd:
 *   - syscalls named with -c run as if not intercepted (SECCOMP_USER_NOTIF_FLAG_CONTINUE);
 *   - with -v, others return VALUE as success;
 *   - else others fail with ERRNO (default EPERM).
 * Each notification is logged to LOG_FILE as "<syscall name> <pid>".  Runs until SIGTERM;
 * the socket is created before the agent goes to the background-safe loop, so a test may
 * wait for SOCKET to appear. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* -I src shadows the kernel's <linux/seccomp.h> with husk's: what libseccomp's header needs. */
#include <linux/seccomp.h>
#include <linux/types.h>
#ifndef SECCOMP_SET_MODE_FILTER
struct seccomp_data {
	int nr;
	__u32 arch;
	__u64 instruction_pointer;
	__u64 args[6];
};
#endif
#include <seccomp.h>

#ifndef SECCOMP_USER_NOTIF_FLAG_CONTINUE
#define SECCOMP_USER_NOTIF_FLAG_CONTINUE (1UL << 0)
#endif

#define MAX_FDS 64
#define STATE_MAX 65536

static struct {
	const char *socket;
	const char *state_file;
	const char *log_file;
	int errno_ret;
	bool has_value;
	long long value;
	char **cont; /* syscall names to let through */
	size_t n_cont;
} opt = { .errno_ret = EPERM };

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	stop = 1;
}

static void die(const char *what)
{
	fprintf(stderr, "seccomp-agent: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void split_names(char *list)
{
	for (char *tok = strtok(list, ","); tok; tok = strtok(NULL, ",")) {
		opt.cont = realloc(opt.cont, (opt.n_cont + 1) * sizeof(*opt.cont));
		if (!opt.cont)
			die("realloc");
		opt.cont[opt.n_cont++] = tok;
	}
}

static void append_line(const char *path, const char *line)
{
	FILE *f;

	if (!path)
		return;
	f = fopen(path, "ae");
	if (!f)
		die(path);
	fprintf(f, "%s\n", line);
	fclose(f);
}

static int listen_on(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(addr.sun_path)) {
		errno = ENAMETOOLONG;
		die(path);
	}
	strcpy(addr.sun_path, path);
	unlink(path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		die("socket");
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
		die("bind");
	if (listen(fd, 16) < 0)
		die("listen");
	return fd;
}

/* Whether buf holds a whole JSON object: runtimes may send it over several sendmsg calls,
 * and some keep the connection open a while (runc 1.1 does), so EOF can't be the end mark. */
static bool json_complete(const char *buf, size_t len)
{
	bool in_string = false, escaped = false;
	int depth = 0;

	for (size_t i = 0; i < len; i++) {
		char ch = buf[i];

		if (in_string) {
			if (escaped)
				escaped = false;
			else if (ch == '\\')
				escaped = true;
			else if (ch == '"')
				in_string = false;
		} else if (ch == '"') {
			in_string = true;
		} else if (ch == '{' || ch == '[') {
			depth++;
		} else if ((ch == '}' || ch == ']') && --depth == 0) {
			return true;
		}
	}
	return false;
}

/* One runtime connection: the JSON (possibly over several reads) and one fd. */
static int receive_state(int listen_fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	static char json[STATE_MAX];
	struct iovec iov = { json, sizeof(json) - 1 };
	struct msghdr mh = { .msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = control.buf,
			     .msg_controllen = sizeof(control.buf) };
	struct cmsghdr *cm;
	int conn, fd = -1;
	size_t len;
	ssize_t n;

	conn = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
	if (conn < 0)
		return -1;
	n = recvmsg(conn, &mh, MSG_CMSG_CLOEXEC);
	if (n <= 0) {
		close(conn);
		return -1;
	}
	cm = CMSG_FIRSTHDR(&mh);
	if (cm && cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS)
		memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	len = (size_t)n;
	while (!json_complete(json, len) && len < sizeof(json) - 1 &&
	       (n = read(conn, json + len, sizeof(json) - 1 - len)) > 0)
		len += (size_t)n;
	json[len] = '\0';
	close(conn);
	append_line(opt.state_file, json);
	if (fd < 0)
		fprintf(stderr, "seccomp-agent: a connection without an fd\n");
	return fd;
}

static bool let_through(const char *name)
{
	for (size_t i = 0; name && i < opt.n_cont; i++)
		if (strcmp(opt.cont[i], name) == 0)
			return true;
	return false;
}

/* Returns false when the fd is done (every task using the filter is gone). */
static bool answer_one(int fd)
{
	struct seccomp_notif *req;
	struct seccomp_notif_resp *resp;
	char line[128];
	char *name;

	if (seccomp_notify_alloc(&req, &resp) < 0)
		die("seccomp_notify_alloc");
	if (seccomp_notify_receive(fd, req) < 0) {
		/* ENOENT: the task went away between poll and receive */
		bool again = errno == ENOENT || errno == EINTR;

		seccomp_notify_free(req, resp);
		return again;
	}
	name = seccomp_syscall_resolve_num_arch(req->data.arch, req->data.nr);
	snprintf(line, sizeof(line), "%s %u", name ? name : "?", req->pid);
	append_line(opt.log_file, line);

	resp->id = req->id;
	resp->flags = 0;
	resp->val = 0;
	resp->error = 0;
	if (let_through(name))
		resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	else if (opt.has_value)
		resp->val = opt.value;
	else
		resp->error = -opt.errno_ret;
	/* ENOENT: the task was killed meanwhile; nothing to answer */
	if (seccomp_notify_respond(fd, resp) < 0 && errno != ENOENT)
		fprintf(stderr, "seccomp-agent: respond: %s\n", strerror(errno));
	free(name);
	seccomp_notify_free(req, resp);
	return true;
}

static void usage(void)
{
	fprintf(stderr, "usage: seccomp-agent -s SOCKET [-o STATE_FILE] [-l LOG_FILE] "
			"[-e ERRNO] [-c NAME,...] [-v VALUE]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct pollfd pfd[MAX_FDS + 1];
	struct sigaction sa = { .sa_handler = on_term };
	size_t n = 0;
	int c;

	while ((c = getopt(argc, argv, "s:o:l:e:c:v:")) != -1) {
		switch (c) {
		case 's':
			opt.socket = optarg;
			break;
		case 'o':
			opt.state_file = optarg;
			break;
		case 'l':
			opt.log_file = optarg;
			break;
		case 'e':
			opt.errno_ret = atoi(optarg);
			break;
		case 'c':
			split_names(optarg);
			break;
		case 'v':
			opt.has_value = true;
			opt.value = atoll(optarg);
			break;
		default:
			usage();
		}
	}
	if (!opt.socket)
		usage();
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	pfd[0] = (struct pollfd){ .fd = listen_on(opt.socket), .events = POLLIN };
	while (!stop) {
		if (poll(pfd, n + 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			die("poll");
		}
		for (size_t i = 1; i <= n; i++) {
			if (!pfd[i].revents)
				continue;
			if ((pfd[i].revents & POLLIN) && answer_one(pfd[i].fd))
				continue;
			if (pfd[i].revents & (POLLHUP | POLLERR | POLLNVAL) ||
			    !(pfd[i].revents & POLLIN)) {
				close(pfd[i].fd);
				pfd[i--] = pfd[n--];
			}
		}
		if (pfd[0].revents & POLLIN) {
			int fd = receive_state(pfd[0].fd);

			if (fd >= 0 && n < MAX_FDS)
				pfd[++n] = (struct pollfd){ .fd = fd, .events = POLLIN };
			else if (fd >= 0)
				close(fd);
		}
	}
	unlink(opt.socket);
	return 0;
}
