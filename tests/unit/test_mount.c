/* Unit tests: mount option parsing (linux/mount.c) and in-root path resolution (util/path.c),
 * the latter on a temp dir full of hostile symlinks, with openat2(2) and with the fallback walk. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "linux/mount.h"
#include "util/cleanup.h"
#include "util/path.h"
#include "unit.h"

/* ---- mount_opts_parse ---- */

static struct mount_opts parse1(const char *opt)
{
	struct mount_opts o;
	struct herr err = {0};
	char *v = (char *)opt;

	ck_assert_int_eq(mount_opts_parse(&v, 1, &o, &err), 0);
	return o;
}

static const struct {
	const char *name;
	unsigned long set, clear;
} flag_cases[] = {
    {"ro", MS_RDONLY, 0},
    {"rw", 0, MS_RDONLY},
    {"nosuid", MS_NOSUID, 0},
    {"suid", 0, MS_NOSUID},
    {"nodev", MS_NODEV, 0},
    {"dev", 0, MS_NODEV},
    {"noexec", MS_NOEXEC, 0},
    {"exec", 0, MS_NOEXEC},
    {"sync", MS_SYNCHRONOUS, 0},
    {"async", 0, MS_SYNCHRONOUS},
    {"dirsync", MS_DIRSYNC, 0},
    {"remount", MS_REMOUNT, 0},
    {"mand", MS_MANDLOCK, 0},
    {"nomand", 0, MS_MANDLOCK},
    {"noatime", MS_NOATIME, 0},
    {"atime", 0, MS_NOATIME},
    {"nodiratime", MS_NODIRATIME, 0},
    {"diratime", 0, MS_NODIRATIME},
    {"relatime", MS_RELATIME, 0},
    {"norelatime", 0, MS_RELATIME},
    {"strictatime", MS_STRICTATIME, 0},
    {"nostrictatime", 0, MS_STRICTATIME},
    {"nosymfollow", MS_NOSYMFOLLOW, 0},
    {"symfollow", 0, MS_NOSYMFOLLOW},
    {"lazytime", MS_LAZYTIME, 0},
    {"nolazytime", 0, MS_LAZYTIME},
    {"silent", MS_SILENT, 0},
    {"loud", 0, MS_SILENT},
    {"iversion", MS_I_VERSION, 0},
    {"noiversion", 0, MS_I_VERSION},
    {"acl", MS_POSIXACL, 0},
    {"noacl", 0, MS_POSIXACL},
    {"bind", MS_BIND, 0},
    {"rbind", MS_BIND | MS_REC, 0},
    {"defaults", 0, 0},
};

START_TEST(test_flags)
{
	for (size_t i = 0; i < ARRAY_SIZE(flag_cases); i++) {
		struct mount_opts o = parse1(flag_cases[i].name);
		ck_assert_msg(o.flags == flag_cases[i].set && o.clear == flag_cases[i].clear,
			      "%s: flags %#lx clear %#lx", flag_cases[i].name, o.flags, o.clear);
		ck_assert_ptr_null(o.data);
		ck_assert(!o.propagation && !o.attr_set && !o.attr_clr);
	}
}
END_TEST

START_TEST(test_flags_last_wins)
{
	char *v[] = {"ro", "nosuid", "rw", "suid", "nosuid"};
	struct mount_opts o;
	struct herr err;

	ck_assert_int_eq(mount_opts_parse(v, ARRAY_SIZE(v), &o, &err), 0);
	ck_assert_uint_eq(o.flags, MS_NOSUID);
	ck_assert_uint_eq(o.clear, MS_RDONLY);
	mount_opts_free(&o);
}
END_TEST

static const struct {
	const char *name;
	unsigned long prop;
} prop_cases[] = {
    {"private", MS_PRIVATE},	   {"rprivate", MS_PRIVATE | MS_REC},
    {"shared", MS_SHARED},	   {"rshared", MS_SHARED | MS_REC},
    {"slave", MS_SLAVE},	   {"rslave", MS_SLAVE | MS_REC},
    {"unbindable", MS_UNBINDABLE}, {"runbindable", MS_UNBINDABLE | MS_REC},
};

START_TEST(test_propagation)
{
	for (size_t i = 0; i < ARRAY_SIZE(prop_cases); i++) {
		struct mount_opts o = parse1(prop_cases[i].name);
		ck_assert_msg(o.propagation == prop_cases[i].prop, "%s", prop_cases[i].name);
		ck_assert_uint_eq(o.flags, 0);
	}
}
END_TEST

static const struct {
	const char *name;
	uint64_t set, clr;
} attr_cases[] = {
    {"rro", MOUNT_ATTR_RDONLY, 0},
    {"rrw", 0, MOUNT_ATTR_RDONLY},
    {"rnosuid", MOUNT_ATTR_NOSUID, 0},
    {"rsuid", 0, MOUNT_ATTR_NOSUID},
    {"rnodev", MOUNT_ATTR_NODEV, 0},
    {"rdev", 0, MOUNT_ATTR_NODEV},
    {"rnoexec", MOUNT_ATTR_NOEXEC, 0},
    {"rexec", 0, MOUNT_ATTR_NOEXEC},
    {"rnodiratime", MOUNT_ATTR_NODIRATIME, 0},
    {"rdiratime", 0, MOUNT_ATTR_NODIRATIME},
    {"rrelatime", MOUNT_ATTR_RELATIME, MOUNT_ATTR__ATIME},
    {"rnorelatime", 0, MOUNT_ATTR_RELATIME},
    {"rnoatime", MOUNT_ATTR_NOATIME, MOUNT_ATTR__ATIME},
    {"ratime", 0, MOUNT_ATTR_NOATIME},
    {"rstrictatime", MOUNT_ATTR_STRICTATIME, MOUNT_ATTR__ATIME},
    {"rnostrictatime", 0, MOUNT_ATTR_STRICTATIME},
    {"rnosymfollow", MOUNT_ATTR_NOSYMFOLLOW, 0},
    {"rsymfollow", 0, MOUNT_ATTR_NOSYMFOLLOW},
};

START_TEST(test_recursive_attrs)
{
	for (size_t i = 0; i < ARRAY_SIZE(attr_cases); i++) {
		struct mount_opts o = parse1(attr_cases[i].name);
		ck_assert_msg(o.attr_set == attr_cases[i].set && o.attr_clr == attr_cases[i].clr,
			      "%s: set %#llx clr %#llx", attr_cases[i].name,
			      (unsigned long long)o.attr_set, (unsigned long long)o.attr_clr);
		ck_assert_uint_eq(o.flags, 0);
	}
}
END_TEST

/* Found by tests/fuzz/fuzz_mount_opts: "rnoatime,rstrictatime" set both modes in the atime
 * field (mount_setattr: EINVAL), "rnoatime,rrelatime" stayed noatime. */
START_TEST(test_recursive_atime_last_wins)
{
	static const struct {
		char *v[3];
		uint64_t set;
	} cases[] = {
	    {{"rnoatime", "rstrictatime", "rnodev"}, MOUNT_ATTR_STRICTATIME | MOUNT_ATTR_NODEV},
	    {{"rstrictatime", "rnoatime", "rro"}, MOUNT_ATTR_NOATIME | MOUNT_ATTR_RDONLY},
	    {{"rnoatime", "rrelatime", "rnodiratime"}, MOUNT_ATTR_RELATIME | MOUNT_ATTR_NODIRATIME},
	};
	struct mount_opts o;
	struct herr err;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		ck_assert_int_eq(mount_opts_parse(cases[i].v, 3, &o, &err), 0);
		ck_assert_msg(o.attr_set == cases[i].set, "case %zu: set %#llx", i,
			      (unsigned long long)o.attr_set);
		ck_assert_uint_eq(o.attr_clr, MOUNT_ATTR__ATIME);
		mount_opts_free(&o);
	}
}
END_TEST

START_TEST(test_idmap_tmpcopyup)
{
	struct mount_opts o = parse1("idmap");

	ck_assert(o.idmap && !o.recursive_idmap);
	o = parse1("ridmap");
	ck_assert(o.idmap && o.recursive_idmap);
	o = parse1("tmpcopyup");
	ck_assert(o.tmpcopyup && !o.idmap);
	ck_assert_ptr_null(o.data);
}
END_TEST

START_TEST(test_data)
{
	char *v[] = {"nosuid", "mode=755", "", "size=65536k", "rbind", "newinstance", "rprivate"};
	struct mount_opts o;
	struct herr err;

	ck_assert_int_eq(mount_opts_parse(v, ARRAY_SIZE(v), &o, &err), 0);
	ck_assert_str_eq(o.data, "mode=755,size=65536k,newinstance");
	ck_assert_uint_eq(o.flags, MS_NOSUID | MS_BIND | MS_REC);
	ck_assert_uint_eq(o.propagation, MS_PRIVATE | MS_REC);
	mount_opts_free(&o);
	ck_assert_ptr_null(o.data);
}
END_TEST

START_TEST(test_unknown_and_empty)
{
	char *v[] = {"Ro", "x-gvfs-show", "context=\"system_u:object_r:foo\""};
	struct mount_opts o;
	struct herr err;

	ck_assert_int_eq(mount_opts_parse(v, ARRAY_SIZE(v), &o, &err), 0);
	ck_assert_str_eq(o.data, "Ro,x-gvfs-show,context=\"system_u:object_r:foo\"");
	ck_assert_uint_eq(o.flags, 0);
	mount_opts_free(&o);
	ck_assert_int_eq(mount_opts_parse(NULL, 0, &o, &err), 0);
	ck_assert_ptr_null(o.data);
	ck_assert_uint_eq(o.flags | o.clear | o.propagation, 0);
}
END_TEST

/* ---- path_clean / path_has_prefix ---- */

START_TEST(test_path_clean)
{
	static const char *const cases[][2] = {
	    {"/", "/"},
	    {"", "/"},
	    {"//a/./b/../c/", "/a/c"},
	    {"../../etc", "/etc"},
	    {"a/b", "/a/b"},
	    {"/a/b/../../..", "/"},
	    {"/dev//null", "/dev/null"},
	    {"/..a/b", "/..a/b"},
	    {"/a/.../b", "/a/.../b"},
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		_cleanup_free_ char *c = path_clean(cases[i][0]);
		ck_assert_msg(strcmp(c, cases[i][1]) == 0, "%s -> %s", cases[i][0], c);
	}
	ck_assert(path_has_prefix("/dev/null", "/dev"));
	ck_assert(path_has_prefix("/dev", "/dev"));
	ck_assert(!path_has_prefix("/devices", "/dev"));
	ck_assert(path_has_prefix("/x", "/"));
}
END_TEST

/* ---- in-root resolution on a hostile tree ---- */

static char tmp[PATH_MAX];
static int rootfd = -1;

static void mk(const char *rel, bool dir)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s/%s", tmp, rel);
	if (dir)
		ck_assert_int_eq(mkdir(p, 0755), 0);
	else
		ck_assert_int_eq(close(open(p, O_CREAT | O_WRONLY | O_CLOEXEC, 0644)), 0);
}

static void ln(const char *target, const char *rel)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s/%s", tmp, rel);
	ck_assert_int_eq(symlink(target, p), 0);
}

/* Layout: tmp/outside (a file outside the root: the bait) and tmp/root:
 *   etc/ etc/passwd  abs -> /  up -> ../../..  upetc -> ../../../etc  loop1 <-> loop2
 *   self -> .  chain -> abs/up/etc  dangling -> /nonexistent/x  file  notdir -> file */
static void setup(void)
{
	char root[PATH_MAX];

	snprintf(tmp, sizeof(tmp), "/tmp/husk-test-mount-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmp));
	mk("outside", false);
	mk("root", true);
	mk("root/etc", true);
	mk("root/etc/passwd", false);
	mk("root/file", false);
	ln("/", "root/abs");
	ln("../../..", "root/up");
	ln("../../../etc", "root/upetc");
	ln("loop2", "root/loop1");
	ln("loop1", "root/loop2");
	ln(".", "root/self");
	ln("abs/up/etc", "root/chain");
	ln("/nonexistent/x", "root/dangling");
	ln("file", "root/notdir");
	ln("/outside", "root/bait");
	snprintf(root, sizeof(root), "%s/root", tmp);
	rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(rootfd, 0);
}

static void rm_rf(const char *p)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", p);
	ck_assert_int_eq(system(cmd), 0);
}

static void teardown(void)
{
	close(rootfd);
	rm_rf(tmp);
	path_force_walk(false);
}

/* The fd must name something at or below tmp/root. */
static void assert_inside(int fd, const char *expect_rel)
{
	char p[64], real[PATH_MAX], want[PATH_MAX];
	ssize_t n;

	ck_assert_int_ge(fd, 0);
	snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
	n = readlink(p, real, sizeof(real) - 1);
	ck_assert_int_gt(n, 0);
	real[n] = '\0';
	snprintf(want, sizeof(want), "%s/root%s", tmp, expect_rel);
	ck_assert_str_eq(real, want);
	close(fd);
}

static void resolution_cases(void)
{
	struct herr err;

	assert_inside(path_open_in_root(rootfd, "/etc/passwd", O_PATH, &err), "/etc/passwd");
	assert_inside(path_open_in_root(rootfd, "abs/etc/passwd", O_PATH, &err), "/etc/passwd");
	assert_inside(path_open_in_root(rootfd, "up/etc", O_PATH, &err), "/etc");
	assert_inside(path_open_in_root(rootfd, "upetc/passwd", O_RDONLY, &err), "/etc/passwd");
	assert_inside(path_open_in_root(rootfd, "../../../../etc", O_PATH, &err), "/etc");
	assert_inside(path_open_in_root(rootfd, "chain/passwd", O_PATH, &err), "/etc/passwd");
	assert_inside(path_open_in_root(rootfd, "self/self/etc/../file", O_PATH, &err), "/file");
	assert_inside(path_open_in_root(rootfd, "/", O_PATH, &err), "");
	assert_inside(path_open_in_root(rootfd, "up", O_PATH | O_DIRECTORY, &err), "");
	/* An absolute link to a file outside the root names the root's own (missing) file. */
	ck_assert_int_eq(path_open_in_root(rootfd, "bait", O_PATH, &err), -ENOENT);
	ck_assert_int_eq(path_open_in_root(rootfd, "loop1", O_PATH, &err), -ELOOP);
	ck_assert_int_eq(path_open_in_root(rootfd, "loop1/x", O_PATH, &err), -ELOOP);
	ck_assert_int_eq(path_open_in_root(rootfd, "dangling", O_PATH, &err), -ENOENT);
	ck_assert_int_eq(path_open_in_root(rootfd, "notdir/x", O_PATH, &err), -ENOTDIR);
	ck_assert_int_eq(path_open_in_root(rootfd, "file", O_PATH | O_DIRECTORY, &err), -ENOTDIR);
	ck_assert(strstr(err.msg, "open file: ") == err.msg);
}

START_TEST(test_resolve_openat2)
{
	resolution_cases();
}
END_TEST

START_TEST(test_resolve_walk)
{
	path_force_walk(true);
	resolution_cases();
}
END_TEST

static void mkdir_cases(void)
{
	struct herr err;
	struct stat st;
	char p[PATH_MAX];
	char name[NAME_MAX + 1];

	/* mkdir -p through hostile links creates inside the root, never in tmp or /. */
	assert_inside(path_mkdir_in_root(rootfd, "/abs/up/new/a/b", 0755, &err), "/new/a/b");
	assert_inside(path_mkdir_in_root(rootfd, "upetc/sub", 0755, &err), "/etc/sub");
	assert_inside(path_mkdir_in_root(rootfd, "x/../../../y/./z", 0755, &err), "/y/z");
	snprintf(p, sizeof(p), "%s/new", tmp);
	ck_assert_int_eq(stat(p, &st), -1);
	ck_assert_int_eq(stat("/new/a/b", &st), -1);
	/* A dangling symlink is followed inside the root, as runc's MkdirAll: its target is
	 * created under the root, never on the host. */
	assert_inside(path_mkdir_in_root(rootfd, "dangling/q", 0755, &err), "/nonexistent/x/q");
	ck_assert_int_eq(stat("/nonexistent", &st), -1);
	ck_assert_int_eq(path_mkdir_in_root(rootfd, "file/q", 0755, &err), -ENOTDIR);
	ck_assert_int_eq(path_mkdir_in_root(rootfd, "loop1/q", 0755, &err), -ELOOP);

	assert_inside(path_create_in_root(rootfd, "/up/etc/newfile", 0600, O_PATH, &err),
		      "/etc/newfile");
	snprintf(p, sizeof(p), "%s/root/etc/newfile", tmp);
	ck_assert_int_eq(stat(p, &st), 0);
	ck_assert(S_ISREG(st.st_mode));
	/* A dangling link (to a path outside, even) is refused: nothing is created anywhere. */
	ck_assert_int_eq(path_create_in_root(rootfd, "bait", 0600, O_PATH, &err), -EEXIST);
	snprintf(p, sizeof(p), "%s/root/outside", tmp);
	ck_assert_int_eq(stat(p, &st), -1);

	assert_inside(path_open_parent_in_root(rootfd, "/abs/deep/er/leaf", name, &err),
		      "/deep/er");
	ck_assert_str_eq(name, "leaf");
	assert_inside(path_open_parent_in_root(rootfd, "top/", name, &err), "");
	ck_assert_str_eq(name, "top");
	ck_assert_int_eq(path_open_parent_in_root(rootfd, "/", name, &err), -EINVAL);
	ck_assert_int_eq(path_open_parent_in_root(rootfd, "a/..", name, &err), -EINVAL);
}

START_TEST(test_mkdir_openat2)
{
	mkdir_cases();
}
END_TEST

START_TEST(test_mkdir_walk)
{
	path_force_walk(true);
	mkdir_cases();
}
END_TEST

static Suite *mount_suite(void)
{
	Suite *s = suite_create("mount");
	TCase *opts = tcase_create("options");
	TCase *paths = tcase_create("paths");

	tcase_add_test(opts, test_flags);
	tcase_add_test(opts, test_flags_last_wins);
	tcase_add_test(opts, test_propagation);
	tcase_add_test(opts, test_recursive_attrs);
	tcase_add_test(opts, test_recursive_atime_last_wins);
	tcase_add_test(opts, test_idmap_tmpcopyup);
	tcase_add_test(opts, test_data);
	tcase_add_test(opts, test_unknown_and_empty);
	tcase_add_test(opts, test_path_clean);
	suite_add_tcase(s, opts);

	tcase_add_checked_fixture(paths, setup, teardown);
	tcase_add_test(paths, test_resolve_openat2);
	tcase_add_test(paths, test_resolve_walk);
	tcase_add_test(paths, test_mkdir_openat2);
	tcase_add_test(paths, test_mkdir_walk);
	suite_add_tcase(s, paths);
	return s;
}

int main(void)
{
	return unit_run(mount_suite());
}
