/* The parent <-> init sync protocol: arbitrary bytes cut into datagrams, sent over a
 * SOCK_SEQPACKET socketpair as the init would, then read back with sync_expect() as the
 * parent does until the stream ends.  Each message's text must come back NUL-terminated
 * and made only of bytes that were sent. */
#include "fuzz.h"

#include <errno.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

#include "container/sync.h"

static int sv[2] = {-1, -1};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		abort();
	return 0;
}

/* Input: [2-byte little-endian length][bytes] ...  A datagram may be longer than a struct
 * sync_msg (recv() cuts it: the reader must cope) or empty (read as EOF). */
static size_t send_all(const uint8_t *data, size_t size)
{
	size_t sent = 0;

	for (size_t i = 0; i + 2 <= size && sent < 16;) {
		size_t len =
		    ((size_t)data[i] | (size_t)data[i + 1] << 8) % (sizeof(struct sync_msg) + 64);

		i += 2;
		if (len > size - i)
			len = size - i;
		if (send(sv[0], data + i, len, MSG_DONTWAIT) < 0)
			break;
		sent++;
		i += len;
	}
	return sent;
}

/* NUL-terminated, and without the filler of bytes recv() did not write */
static void check_text(const char *text, size_t size, const uint8_t *data, size_t data_size)
{
	if (!memchr(text, '\0', size))
		abort();
	if (strchr(text, 'X') && !memchr(data, 'X', data_size))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t n = send_all(data, size);
	struct sync_msg m;
	struct herr err;

	for (size_t i = 0; i < n; i++) {
		int r;

		/* poison what recv() does not write: sync_recv() must not pass it on */
		memset(&m, 'X', sizeof(m));
		herr_clear(&err);
		r = sync_expect(sv[1], (enum sync_type)(i % SYNC_ERROR + 1), &m, &err);
		if (r < 0 && (!err.msg[0] || err.code >= 0))
			abort();
		/* the message's text, not err.msg: strerror() may say "XENIX" */
		if (r == 0 || (r != -EPIPE && r != -EBADMSG && m.type == SYNC_ERROR))
			check_text(m.text, sizeof(m.text), data, size);
		if (!memchr(err.msg, '\0', sizeof(err.msg)))
			abort();
	}
	return 0;
}
