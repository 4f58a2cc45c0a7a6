/* container/sync.c: the parent <-> init messages, over a SOCK_SEQPACKET socketpair as in
 * `husk create`.  Cases found by tests/fuzz/fuzz_sync. */
#include <check.h>
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "container/sync.h"
#include "unit.h"

static int sv[2];

static void setup(void)
{
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
}

static void teardown(void)
{
	close(sv[0]);
	close(sv[1]);
}

/* A raw datagram: the header, then `text` as given (len bytes, no NUL added). */
static void send_raw(uint32_t type, int32_t value, const char *text, size_t len)
{
	char buf[sizeof(struct sync_msg) + 64];
	size_t off = offsetof(struct sync_msg, text);

	ck_assert_uint_le(off + len, sizeof(buf));
	memcpy(buf, &type, sizeof(type));
	memcpy(buf + sizeof(type), &value, sizeof(value));
	memcpy(buf + off, text, len);
	ck_assert_int_eq(send(sv[0], buf, off + len, 0), (ssize_t)(off + len));
}

START_TEST(test_roundtrip)
{
	struct sync_msg m;
	struct herr err;

	ck_assert_int_eq(sync_send(sv[0], SYNC_PID, 42, NULL), 0);
	ck_assert_int_eq(sync_expect(sv[1], SYNC_PID, &m, &err), 0);
	ck_assert_int_eq(m.value, 42);
	ck_assert_str_eq(m.text, "");
	herr_set(&err, -EPERM, "mount /proc on rootfs/proc: Operation not permitted");
	ck_assert_int_eq(sync_send_error(sv[0], &err), 0);
	herr_clear(&err);
	ck_assert_int_eq(sync_expect(sv[1], SYNC_READY, &m, &err), -EPERM);
	ck_assert_str_eq(err.msg, "mount /proc on rootfs/proc: Operation not permitted");
	ck_assert_int_eq(sync_send(sv[0], SYNC_GO, 0, NULL), 0);
	ck_assert_int_eq(sync_expect(sv[1], SYNC_READY, &m, &err), -EPROTO);
	close(sv[0]);
	sv[0] = -1;
	ck_assert_int_eq(sync_expect(sv[1], SYNC_READY, &m, &err), -EPIPE);
}
END_TEST

/* A text sent without its NUL ends where the datagram does: what the receiver's buffer held
 * before (its stack) must not show up in the user's error message. */
START_TEST(test_text_without_nul)
{
	struct sync_msg m;
	struct herr err;

	send_raw(SYNC_ERROR, -EINVAL, "boom", 4);
	memset(&m, 'X', sizeof(m));
	herr_clear(&err);
	ck_assert_int_eq(sync_expect(sv[1], SYNC_READY, &m, &err), -EINVAL);
	ck_assert_str_eq(err.msg, "boom");

	send_raw(SYNC_READY, 0, "ab", 2);
	memset(&m, 'X', sizeof(m));
	ck_assert_int_eq(sync_recv(sv[1], &m), 0);
	ck_assert_str_eq(m.text, "ab");
}
END_TEST

/* An ERROR with no text still says something; a value that is no errno is not passed on
 * as one. */
START_TEST(test_error_without_text)
{
	struct sync_msg m;
	struct herr err;

	send_raw(SYNC_ERROR, -EINVAL, "", 1);
	ck_assert_int_eq(sync_expect(sv[1], SYNC_READY, &m, &err), -EINVAL);
	ck_assert_str_eq(err.msg, "container init failed: Invalid argument");
	send_raw(SYNC_ERROR, -16777190, "", 0);
	ck_assert_int_eq(sync_expect(sv[1], SYNC_READY, &m, &err), -EIO);
	ck_assert_str_eq(err.msg, "container init failed: Input/output error");
	send_raw(SYNC_ERROR, 3, "x", 1);
	ck_assert_int_eq(sync_expect(sv[1], SYNC_READY, &m, &err), -EIO);
	ck_assert_str_eq(err.msg, "x");
}
END_TEST

START_TEST(test_short_and_long)
{
	char big[sizeof(((struct sync_msg *)0)->text) + 32];
	struct sync_msg m;

	ck_assert_int_eq(send(sv[0], "abc", 3, 0), 3);
	ck_assert_int_eq(sync_recv(sv[1], &m), -EBADMSG);

	/* longer than a message: cut by recv(), still a C string */
	memset(big, 'a', sizeof(big));
	send_raw(SYNC_ERROR, -EIO, big, sizeof(big));
	ck_assert_int_eq(sync_recv(sv[1], &m), 0);
	ck_assert_uint_eq(strlen(m.text), sizeof(m.text) - 1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sync");
	TCase *tc = tcase_create("sync");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_roundtrip);
	tcase_add_test(tc, test_text_without_nul);
	tcase_add_test(tc, test_error_without_text);
	tcase_add_test(tc, test_short_and_long);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
