/* Unit tests: container IDs, the state directory (create/open/lock/save/load/destroy), status
 * derivation, the state JSON, signal names. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <yajl/yajl_tree.h>

#include "state/state.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/signals.h"
#include "util/time.h"
#include "unit.h"

static char root[] = "/tmp/husk-test-state-XXXXXX";
static int root_fd = -1;

static void setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(root));
	root_fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(root_fd, 0);
}

static void teardown(void)
{
	char cmd[128];

	close(root_fd);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	ck_assert_int_eq(system(cmd), 0);
	strcpy(root, "/tmp/husk-test-state-XXXXXX");
}

START_TEST(test_ids)
{
	static const char *const good[] = { "a", "abc-123", "A.b_c+d", "0" };
	static const char *const bad[] = { "", "../x", "a/b", ".hidden", "-x", "a b", "a\nb",
					   "x/../y", "é" };
	char longid[STATE_ID_MAX + 2];
	struct herr err = { 0 };

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ck_assert_int_eq(state_validate_id(good[i], &err), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_eq(state_validate_id(bad[i], &err), -EINVAL);
		ck_assert_ptr_nonnull(strstr(err.msg, "invalid container ID"));
	}
	memset(longid, 'a', sizeof(longid) - 1);
	longid[sizeof(longid) - 1] = '\0';
	ck_assert_int_eq(state_validate_id(longid, &err), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err.msg, "longer than"));
}
END_TEST

START_TEST(test_create_twice_and_missing)
{
	struct state_handle h = STATE_HANDLE_INIT, h2 = STATE_HANDLE_INIT;
	struct herr err = { 0 };

	ck_assert_int_eq(state_create(root_fd, "c1", &h, &err), 0);
	ck_assert_int_eq(state_create(root_fd, "c1", &h2, &err), -EEXIST);
	ck_assert_str_eq(err.msg, "container with id c1 already exists");
	ck_assert_int_eq(state_open(root_fd, "nope", false, &h2, &err), -ENOENT);
	ck_assert_str_eq(err.msg, "container nope does not exist");
	state_close(&h);
	state_close(&h2);
}
END_TEST

START_TEST(test_save_load_roundtrip)
{
	struct state_handle h = STATE_HANDLE_INIT;
	struct spec_kv ann[] = { { "k1", "v1" }, { "org.x", "a \"quoted\" value" } };
	struct container_state s = {
		.id = "c2", .oci_version = "1.3.0", .bundle = "/b", .rootfs = "/b/rootfs",
		.pid = 42, .pid_start = 777, .created = "2026-01-01T00:00:00.000000001Z",
		.cgroup_path = "/husk-test/c2", .annotations = ann, .n_annotations = 2,
	};
	struct container_state *l = NULL;
	struct herr err = { 0 };
	struct stat st;

	ck_assert_int_eq(state_create(root_fd, "c2", &h, &err), 0);
	ck_assert_int_eq(state_load(&h, &l, &err), -ENOENT);
	ck_assert_int_eq(state_save(&h, &s, &err), 0);
	ck_assert_int_eq(fstatat(h.dir_fd, "state.json", &st, 0), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	ck_assert_int_eq(state_load(&h, &l, &err), 0);
	ck_assert_str_eq(l->id, "c2");
	ck_assert_str_eq(l->bundle, "/b");
	ck_assert_str_eq(l->rootfs, "/b/rootfs");
	ck_assert_int_eq(l->pid, 42);
	ck_assert_uint_eq(l->pid_start, 777);
	ck_assert_str_eq(l->cgroup_path, "/husk-test/c2");
	ck_assert_uint_eq(l->n_annotations, 2);
	ck_assert_str_eq(l->annotations[1].value, "a \"quoted\" value");
	/* pid 42 with that start time is not alive: stopped */
	ck_assert_int_eq(state_status(&h, l), STATUS_STOPPED);
	state_free(l);
	ck_assert_int_eq(state_destroy(&h, &err), 0);
	ck_assert_int_eq(faccessat(root_fd, "c2", F_OK, 0), -1);
	state_close(&h);
}
END_TEST

START_TEST(test_status_from_pid_and_fifo)
{
	struct state_handle h = STATE_HANDLE_INIT;
	struct container_state s = { .id = "c3", .pid = getpid() };
	struct herr err = { 0 };

	s.pid_start = state_pid_start(getpid());
	ck_assert_uint_gt(s.pid_start, 0);
	ck_assert_int_eq(state_create(root_fd, "c3", &h, &err), 0);
	ck_assert_int_eq(state_status(&h, &s), STATUS_RUNNING);
	ck_assert_int_eq(mkfifoat(h.dir_fd, STATE_FIFO, 0622), 0);
	ck_assert_int_eq(state_status(&h, &s), STATUS_CREATED);
	/* the same pid with another start time is a reused pid: stopped */
	s.pid_start++;
	ck_assert_int_eq(state_status(&h, &s), STATUS_STOPPED);
	ck_assert_int_eq(state_status(&h, NULL), STATUS_CREATING);
	ck_assert_int_eq(state_destroy(&h, &err), 0);
	state_close(&h);
}
END_TEST

START_TEST(test_zombie_is_stopped)
{
	pid_t pid = fork();
	int st;

	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(0);
	/* wait until it is a zombie without reaping it */
	siginfo_t si;
	ck_assert_int_eq(waitid(P_PID, pid, &si, WEXITED | WNOWAIT), 0);
	ck_assert_uint_eq(state_pid_start(pid), 0);
	waitpid(pid, &st, 0);
}
END_TEST

/* A state whose start time reads 0 (the init gone before it was read) is stopped, never
 * "running" because 0 == the start time of a pid that is gone. */
START_TEST(test_gone_without_start_time_is_stopped)
{
	struct state_handle h = STATE_HANDLE_INIT;
	struct container_state s = { .id = "c5", .pid_start = 0 };
	struct herr err = { 0 };
	pid_t pid = fork();
	int st;

	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(0);
	waitpid(pid, &st, 0);
	ck_assert_int_eq(state_create(root_fd, "c5", &h, &err), 0);
	s.pid = pid;
	ck_assert(!state_init_alive(&s));
	ck_assert_int_eq(state_status(&h, &s), STATUS_STOPPED);
	s.pid = getpid();
	ck_assert_int_eq(state_status(&h, &s), STATUS_STOPPED);
	ck_assert_int_eq(state_destroy(&h, &err), 0);
	state_close(&h);
}
END_TEST

START_TEST(test_lock_excludes)
{
	struct state_handle h = STATE_HANDLE_INIT;
	struct herr err = { 0 };
	int fd;

	ck_assert_int_eq(state_create(root_fd, "c4", &h, &err), 0);
	fd = openat(root_fd, "c4", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_eq(flock(fd, LOCK_EX | LOCK_NB), -1);
	ck_assert_int_eq(errno, EWOULDBLOCK);
	state_close(&h);
	ck_assert_int_eq(flock(fd, LOCK_EX | LOCK_NB), 0);
	close(fd);
}
END_TEST

START_TEST(test_state_json)
{
	struct spec_kv ann[] = { { "a", "b" } };
	struct container_state s = {
		.id = "c5", .oci_version = "1.3.0", .bundle = "/b", .rootfs = "/b/r", .pid = 9,
		.created = "2026-01-01T00:00:00.000000001Z",
	};
	char ebuf[128], *json;
	yajl_val v;

	json = state_to_json(&s, STATUS_STOPPED, "", true, NULL);
	v = yajl_tree_parse(json, ebuf, sizeof(ebuf));
	ck_assert_ptr_nonnull(v);
	const char *pid_path[] = { "pid", NULL }, *st_path[] = { "status", NULL };
	const char *ann_path[] = { "annotations", NULL };
	ck_assert_int_eq(YAJL_GET_INTEGER(yajl_tree_get(v, pid_path, yajl_t_number)), 0);
	ck_assert_str_eq(YAJL_GET_STRING(yajl_tree_get(v, st_path, yajl_t_string)), "stopped");
	ck_assert_ptr_null(yajl_tree_get(v, ann_path, yajl_t_object)); /* omitted when empty */
	ck_assert_int_eq(json[strlen(json) - 1], '}');                 /* no trailing newline */
	yajl_tree_free(v);
	free(json);
	s.annotations = ann;
	s.n_annotations = 1;
	json = state_to_json(&s, STATUS_RUNNING, "root", false, NULL);
	ck_assert_ptr_nonnull(strstr(json, "\"pid\":9"));
	ck_assert_ptr_nonnull(strstr(json, "\"annotations\":{\"a\":\"b\"}"));
	ck_assert_ptr_nonnull(strstr(json, "\"owner\":\"root\""));
	free(json);
}
END_TEST

START_TEST(test_rfc3339)
{
	char buf[64];

	state_now_rfc3339(buf, sizeof(buf));
	ck_assert_uint_eq(strlen(buf), 30);
	ck_assert_int_eq(buf[10], 'T');
	ck_assert_int_eq(buf[19], '.');
	ck_assert_int_eq(buf[29], 'Z');
}
END_TEST

/* time_utc_rfc3339 agrees with gmtime_r + strftime: around the epoch, leap days (2000,
 * 2024), the non-leap 2100, before 1970, and a spread of instants up to year 9999. */
START_TEST(test_utc_calendar)
{
	static const long long fixed[] = { 0, -1, 59, 86399, 86400, 951782400, 951868799,
					   1709164800, 1709251199, 4107542400, 4107628799,
					   -2208988800, 253402300799 };
	char ours[48], ref[48];
	struct tm tm;

	for (size_t i = 0; i < sizeof(fixed) / sizeof(*fixed) + 5000; i++) {
		time_t t = i < sizeof(fixed) / sizeof(*fixed)
				   ? (time_t)fixed[i]
				   : (time_t)((long long)i * 50616637LL % 253402300799LL - 2208988800LL);
		ck_assert_ptr_nonnull(gmtime_r(&t, &tm));
		strftime(ref, sizeof(ref), "%Y-%m-%dT%H:%M:%SZ", &tm);
		time_utc_rfc3339(ours, sizeof(ours), t, -1);
		ck_assert_str_eq(ours, ref);
	}
	time_utc_rfc3339(ours, sizeof(ours), 1795000000, 42);
	ck_assert_str_eq(ours, "2026-11-18T11:06:40.000000042Z");
}
END_TEST

START_TEST(test_list_ids_sorted)
{
	struct state_handle h[3] = { STATE_HANDLE_INIT, STATE_HANDLE_INIT, STATE_HANDLE_INIT };
	const char *names[] = { "zeta", "alpha", "mid" };
	struct herr err = { 0 };
	char **ids = NULL;

	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(state_create(root_fd, names[i], &h[i], &err), 0);
	ck_assert_int_eq(state_list_ids(root_fd, &ids, &err), 0);
	ck_assert_str_eq(ids[0], "alpha");
	ck_assert_str_eq(ids[1], "mid");
	ck_assert_str_eq(ids[2], "zeta");
	ck_assert_ptr_null(ids[3]);
	for (int i = 0; ids[i]; i++)
		free(ids[i]);
	free(ids);
	for (int i = 0; i < 3; i++)
		state_close(&h[i]);
}
END_TEST

START_TEST(test_signals)
{
	ck_assert_int_eq(signal_parse("KILL"), SIGKILL);
	ck_assert_int_eq(signal_parse("SIGKILL"), SIGKILL);
	ck_assert_int_eq(signal_parse("sigterm"), SIGTERM);
	ck_assert_int_eq(signal_parse("9"), 9);
	ck_assert_int_eq(signal_parse("SIGRTMIN+1"), SIGRTMIN + 1);
	ck_assert_int_eq(signal_parse("RTMAX-2"), SIGRTMAX - 2);
	ck_assert_int_eq(signal_parse("0"), -1);
	ck_assert_int_eq(signal_parse("65"), -1);
	ck_assert_int_eq(signal_parse("9x"), -1);
	ck_assert_int_eq(signal_parse("BLAH"), -1);
	ck_assert_int_eq(signal_parse(""), -1);
	ck_assert_str_eq(signal_name(SIGHUP), "SIGHUP");
	/* found by tests/fuzz/fuzz_signals: SIGRTMIN + LONG_MAX overflowed (UBSan) */
	ck_assert_int_eq(signal_parse("RTMIN+9223372036854775807"), -1);
	ck_assert_int_eq(signal_parse("RTMAX-9223372036854775807"), -1);
	ck_assert_int_eq(signal_parse("RTMIN+99999999999999999999"), -1);
	ck_assert_int_eq(signal_parse("SIGRTMAX-0"), SIGRTMAX);
	ck_assert_int_eq(signal_parse("RTMIN+0"), SIGRTMIN);
	/* a name longer than any signal's is refused, not cut into another one */
	ck_assert_int_eq(signal_parse("SIGRTMIN+00000000000000000000000001"), -1);
	ck_assert_int_eq(signal_parse("RTMIN+000000000000000000000000000001"), -1);
}
END_TEST

/* In a child of its own: Check's fds must survive.  Fds 3 (below first) and 41 (keep) stay. */
START_TEST(test_close_fds_from)
{
	pid_t pid = fork();
	int st;

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int fds[] = { 3, 40, 41, 42, 90, 1000 }, bad = 0;

		for (size_t i = 0; i < ARRAY_SIZE(fds); i++)
			if (dup2(STDERR_FILENO, fds[i]) != fds[i])
				_exit(100);
		close_fds_from(40, 41);
		for (size_t i = 0; i < ARRAY_SIZE(fds); i++) {
			bool open = fcntl(fds[i], F_GETFD) >= 0;
			bad += open != (fds[i] == 3 || fds[i] == 41);
		}
		close_fds_from(4, -1);
		bad += fcntl(41, F_GETFD) >= 0 || fcntl(3, F_GETFD) < 0;
		_exit(bad);
	}
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st));
	ck_assert_int_eq(WEXITSTATUS(st), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("state");
	TCase *tc = tcase_create("state");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_ids);
	tcase_add_test(tc, test_create_twice_and_missing);
	tcase_add_test(tc, test_save_load_roundtrip);
	tcase_add_test(tc, test_status_from_pid_and_fifo);
	tcase_add_test(tc, test_zombie_is_stopped);
	tcase_add_test(tc, test_gone_without_start_time_is_stopped);
	tcase_add_test(tc, test_lock_excludes);
	tcase_add_test(tc, test_state_json);
	tcase_add_test(tc, test_rfc3339);
	tcase_add_test(tc, test_utc_calendar);
	tcase_add_test(tc, test_list_ids_sorted);
	tcase_add_test(tc, test_signals);
	tcase_add_test(tc, test_close_fds_from);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
