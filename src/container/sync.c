#include "container/sync.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int sync_send(int fd, enum sync_type type, int32_t value, const char *text)
{
	struct sync_msg m = { .type = type, .value = value };
	size_t len = offsetof(struct sync_msg, text);

	if (text) {
		snprintf(m.text, sizeof(m.text), "%s", text);
		len += strlen(m.text) + 1;
	}
	/* write(2), not send(2): after a seccomp notify filter is loaded the init must use a
	 * syscall that filter can't hand to its agent (linux/seccomp.c refuses NOTIFY on write).
	 * Both sides block SIGPIPE during the protocol, so a closed peer is EPIPE. */
	for (;;) {
		ssize_t n = write(fd, &m, len);
		if (n >= 0)
			return 0;
		if (errno != EINTR)
			return -errno;
	}
}

int sync_send_error(int fd, const struct herr *err)
{
	return sync_send(fd, SYNC_ERROR, err->code, err->msg);
}

void sync_msg_end_text(struct sync_msg *m, size_t n)
{
	size_t len = n - offsetof(struct sync_msg, text);

	/* NUL or not, the text ends where the datagram did: what lies beyond in *m (the
	 * caller's stack) was never sent. */
	m->text[len < sizeof(m->text) ? len : sizeof(m->text) - 1] = '\0';
}

int sync_recv(int fd, struct sync_msg *m)
{
	for (;;) {
		ssize_t n = recv(fd, m, sizeof(*m), 0);
		if (n == 0)
			return -EPIPE;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if ((size_t)n < offsetof(struct sync_msg, text))
			return -EBADMSG;
		sync_msg_end_text(m, (size_t)n);
		return 0;
	}
}

int sync_msg_error(const struct sync_msg *m, struct herr *err)
{
	/* value is the init's -errno; anything else would pass for an errno it is not */
	int code = m->value < 0 && m->value >= -4095 ? m->value : -EIO;

	if (!m->text[0])
		return herr_errno(err, code, "container init failed");
	return herr_set(err, code, "%s", m->text);
}

int sync_expect(int fd, enum sync_type type, struct sync_msg *m, struct herr *err)
{
	int r = sync_recv(fd, m);

	if (r == -EPIPE)
		return herr_set(err, -EPIPE, "container init exited before it was ready");
	if (r < 0)
		return herr_errno(err, r, "sync with container init");
	if (m->type == SYNC_ERROR)
		return sync_msg_error(m, err);
	if (m->type != type)
		return herr_set(err, -EPROTO, "sync with container init: got message %u, want %u",
				m->type, type);
	return 0;
}
