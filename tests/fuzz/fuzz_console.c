/* The console (and pidfd) socket receiver, terminal_recv_fd(): a message with an arbitrary
 * payload and 0-7 fds in one or two SCM_RIGHTS headers, sent over a unix stream socketpair.
 * The payload is discarded; what is checked is the fd accounting: exactly one fd comes back
 * when any was sent, and every other one is closed. */
#include "fuzz.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "linux/terminal.h"

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int n = 0;

	if (!d)
		abort();
	while ((de = readdir(d)))
		n += de->d_name[0] != '.';
	closedir(d);
	return n - 1; /* the directory's own fd */
}

/* Input: [flags][payload...]; flags & 7 = fds to send, flags & 8 = in two headers. */
static void send_msg(int sock, const uint8_t *data, size_t size)
{
	union {
		char buf[2 * CMSG_SPACE(sizeof(int) * 7)];
		struct cmsghdr align;
	} u;
	int fds[7], nfd = data[0] & 7, first = (data[0] & 8) && nfd > 1 ? nfd / 2 : nfd;
	struct iovec iov = {.iov_base = (void *)(data + 1), .iov_len = size - 1};
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
	struct cmsghdr *c;

	memset(&u, 0, sizeof(u));
	for (int i = 0; i < nfd; i++)
		if ((fds[i] = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0)
			abort();
	if (nfd) {
		msg.msg_control = u.buf;
		msg.msg_controllen =
		    CMSG_SPACE(sizeof(int) * (size_t)first) +
		    (first < nfd ? CMSG_SPACE(sizeof(int) * (size_t)(nfd - first)) : 0);
		c = CMSG_FIRSTHDR(&msg);
		for (int i = 0, k = first; i < nfd; i += k, k = nfd - first) {
			c->cmsg_level = SOL_SOCKET;
			c->cmsg_type = SCM_RIGHTS;
			c->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)k);
			memcpy(CMSG_DATA(c), fds + i, sizeof(int) * (size_t)k);
			c = CMSG_NXTHDR(&msg, c);
		}
	}
	/* a stream socket drops fds sent without data: some bytes are always sent */
	if (iov.iov_len == 0)
		iov.iov_base = "x", iov.iov_len = 1;
	if (sendmsg(sock, &msg, MSG_DONTWAIT | MSG_NOSIGNAL) < 0 && nfd)
		abort();
	for (int i = 0; i < nfd; i++)
		close(fds[i]);
	shutdown(sock, SHUT_WR);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int sv[2], before, fd = -1, r;
	struct herr err = {0};

	if (size < 1 || size > 65536)
		return 0;
	before = count_fds();
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		abort();
	send_msg(sv[0], data, size);
	r = terminal_recv_fd(sv[1], &fd, &err);
	if ((r == 0) != (fd >= 0) || (r == 0) != ((data[0] & 7) != 0))
		abort();
	if (fd >= 0 && !(fcntl(fd, F_GETFD) & FD_CLOEXEC))
		abort(); /* MSG_CMSG_CLOEXEC */
	if (fd >= 0)
		close(fd);
	close(sv[0]);
	close(sv[1]);
	if (count_fds() != before)
		abort(); /* an fd leaked */
	return 0;
}
