/* linux/process.c and linux/caps.c: the parts that need no container (names, cpu lists, PATH
 * look-up), plus a few process-local steps run in Check's per-test child. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "linux/caps.h"
#include "linux/process.h"
#include "util/cleanup.h"
#include "unit.h"

#define WORD_BITS (sizeof(unsigned long) * CHAR_BIT)

/* ---- capability names ---- */

START_TEST(test_caps_from_name)
{
	ck_assert_int_eq(caps_from_name("CAP_CHOWN"), 0);
	ck_assert_int_eq(caps_from_name("CAP_KILL"), 5);
	ck_assert_int_eq(caps_from_name("CAP_NET_BIND_SERVICE"), 10);
	ck_assert_int_eq(caps_from_name("CAP_SYS_ADMIN"), 21);
	ck_assert_int_eq(caps_from_name("CAP_AUDIT_WRITE"), 29);
	/* libcap accepts all of these; the spec and runc do not */
	ck_assert_int_eq(caps_from_name("cap_kill"), -1);
	ck_assert_int_eq(caps_from_name("KILL"), -1);
	ck_assert_int_eq(caps_from_name("5"), -1);
	ck_assert_int_eq(caps_from_name("CAP_KILL,CAP_CHOWN"), -1);
	ck_assert_int_eq(caps_from_name("CAP_5"), -1);
	ck_assert_int_eq(caps_from_name("CAP_FOO"), -1);
	ck_assert_int_eq(caps_from_name("CAP_"), -1);
	ck_assert_int_eq(caps_from_name(""), -1);
	ck_assert_int_eq(caps_from_name(NULL), -1);
}
END_TEST

START_TEST(test_caps_from_spec)
{
	char *bnd[] = {"CAP_KILL", "CAP_FOO", "CAP_CHOWN", NULL};
	char *eff[] = {"CAP_KILL", "CAP_FOO", "cap_chown", NULL};
	struct spec_capabilities c = {0};
	struct caps_sets s;

	c.names[SPEC_CAP_BOUNDING] = bnd;
	c.n_names[SPEC_CAP_BOUNDING] = 3;
	c.names[SPEC_CAP_EFFECTIVE] = eff;
	c.n_names[SPEC_CAP_EFFECTIVE] = 3;
	caps_from_spec(&c, &s);
	ck_assert_uint_eq(s.set[SPEC_CAP_BOUNDING], (1u << 5) | (1u << 0));
	ck_assert_uint_eq(s.set[SPEC_CAP_EFFECTIVE], 1u << 5);
	ck_assert(s.present[SPEC_CAP_BOUNDING] && s.present[SPEC_CAP_EFFECTIVE]);
	ck_assert(!s.present[SPEC_CAP_INHERITABLE] && !s.present[SPEC_CAP_AMBIENT]);
	/* never filled implicitly (CVE-2022-29162) */
	ck_assert_uint_eq(s.set[SPEC_CAP_INHERITABLE], 0);
	ck_assert_uint_eq(s.set[SPEC_CAP_PERMITTED], 0);

	caps_from_spec(NULL, &s);
	for (int i = 0; i < SPEC_CAP_NSETS; i++)
		ck_assert(s.set[i] == 0 && !s.present[i]);
}
END_TEST

/* The kernel knows CAP_LAST_CAP + 1 caps; a number libcap knows beyond that is skipped. */
START_TEST(test_caps_from_spec_kernel_limit)
{
	char *all[] = {"CAP_CHECKPOINT_RESTORE", NULL};
	struct spec_capabilities c = {0};
	struct caps_sets s;
	int v = caps_from_name("CAP_CHECKPOINT_RESTORE");

	if (v < 0)
		return; /* libcap too old to know it */
	c.names[SPEC_CAP_PERMITTED] = all;
	c.n_names[SPEC_CAP_PERMITTED] = 1;
	caps_from_spec(&c, &s);
	if (v < cap_max_bits())
		ck_assert_uint_eq(s.set[SPEC_CAP_PERMITTED], UINT64_C(1) << v);
	else
		ck_assert_uint_eq(s.set[SPEC_CAP_PERMITTED], 0);
}
END_TEST

/* ---- cpu lists ---- */

static unsigned long *parse_ok(const char *list, size_t want_bits)
{
	unsigned long *mask = NULL;
	size_t nbits = 0;
	int r = process_parse_cpu_list(list, &mask, &nbits);

	ck_assert_msg(r == 0, "\"%s\": %d", list, r);
	ck_assert_uint_eq(nbits, want_bits);
	return mask;
}

START_TEST(test_cpu_list_valid)
{
	_cleanup_free_ unsigned long *a = parse_ok("0", WORD_BITS);
	_cleanup_free_ unsigned long *b = parse_ok("0-3,7", WORD_BITS);
	_cleanup_free_ unsigned long *c = parse_ok("7,0-3", WORD_BITS);
	_cleanup_free_ unsigned long *d = parse_ok("1,1,1-1", WORD_BITS);
	_cleanup_free_ unsigned long *e = parse_ok("64", 2 * WORD_BITS);
	_cleanup_free_ unsigned long *f = parse_ok("62-65", 2 * WORD_BITS);
	_cleanup_free_ unsigned long *g = parse_ok("0-65535", 65536);

	ck_assert_uint_eq(a[0], 1);
	ck_assert_uint_eq(b[0], 0x8f);
	ck_assert_uint_eq(c[0], 0x8f);
	ck_assert_uint_eq(d[0], 0x2);
	ck_assert_uint_eq(e[0], 0);
	ck_assert_uint_eq(e[1], 1);
	ck_assert_uint_eq(f[0], 3UL << 62);
	ck_assert_uint_eq(f[1], 3);
	ck_assert_uint_eq(g[65535 / WORD_BITS], ~0UL);
}
END_TEST

START_TEST(test_cpu_list_invalid)
{
	static const char *const bad[] = {"",	"a",  "1,",  ",1",   "1-",   "-1", "3-1",
					  " 1", "1 ", "1;2", "1,,2", "1--2", "0x1"};
	unsigned long *mask = NULL;
	size_t nbits = 0;

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		ck_assert_msg(process_parse_cpu_list(bad[i], &mask, &nbits) == -EINVAL, "\"%s\"",
			      bad[i]);
	ck_assert_int_eq(process_parse_cpu_list("65536", &mask, &nbits), -ERANGE);
	ck_assert_int_eq(process_parse_cpu_list("0-99999999999999999999", &mask, &nbits), -ERANGE);
	ck_assert_ptr_null(mask);
}
END_TEST

START_TEST(test_cpu_affinity_error)
{
	struct herr err = {0};

	ck_assert_int_lt(process_set_cpu_affinity(0, "x", &err), 0);
	ck_assert_str_eq(err.msg, "cpu list: invalid list \"x\" (expected e.g. \"0-3,7\")");
	/* cpu 0 is in every affinity mask this test may inherit, or the call is refused */
	if (process_set_cpu_affinity(0, "0", &err) < 0)
		ck_assert_msg(strstr(err.msg, "sched_setaffinity to cpus 0"), "%s", err.msg);
}
END_TEST

/* ---- PATH look-up ---- */

static char tree[] = "/tmp/test_process.XXXXXX";

static void make_file(const char *rel, mode_t mode)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", tree, rel);
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, mode);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "#!/bin/sh\n", 10), 10);
	close(fd);
	ck_assert_int_eq(chmod(path, mode), 0);
}

static void make_dir(const char *rel)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", tree, rel);
	ck_assert_int_eq(mkdir(path, 0755), 0);
}

/* d1/foo is not executable, d2/foo is; d2/bar is a directory, d3/bar a program. */
static void tree_setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(tree));
	make_dir("d1");
	make_dir("d2");
	make_dir("d3");
	make_file("d1/foo", 0644);
	make_file("d2/foo", 0755);
	make_dir("d2/bar");
	make_file("d3/bar", 0700);
}

static void tree_teardown(void)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tree);
	ck_assert_int_eq(system(cmd), 0);
}

static char *path_env(const char *fmt)
{
	static char buf[4 * PATH_MAX];

	/* each %s in fmt is the tree */
	snprintf(buf, sizeof(buf), fmt, tree, tree, tree, tree);
	return buf;
}

static void expect_found(char *const *env, const char *file, const char *want_rel)
{
	_cleanup_free_ char *out = NULL;
	char want[PATH_MAX];
	struct herr err = {0};

	if (want_rel[0] == '.' || want_rel[0] == '/')
		snprintf(want, sizeof(want), "%s", want_rel);
	else
		snprintf(want, sizeof(want), "%s/%s", tree, want_rel);
	ck_assert_msg(process_find_executable(file, env, &out, &err) == 0, "%s: %s", file, err.msg);
	ck_assert_str_eq(out, want);
}

static void expect_not_found(char *const *env, const char *file)
{
	char *out = NULL;
	char want[256];
	struct herr err = {0};

	ck_assert_int_eq(process_find_executable(file, env, &out, &err), -ENOENT);
	snprintf(want, sizeof(want), "exec: \"%s\": executable file not found in $PATH", file);
	ck_assert_str_eq(err.msg, want);
	ck_assert_ptr_null(out);
}

START_TEST(test_path_lookup)
{
	char *env[] = {"TERM=xterm", path_env("PATH=%s/d1:%s/d2:%s/d3"), NULL};

	expect_found(env, "foo", "d2/foo");
	expect_found(env, "bar", "d3/bar");
	expect_not_found(env, "nosuch");
	expect_not_found(env, "");
	/* with a slash: as is, execve judges it */
	expect_found(env, "/no/such/thing", "/no/such/thing");
	expect_found(env, "./foo", "./foo");
}
END_TEST

START_TEST(test_path_lookup_last_path_wins)
{
	char first[PATH_MAX + 8], second[PATH_MAX + 8];
	char *env[] = {first, second, NULL};

	snprintf(first, sizeof(first), "PATH=%s/d2", tree);
	snprintf(second, sizeof(second), "PATH=%s/d3", tree);
	expect_not_found(env, "foo");
	expect_found(env, "bar", "d3/bar");
}
END_TEST

START_TEST(test_path_lookup_empty_elements)
{
	char dir[PATH_MAX];
	char *empty[] = {"PATH=", NULL};
	char *lead[] = {"PATH=:/nonexistent", NULL};
	char *trail[] = {"PATH=/nonexistent:", NULL};
	char *mid[] = {"PATH=/nonexistent::/nonexistent2", NULL};

	snprintf(dir, sizeof(dir), "%s/d2", tree);
	ck_assert_int_eq(chdir(dir), 0); /* Check runs each test in its own child */
	expect_not_found(empty, "foo");
	expect_found(lead, "foo", "./foo");
	expect_found(trail, "foo", "./foo");
	expect_found(mid, "foo", "./foo");
}
END_TEST

/* No PATH in process.env: runc's default, not husk's own PATH. */
START_TEST(test_path_lookup_default)
{
	char *env[] = {"TERM=xterm", NULL};
	_cleanup_free_ char *out = NULL;
	struct herr err = {0};

	setenv("PATH", tree, 1);
	ck_assert_int_eq(process_find_executable("sh", env, &out, &err), 0);
	ck_assert_msg(strcmp(out, "/usr/bin/sh") == 0 || strcmp(out, "/bin/sh") == 0 ||
			  strcmp(out, "/usr/local/bin/sh") == 0,
		      "%s", out);
	expect_not_found(env, "foo");
}
END_TEST

START_TEST(test_exec_errors)
{
	char path[PATH_MAX + 16];
	char *args[] = {"nosuch", NULL};
	char *env[] = {path_env("PATH=%s/d1:%s/d2"), NULL};
	struct spec_process p = {.args = args, .n_args = 1, .env = env, .n_env = 1};
	struct herr err = {0};
	char want[PATH_MAX + 64];

	ck_assert_int_lt(process_exec(&p, -1, &err), 0);
	ck_assert_str_eq(err.msg, "exec: \"nosuch\": executable file not found in $PATH");

	snprintf(path, sizeof(path), "%s/d1/foo", tree);
	args[0] = path;
	ck_assert_int_eq(process_exec(&p, -1, &err), -EACCES);
	snprintf(want, sizeof(want), "exec %s: Permission denied", path);
	ck_assert_str_eq(err.msg, want);

	snprintf(path, sizeof(path), "%s/d2/bar", tree);
	ck_assert_int_eq(process_exec(&p, -1, &err), -EACCES);

	p.args = NULL;
	ck_assert_int_lt(process_exec(&p, -1, &err), 0);
	ck_assert_str_eq(err.msg, "process.args: no command to run");
}
END_TEST

/* ---- process-local steps (each test runs in its own child) ---- */

START_TEST(test_setup_umask)
{
	struct spec_process p = {0};
	struct herr err = {0};

	umask(0);
	ck_assert_int_eq(process_setup(&p, &err), 0);
	ck_assert_int_eq(umask(0), 0022);
	p.user.umask.set = true;
	p.user.umask.v = 077;
	ck_assert_int_eq(process_setup(&p, &err), 0);
	ck_assert_int_eq(umask(0), 077);
}
END_TEST

START_TEST(test_setup_rlimits)
{
	struct spec_rlimit rl[2] = {
	    {.type = "RLIMIT_CORE", .resource = RLIMIT_CORE, .soft = 0, .hard = 4096},
	    {.type = "RLIMIT_NOFILE", .resource = RLIMIT_NOFILE, .soft = 2048, .hard = 4096},
	};
	struct spec_process p = {.rlimits = rl, .n_rlimits = 2};
	struct rlimit cur, low = {.rlim_cur = 1024, .rlim_max = 1024};
	struct herr err = {0};

	/* Without CAP_SYS_RESOURCE a hard limit cannot be raised again. */
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &low), 0);
	if (process_setup(&p, &err) < 0) {
		ck_assert_str_eq(err.msg, "process.rlimits[1]: setrlimit RLIMIT_NOFILE (soft 2048, "
					  "hard 4096): Operation not permitted");
	} else {
		ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &cur), 0);
		ck_assert(cur.rlim_cur == 2048 && cur.rlim_max == 4096);
	}
	ck_assert_int_eq(getrlimit(RLIMIT_CORE, &cur), 0);
	ck_assert(cur.rlim_cur == 0 && cur.rlim_max == 4096);

	rl[1].soft = 512;
	rl[1].hard = RLIM_INFINITY;
	if (process_setup(&p, &err) < 0)
		ck_assert_str_eq(err.msg, "process.rlimits[1]: setrlimit RLIMIT_NOFILE (soft 512, "
					  "hard unlimited): Operation not permitted");
}
END_TEST

START_TEST(test_chdir)
{
	char dir[PATH_MAX], buf[PATH_MAX];
	struct spec_process p = {.cwd = dir};
	struct herr err = {0};

	snprintf(dir, sizeof(dir), "%s/d2/bar", tree);
	ck_assert_int_eq(process_chdir(&p, &err), 0);
	ck_assert_str_eq(getcwd(buf, sizeof(buf)), dir);

	snprintf(dir, sizeof(dir), "%s/nosuch", tree);
	ck_assert_int_eq(process_chdir(&p, &err), -ENOENT);
	snprintf(buf, sizeof(buf), "process.cwd: chdir %s: No such file or directory", dir);
	ck_assert_str_eq(err.msg, buf);
}
END_TEST

/* CVE-2024-21626: a cwd reached through a directory fd from outside the root. */
START_TEST(test_chdir_outside_root)
{
	char cwd[64];
	struct spec_process p = {.cwd = cwd};
	struct herr err = {0};
	int fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);

	ck_assert_int_ge(fd, 0);
	if (chroot(tree) < 0)
		return; /* needs CAP_SYS_CHROOT */
	ck_assert_int_eq(chdir("/"), 0);
	/* What chdir("/proc/self/fd/N") does, without needing /proc in the new root. */
	ck_assert_int_eq(fchdir(fd), 0);
	p.cwd = NULL;
	ck_assert_int_lt(process_chdir(&p, &err), 0);
	ck_assert_str_eq(err.msg, "process.cwd: . is outside the container");

	snprintf(cwd, sizeof(cwd), "/d2");
	p.cwd = cwd;
	ck_assert_int_eq(process_chdir(&p, &err), 0);

	/* back to the real root, for the sanitizers' exit-time /proc reads */
	ck_assert_int_eq(fchdir(fd), 0);
	ck_assert_int_eq(chroot("."), 0);
	close(fd);
}
END_TEST

START_TEST(test_nothing_asked)
{
	struct spec_process p = {0};
	struct herr err = {0};

	ck_assert_int_eq(process_set_no_new_privs(&p, &err), 0);
	ck_assert_int_eq(process_set_personality(NULL, &err), 0);
	ck_assert_int_eq(process_set_memory_policy(NULL, &err), 0);
}
END_TEST

static Suite *process_suite(void)
{
	Suite *s = suite_create("process");
	TCase *names = tcase_create("names");
	TCase *cpus = tcase_create("cpu lists");
	TCase *path = tcase_create("path");
	TCase *local = tcase_create("process-local");

	tcase_add_test(names, test_caps_from_name);
	tcase_add_test(names, test_caps_from_spec);
	tcase_add_test(names, test_caps_from_spec_kernel_limit);
	suite_add_tcase(s, names);

	tcase_add_test(cpus, test_cpu_list_valid);
	tcase_add_test(cpus, test_cpu_list_invalid);
	tcase_add_test(cpus, test_cpu_affinity_error);
	suite_add_tcase(s, cpus);

	tcase_add_unchecked_fixture(path, tree_setup, tree_teardown);
	tcase_add_test(path, test_path_lookup);
	tcase_add_test(path, test_path_lookup_last_path_wins);
	tcase_add_test(path, test_path_lookup_empty_elements);
	tcase_add_test(path, test_path_lookup_default);
	tcase_add_test(path, test_exec_errors);
	tcase_add_test(path, test_chdir);
	tcase_add_test(path, test_chdir_outside_root);
	suite_add_tcase(s, path);

	tcase_add_test(local, test_setup_umask);
	tcase_add_test(local, test_setup_rlimits);
	tcase_add_test(local, test_nothing_asked);
	suite_add_tcase(s, local);
	return s;
}

int main(void)
{
	return unit_run(process_suite());
}
