/* recvtty: the receiving end of --console-socket (and --pidfd-socket), as conmon and runc's
 * tests/cmd/recvtty do it: listen on a unix socket, accept one connection, take the fd sent
 * with SCM_RIGHTS (the payload is its name), then
 *   single  relay stdin -> pty master -> stdout until the pty has no more users
 *   null    read the pty to nothing, for any number of connections
 *   pidfd   print "<name> <pid>" (the pid from /proc/self/fdinfo), wait for the process to
 *           exit, print "exited"
 * Usage: recvtty [-m single|null|pidfd] [-n NAMEFILE] [-r READYFILE] SOCKET
 *   -n  write the payload name there;  -r  create READYFILE once listening. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

static void die(const char *what)
{
	fprintf(stderr, "[recvtty] fatal error: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int listen_on(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0 || strlen(path) >= sizeof(sa.sun_path))
		die("socket");
	strcpy(sa.sun_path, path);
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 16) < 0)
		die("bind");
	return fd;
}

/* One fd and its name, as runc sends them. */
static int recv_fd(int conn, char *name, size_t size)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct iovec iov = {.iov_base = name, .iov_len = size - 1};
	struct msghdr msg = {.msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = u.buf,
			     .msg_controllen = sizeof(u.buf)};
	struct cmsghdr *c;
	ssize_t n;
	int fd;

	do
		n = recvmsg(conn, &msg, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		die("recvmsg");
	name[n] = '\0';
	c = CMSG_FIRSTHDR(&msg);
	if (!c || c->cmsg_type != SCM_RIGHTS || c->cmsg_len != CMSG_LEN(sizeof(int))) {
		errno = EBADMSG;
		die("recvfd: expected exactly one fd");
	}
	memcpy(&fd, CMSG_DATA(c), sizeof(fd));
	return fd;
}

static void write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
}

/* conmon clears ONLCR too: container output reaches the log with plain \n. */
static void relay(int master)
{
	struct termios t;
	bool in_open = true;
	char buf[4096];

	if (tcgetattr(master, &t) == 0) {
		t.c_oflag &= ~(tcflag_t)ONLCR;
		tcsetattr(master, TCSANOW, &t);
	}
	for (;;) {
		struct pollfd p[2] = {{master, POLLIN, 0}, {0, POLLIN, 0}};
		ssize_t n;

		if (poll(p, in_open ? 2 : 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			die("poll");
		}
		if (p[0].revents) {
			n = read(master, buf, sizeof(buf));
			if (n <= 0)
				return; /* EIO: no process holds the pty any more */
			write_all(1, buf, (size_t)n);
		}
		if (in_open && p[1].revents) {
			n = read(0, buf, sizeof(buf));
			if (n <= 0)
				in_open = false;
			else
				write_all(master, buf, (size_t)n);
		}
	}
}

static void pidfd_mode(int pidfd, const char *name)
{
	char path[64], line[256];
	FILE *f;
	int pid = -1;
	struct pollfd p = {pidfd, POLLIN, 0};

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", pidfd);
	f = fopen(path, "re");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "Pid: %d", &pid) == 1)
			break;
	if (f)
		fclose(f);
	printf("%s %d\n", name, pid);
	fflush(stdout);
	while (poll(&p, 1, -1) < 0 && errno == EINTR)
		;
	printf("exited\n");
}

int main(int argc, char **argv)
{
	const char *mode = "single", *name_file = NULL, *ready = NULL;
	char name[4096];
	int c, ln;

	while ((c = getopt(argc, argv, "m:n:r:")) != -1) {
		switch (c) {
		case 'm':
			mode = optarg;
			break;
		case 'n':
			name_file = optarg;
			break;
		case 'r':
			ready = optarg;
			break;
		default:
			fprintf(
			    stderr,
			    "usage: recvtty [-m single|null|pidfd] [-n FILE] [-r FILE] SOCKET\n");
			return 2;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr,
			"usage: recvtty [-m single|null|pidfd] [-n FILE] [-r FILE] SOCKET\n");
		return 2;
	}
	ln = listen_on(argv[optind]);
	if (ready)
		close(open(ready, O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
	do {
		int conn = accept4(ln, NULL, NULL, SOCK_CLOEXEC), fd;

		if (conn < 0) {
			if (errno == EINTR)
				continue;
			die("accept");
		}
		fd = recv_fd(conn, name, sizeof(name));
		close(conn);
		if (name_file) {
			FILE *f = fopen(name_file, "we");
			if (f) {
				fprintf(f, "%s\n", name);
				fclose(f);
			}
		}
		if (strcmp(mode, "pidfd") == 0) {
			close(ln);
			pidfd_mode(fd, name);
			return 0;
		}
		if (strcmp(mode, "single") == 0) {
			close(ln);
			relay(fd);
			return 0;
		}
		if (fork() == 0) {
			char buf[4096];
			while (read(fd, buf, sizeof(buf)) > 0)
				;
			_exit(0);
		}
		close(fd);
	} while (1);
}
