#include "linux/terminal.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>

#include "linux/devices.h"
#include "util/cleanup.h"
#include "util/fs.h"

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif

/* /dev/pts/ptmx of a devpts instance: char 5:2, inode 2 (fs/devpts/inode.c, mknod_ptmx). */
#define PTMX_MAJOR 5
#define PTMX_MINOR 2
#define PTMX_INO 2

/* ---- sockets ---- */

int terminal_connect_socket(const char *path, const char *flag, struct herr *err)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	_cleanup_close_ int fd = -1;

	if (strlen(path) >= sizeof(sa.sun_path))
		return herr_set(err, -ENAMETOOLONG, "%s %s: path too long", flag, path);
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return herr_sys(err, "%s: socket", flag);
	while (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		if (errno != EINTR)
			return herr_sys(err, "%s: connect %s", flag, path);
	}
	return steal_fd(&fd);
}

int terminal_send_fd(int sock, int fd, const char *name, struct herr *err)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct iovec iov = {.iov_base = (void *)name, .iov_len = strlen(name)};
	struct msghdr msg = {
	    .msg_iov = &iov,
	    .msg_iovlen = 1,
	    .msg_control = u.buf,
	    .msg_controllen = sizeof(u.buf),
	};
	struct cmsghdr *c;

	memset(&u, 0, sizeof(u));
	c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	while (sendmsg(sock, &msg, MSG_NOSIGNAL) < 0) {
		if (errno != EINTR)
			return herr_sys(err, "send %s fd", name);
	}
	return 0;
}

int terminal_recv_fd(int sock, int *fd, struct herr *err)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * 4)];
		struct cmsghdr align;
	} u;
	char name[4096];
	struct iovec iov = {.iov_base = name, .iov_len = sizeof(name)};
	struct msghdr msg = {
	    .msg_iov = &iov,
	    .msg_iovlen = 1,
	    .msg_control = u.buf,
	    .msg_controllen = sizeof(u.buf),
	};
	ssize_t n;

	*fd = -1;
	do
		n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return herr_sys(err, "receive terminal fd");
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
		size_t nfd;

		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		nfd = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < nfd; i++) {
			int got;
			memcpy(&got, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
			if (*fd < 0)
				*fd = got;
			else
				close(got);
		}
	}
	if (*fd < 0)
		return herr_set(err, -EBADMSG, "receive terminal fd: no fd in the message");
	return 0;
}

/* ---- the container side ---- */

static int terminal_check_ptmx(int fd, struct herr *err)
{
	struct statfs sfs;
	struct stat st;

	if (fstatfs(fd, &sfs) < 0 || fstat(fd, &st) < 0)
		return herr_sys(err, "stat %s", TERMINAL_PTMX_NAME);
	if (sfs.f_type != DEVPTS_SUPER_MAGIC)
		return herr_set(err, -EXDEV, "%s is not on a devpts mount", TERMINAL_PTMX_NAME);
	if (!S_ISCHR(st.st_mode) || st.st_rdev != makedev(PTMX_MAJOR, PTMX_MINOR) ||
	    st.st_ino != PTMX_INO)
		return herr_set(err, -EXDEV, "%s is not the ptmx device of its devpts",
				TERMINAL_PTMX_NAME);
	return 0;
}

/* A new pty from the devpts mounted on /dev/pts of the current root. */
static int terminal_alloc(int *master, int *slave, struct herr *err)
{
	_cleanup_close_ int m = -1;
	int unlock = 0, s;

	m = open(TERMINAL_PTMX_NAME, O_RDWR | O_NOCTTY | O_NOFOLLOW | O_CLOEXEC);
	if (m < 0)
		return herr_sys(err, "open %s", TERMINAL_PTMX_NAME);
	if (terminal_check_ptmx(m, err) < 0)
		return err->code;
	if (ioctl(m, TIOCSPTLCK, &unlock) < 0)
		return herr_sys(err, "unlock pty");
	/* the peer by fd, never by a /dev/pts/N path the container could swap (Linux 4.13) */
	s = ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (s < 0)
		return herr_sys(err, "open pty peer (TIOCGPTPEER)");
	*master = steal_fd(&m);
	*slave = s;
	return 0;
}

static int terminal_mount_console(int slave, struct herr *err)
{
	_cleanup_close_ int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (root < 0)
		return herr_sys(err, "open /");
	return devices_mount_console(root, slave, err);
}

/* The slave as stdio and controlling terminal, in a session of our own. */
static int terminal_make_controlling(int slave, struct herr *err)
{
	if (setsid() < 0 && errno != EPERM) /* EPERM: already a session leader */
		return herr_sys(err, "setsid");
	if (ioctl(slave, TIOCSCTTY, 0) < 0)
		return herr_sys(err, "make the pty the controlling terminal");
	for (int fd = 0; fd <= 2; fd++)
		if (dup3(slave, fd, 0) < 0)
			return herr_sys(err, "dup pty onto fd %d", fd);
	return 0;
}

int terminal_setup_console(int sock, const struct spec_box *size, bool mount, struct herr *err)
{
	_cleanup_close_ int s = sock, master = -1, slave = -1;
	int r;

	r = terminal_alloc(&master, &slave, err);
	if (r < 0)
		return herr_wrap(err, "process.terminal");
	if (size && size->height && size->width) {
		struct winsize ws = {.ws_row = (unsigned short)size->height,
				     .ws_col = (unsigned short)size->width};
		if (ioctl(master, TIOCSWINSZ, &ws) < 0)
			return herr_sys(err, "process.consoleSize: resize the pty");
	}
	if (mount && (r = terminal_mount_console(slave, err)) < 0)
		return r;
	r = terminal_send_fd(s, master, TERMINAL_PTMX_NAME, err);
	if (r < 0)
		return herr_wrap(err, "console socket");
	return terminal_make_controlling(slave, err);
}

/* ---- the relay in husk ---- */

static int terminal_host_fd(void)
{
	for (int fd = 0; fd <= 2; fd++)
		if (isatty(fd))
			return fd;
	return -1;
}

int terminal_relay_start(struct terminal_relay *t, int master, struct herr *err)
{
	struct termios tio;
	int fl;

	*t = (struct terminal_relay){.master = master, .in_fd = 0, .out_fd = 1, .host_tty = -1};
	fl = fcntl(master, F_GETFL);
	if (fl < 0 || fcntl(master, F_SETFL, fl | O_NONBLOCK) < 0)
		return herr_sys(err, "pty master: set O_NONBLOCK");
	if (fcntl(0, F_GETFD) < 0)
		t->in_fd = -1;
	/* As runc: the pty does not turn \n into \r\n (output piped to a file stays clean); the
	 * host terminal, raw but for output processing, does it instead. */
	if (tcgetattr(master, &tio) == 0) {
		tio.c_oflag &= ~(tcflag_t)ONLCR;
		tcsetattr(master, TCSANOW, &tio);
	}
	if (isatty(0)) {
		struct termios raw;
		if (tcgetattr(0, &t->saved) == 0) {
			raw = t->saved;
			cfmakeraw(&raw);
			/* output post-processing stays on, as runc's console.SetRaw keeps it */
			raw.c_oflag = t->saved.c_oflag;
			if (tcsetattr(0, TCSADRAIN, &raw) == 0)
				t->host_tty = 0;
		}
	}
	terminal_relay_resize(t);
	return 0;
}

size_t terminal_relay_pollfds(const struct terminal_relay *t, struct pollfd *p)
{
	size_t n = 0;

	if (t->master >= 0)
		p[n++] = (struct pollfd){t->master,
					 POLLIN | ((t->len || t->eof_pending) ? POLLOUT : 0), 0};
	if (t->in_fd >= 0 && !t->len && !t->eof_pending)
		p[n++] = (struct pollfd){t->in_fd, POLLIN, 0};
	return n;
}

/* Output of the container to our stdout; false when the master is done. */
static bool terminal_relay_output(struct terminal_relay *t)
{
	char buf[8192];
	ssize_t n = read(t->master, buf, sizeof(buf));

	if (n > 0) {
		write_all(t->out_fd, buf, (size_t)n);
		return true;
	}
	return n < 0 && (errno == EAGAIN || errno == EINTR);
}

static void terminal_relay_input(struct terminal_relay *t)
{
	ssize_t n;

	if (t->len) {
		n = write(t->master, t->buf, t->len);
		if (n > 0) {
			memmove(t->buf, t->buf + n, t->len - (size_t)n);
			t->len -= (size_t)n;
		}
		return;
	}
	if (t->eof_pending) {
		struct termios tio;
		/* stdin is done: tell the program as a terminal would, with its EOF character */
		if (tcgetattr(t->master, &tio) == 0 && write(t->master, &tio.c_cc[VEOF], 1) == 1)
			t->eof_pending = false;
		else if (errno != EAGAIN)
			t->eof_pending = false;
	}
}

void terminal_relay_io(struct terminal_relay *t, const struct pollfd *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i].fd == t->master && t->master >= 0) {
			if ((p[i].revents & (POLLIN | POLLHUP | POLLERR)) &&
			    !terminal_relay_output(t)) {
				/* every slave is closed: nothing more will come */
				close(t->master);
				t->master = -1;
				t->len = 0;
				t->eof_pending = false;
				continue;
			}
			if (p[i].revents & POLLOUT)
				terminal_relay_input(t);
		} else if (p[i].fd == t->in_fd && (p[i].revents & (POLLIN | POLLHUP | POLLERR))) {
			ssize_t r = read(t->in_fd, t->buf, sizeof(t->buf));
			if (r > 0) {
				t->len = (size_t)r;
			} else if (r == 0 || (errno != EINTR && errno != EAGAIN)) {
				t->in_fd = -1;
				t->eof_pending = true;
			}
		}
	}
}

void terminal_relay_resize(struct terminal_relay *t)
{
	int host = t->host_tty >= 0 ? t->host_tty : terminal_host_fd();
	struct winsize ws;

	if (host < 0 || t->master < 0 || ioctl(host, TIOCGWINSZ, &ws) < 0)
		return;
	if (ws.ws_row && ws.ws_col)
		ioctl(t->master, TIOCSWINSZ, &ws);
}

void terminal_relay_stop(struct terminal_relay *t)
{
	int rounds = 256; /* bounded: a process left in the container may keep writing */

	/* what the process wrote before it exited is still in the pty */
	while (t->master >= 0 && rounds-- > 0 && terminal_relay_output(t)) {
		struct pollfd p = {t->master, POLLIN, 0};
		if (poll(&p, 1, 0) <= 0)
			break;
	}
	if (t->host_tty >= 0)
		tcsetattr(t->host_tty, TCSADRAIN, &t->saved);
	t->host_tty = -1;
	cleanup_closep(&t->master);
	t->master = -1;
}
