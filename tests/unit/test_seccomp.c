/* linux/seccomp.c: filters built from hand-made struct spec_seccomp, loaded in a forked child,
 * observed from the outside (errno, termination signal, ptrace events, notifications). */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include <yajl/yajl_tree.h>

#include "linux/seccomp.h"
#include "util/cleanup.h"

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
#include "unit.h"

#ifndef SECCOMP_USER_NOTIF_FLAG_CONTINUE
#define SECCOMP_USER_NOTIF_FLAG_CONTINUE (1UL << 0)
#endif
#ifndef PTRACE_EVENT_SECCOMP
#define PTRACE_EVENT_SECCOMP 7
#endif
#define FLAG_LOG 2U
#define FLAG_SPEC_ALLOW 4U
#define FLAG_NEW_LISTENER 8U
#define FLAG_WAIT_KILLABLE_RECV 32U

/* exit codes of a child that failed before the code under test ran */
#define CHILD_SETUP_FAILED 200
#define CHILD_INSTALL_FAILED 201

static char *empty_flags[1];

/* ---- helpers ---- */

static struct spec_syscall rule(char **names, size_t n, enum spec_seccomp_action a)
{
	return (struct spec_syscall){ .names = names, .n_names = n, .action = a };
}

static struct spec_seccomp profile(enum spec_seccomp_action def, struct spec_syscall *sc, size_t n)
{
	/* an explicit empty "flags" so the default SPEC_ALLOW doesn't show in flag checks */
	return (struct spec_seccomp){ .default_action = def,
				      .syscalls = sc,
				      .n_syscalls = n,
				      .flags = empty_flags };
}

static struct seccomp_prog *prepare_ok(const struct spec_seccomp *s)
{
	struct seccomp_prog *prog = NULL;
	struct herr err = { 0 };
	int r = seccomp_prepare(s, &prog, &err);

	ck_assert_msg(r == 0, "seccomp_prepare: %s", err.msg);
	ck_assert_ptr_nonnull(prog);
	return prog;
}

static void prepare_fails(const struct spec_seccomp *s, const char *want)
{
	struct seccomp_prog *prog = NULL;
	struct herr err = { 0 };
	int r = seccomp_prepare(s, &prog, &err);

	ck_assert_int_lt(r, 0);
	ck_assert_ptr_null(prog);
	ck_assert_msg(strstr(err.msg, want), "error \"%s\" lacks \"%s\"", err.msg, want);
}

typedef int (*child_fn)(void *arg);

/* exit_group(2) itself, and not declared noreturn: ASan runs syscalls of its own before
 * _exit() and before any noreturn call (__asan_handle_no_return), which a deny-by-default
 * filter would answer. */
static void child_exit(int code)
{
	syscall(SYS_exit_group, code);
}

static void child_install(struct seccomp_prog *prog, bool nnp, int *notify_fd)
{
	struct herr err = { 0 };

	if (nnp && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		_exit(CHILD_SETUP_FAILED);
	if (seccomp_install(prog, notify_fd, &err) < 0)
		_exit(CHILD_INSTALL_FAILED);
}

/* Fork, load prog in the child, run fn there; returns the child's wait status. */
static int run_filtered(struct seccomp_prog *prog, bool nnp, child_fn fn, void *arg)
{
	int status, nfd;
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		child_install(prog, nnp, &nfd);
		child_exit(fn(arg));
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	return status;
}

static int exit_code(int status)
{
	ck_assert_msg(WIFEXITED(status), "child did not exit: status %#x", status);
	return WEXITSTATUS(status);
}

/* The child's answer: the errno of a failed call, 0 on success. */
static int errno_of(long r)
{
	return r < 0 ? errno : 0;
}

static int call_getppid(void *arg)
{
	return errno_of(syscall(SYS_getppid));
}

static int call_getrandom(void *arg)
{
	char b;

	return errno_of(syscall(SYS_getrandom, &b, 1, 0));
}

static int errno_of_getppid_under(struct seccomp_prog *prog)
{
	return exit_code(run_filtered(prog, true, call_getppid, NULL));
}

/* ---- actions ---- */

START_TEST(test_errno_defaults_to_eperm)
{
	char *names[] = { "getppid" };
	struct spec_syscall sc = rule(names, 1, SPEC_SCMP_ACT_ERRNO);
	struct spec_seccomp s = profile(SPEC_SCMP_ACT_ALLOW, &sc, 1);
	struct seccomp_prog *prog = prepare_ok(&s);

	ck_assert_int_eq(errno_of_getppid_under(prog), EPERM);
	seccomp_prog_free(prog);
}
END_TEST

START_TEST(test_errno_ret)
{
	char *names[] = { "getppid" };
	struct spec_syscall sc = rule(names, 1, SPEC_SCMP_ACT_ERRNO);
	struct spec_seccomp s = profile(SPEC_SCMP_ACT_ALLOW, &sc, 1);
	struct seccomp_prog *prog;

	sc.errno_ret = (struct opt_u64){ true, EXDEV };
	prog = prepare_ok(&s);
	ck_assert_int_eq(errno_of_getppid_under(prog), EXDEV);
	seccomp_prog_free(prog);
}
END_TEST

/* Deny by default with defaultErrnoRet: only exit_group is allowed. */
START_TEST(test_default_errno_ret)
{
	char *names[] = { "exit_group" };
	struct spec_syscall sc = rule(names, 1, SPEC_SCMP_ACT_ALLOW);
	struct spec_seccomp s = profile(SPEC_SCMP_ACT_ERRNO, &sc, 1);
	struct seccomp_prog *prog;

	s.default_errno_ret = (struct opt_u64){ true, ENOTBLK };
	prog = prepare_ok(&s);
	ck_assert_int_eq(errno_of_getppid_under(prog), ENOTBLK);
	seccomp_prog_free(prog);
}
END_TEST

START_TEST(test_default_errno_is_eperm)
{
	char *names[] = { "exit_group" };
	struct spec_syscall sc = rule(names, 1, SPEC_SCMP_ACT_ALLOW);
	struct spec_seccomp s = profile(SPEC_SCMP_ACT_ERRNO, &sc, 1);
	struct seccomp_prog *prog = prepare_ok(&s);

	ck_assert_int_eq(errno_of_getppid_under(prog), EPERM);
	seccomp_prog_free(prog);
}
END_TEST

static void assert_killed_by_sigsys(enum spec_seccomp_action a)
{
	char *names[] = { "getppid" };
	struct spec_syscall sc = rule(names, 1, a);
	struct spec_seccomp s = profile(SPEC_SCMP_ACT_ALLOW, &sc, 1);
	struct seccomp_prog *prog = prepare_ok(&s);
	int status = run_filtered(prog, true, call_getppid, NULL);

	ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS,
		      "%d: want SIGSYS, status %#x", a, status);
	seccomp_prog_free(prog);
}

START_TEST(test_kill_actions_single_thread)
{
	assert_killed_by_sigsys(SPEC_SCMP_ACT_KILL);
	assert_killed_by_sigsys(SPEC_SCMP_ACT_KILL_THREAD);
	assert_killed_by_sigsys(SPEC_SCMP_ACT_KILL_PROCESS);
}
END_TEST

static void *thread_getppid(void *arg)
{
	syscall(SYS_getppid);
	return NULL;
}

/* A thread makes the denied call: the process survives unless the action kills it all. */
static int thread_calls_getppid(void *arg)
{
	pthread_t t;

	if (pthread_create(&t, NULL, thread_getppid, NULL) != 0)
		return CHILD_SETUP_FAILED;
	pthread_join(t, NULL);
	return 42;
}

static int status_with_thread_kill(enum spec_seccomp_action a)
{
	char *names[] = { "getppid" };
	struct spec_syscall sc = rule(names, 1, a);
	struct spec_seccomp s = profile(SPEC_SCMP_ACT_ALLOW, &sc, 1);
	struct seccomp_prog *prog = prepare_ok(&s);
	int status = run_filtered(prog, true, thread_calls_getppid, NULL);

	seccomp_prog_free(prog);
	return status;
}

START_TEST(test_kill_thread_vs_process)
{
	int st;

	/* SCMP_ACT_KILL is KILL_THREAD (runc, libseccomp) */
	ck_assert_int_eq(exit_code(status_with_thread_kill(SPEC_SCMP_ACT_KILL)), 42);
	ck_assert_int_eq(exit_code(status_with_thread_kill(SPEC_SCMP_ACT_KILL_THREAD)), 42);
	st = status_with_thread_kill(SPEC_SCMP_ACT_KILL_PROCESS);
	ck_assert_msg(WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS, "status %#x", st);
}
END_TEST

static volatile sig_atomic_t trap_code, trap_syscall;

static void on_sigsys(int sig, siginfo_t *si, void *ctx)
{
	trap_code = si->si_code;
	trap_syscall = si->si_syscall;
}

static int trap_child(void *arg)
{
	syscall(SYS_getppid);
	if (trap_code != 1 /* SYS_SECCOMP */)
		return 1;
	return trap_syscall == SYS_getppid ? 0 : 2;
}

START_TEST(test_trap_sends_sigsys)
{
	char *names[] = { "getppid" };
	struct spec_syscall sc = rule(names, 1, SPEC_SCMP_ACT_TRAP);
	struct spec_seccomp s = profile(SPEC_SCMP_ACT_ALLOW, &sc, 1);
	struct seccomp_prog *prog = prepare_ok(&s);
	struct sigaction sa = { .sa_sigaction = on_sigsys, .sa_flags = SA_SIGINFO };
	int status;

	/* with a handler: SIGSYS carries SYS_SECCOMP and the syscall number */
	ck_assert_int_eq(sigaction(SIGSYS, &sa, NULL), 0);
	ck_assert_int_eq(exit_code(run_filtered(prog, true, trap_child, NULL)), 0);
	/* without one: the default disposition ends the process */
	signal(SIGSYS, SIG_DFL);
	status = run_filtered(prog, true, call_getppid, NULL);
	ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS, "status %#x", status);
	seccomp_prog_free(prog);
}
END_TEST

START_TEST(test_trace_without_tracer_is_enosys)
{
	char *names[] = { "getppid" };
	struct spec_syscall sc = rule(names, 1, SPEC_SCMP_ACT_TRACE);
	struct spec_seccomp s = profile(SPEC_SCMP_ACT_ALLOW, &sc, 1);
	struct seccomp_prog *prog = prepare_ok(&s);

	ck_assert_int_eq(errno_of_getppid_under(prog), ENOSYS);
	seccomp_prog_free(prog);
}
END_TEST

/* With a tracer, errnoRet is the PTRACE_EVENT_SECCOMP message. */
START_TEST(test_trace_passes_errno_ret_to_tracer)
{
	char *names[] = { "getppid" };
	struct spec_syscall sc = rule(names, 1, SPEC_SCMP_ACT_TRACE);
	struct spec_seccomp s = profile(SPEC_SCMP_ACT_ALLOW, &sc, 1);
	struct seccomp_prog *prog;
	unsigned long msg = 0;
	int status, nfd;
	pid_t pid;

	sc.errno_ret = (struct opt_u64){ true, 1234 };
	prog = prepare_ok(&s);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) < 0)
			_exit(CHILD_SETUP_FAILED);
		pid_t ppid = getppid();

		raise(SIGSTOP);
		child_install(prog, true, &nfd);
		child_exit(syscall(SYS_getppid) == ppid ? 0 : 1);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFSTOPPED(status) && WSTOPSIG(status) == SIGSTOP);
	ck_assert_int_eq(ptrace(PTRACE_SETOPTIONS, pid, NULL,
				(void *)(long)(PTRACE_O_TRACESECCOMP | PTRACE_O_EXITKILL)),
			 0);
	ck_assert_int_eq(ptrace(PTRACE_CONT, pid, NULL, NULL), 0);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFSTOPPED(status) && status >> 8 == (SIGTRAP | (PTRACE_EVENT_SECCOMP << 8)),
		      "status %#x", status);
	ck_assert_int_eq(ptrace(PTRACE_GETEVENTMSG, pid, NULL, &msg), 0);
	ck_assert_uint_eq(msg, 1234);
	ck_assert_int_eq(ptrace(PTRACE_CONT, pid, NULL, NULL), 0);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_int_eq(exit_code(status), 0);
	seccomp_prog_free(prog);
}
END_TEST

static int getppid_is_real(void *arg)
{
	return syscall(SYS_getppid) == *(pid_t *)arg ? 0 : 1;
}

START_TEST(test_log_allows)
{
	char *names[] = { "getppid" };
	struct spec_syscall sc = rule(names, 1, SPEC_SCMP_ACT_LOG);
	struct spec_seccomp rule_log = profile(SPEC_SCMP_ACT_ALLOW, &sc, 1);
	struct spec_seccomp default_log = profile(SPEC_SCMP_ACT_LOG, NULL, 0);
	pid_t me = getpid();
	struct seccomp_prog *prog = prepare_ok(&rule_log);

	ck_assert_int_eq(exit_code(run_filtered(prog, true, getppid_is_real, &me)), 0);
	seccomp_prog_free(prog);
	prog = prepare_ok(&default_log);
	ck_assert_int_eq(exit_code(run_filtered(prog, true, getppid_is_real, &me)), 0);
	seccomp_prog_free(prog);
}
END_TEST

START_TEST(test_unknown_syscall_skipped)
{
	char *names[] = { "husk_no_such_syscall", "getppid" };
	struct spec_syscall sc = rule(names, 2, SPEC_SCMP_ACT_ERRNO);
	struct spec_seccomp s = profile(SPEC_SCMP_ACT_ALLOW, &sc, 1);
	struct seccomp_prog *prog = prepare_ok(&s);

	ck_assert_int_eq(errno_of_getppid_under(prog), EPERM);
	seccomp_prog_free(prog);
}
END_TEST

/* A rule with the default action is redundant: libseccomp refuses it, husk skips it. */
START_TEST(test_rule_same_as_default_skipped)
{
	char *names[] = { "getppid" };
	char *exit_names[] = { "exit_group" };
	struct spec_syscall sc[] = { rule(names, 1, SPEC_SCMP_ACT_ERRNO),
				     rule(exit_names, 1, SPEC_SCMP_ACT_ALLOW) };
	struct spec_seccomp s = profile(SPEC_SCMP_ACT_ERRNO, sc, 2);
	struct seccomp_prog *prog = prepare_ok(&s);

	ck_assert_int_eq(errno_of_getppid_under(prog), EPERM);
	seccomp_prog_free(prog);
}
END_TEST

/* ---- the -ENOSYS stub ---- */

/* Deny by default, allow exit_group (231 on x86_64): getrandom (318) is newer than the
 * profile and gets ENOSYS, getppid (110) is older and gets the default action. */
START_TEST(test_enosys_for_newer_syscalls)
{
	char *names[] = { "exit_group" };
	struct spec_syscall sc = rule(names, 1, SPEC_SCMP_ACT_ALLOW);
	struct spec_seccomp s = profile(SPEC_SCMP_ACT_ERRNO, &sc, 1);
	struct seccomp_prog *prog;
	int status;

	ck_assert_int_gt(SYS_getrandom, SYS_exit_group);
	ck_assert_int_lt(SYS_getppid, SYS_exit_group);
	prog = prepare_ok(&s);
	ck_assert_int_eq(exit_code(run_filtered(prog, true, call_getrandom, NULL)), ENOSYS);
	ck_assert_int_eq(errno_of_getppid_under(prog), EPERM);
	seccomp_prog_free(prog);

	/* KILL by default: the newer syscall is answered, not fatal; the older one kills */
	s.default_action = SPEC_SCMP_ACT_KILL_PROCESS;
	prog = prepare_ok(&s);
	ck_assert_int_eq(exit_code(run_filtered(prog, true, call_getrandom, NULL)), ENOSYS);
	status = run_filtered(prog, true, call_getppid, NULL);
	ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS, "status %#x", status);
	seccomp_prog_free(prog);
}
END_TEST

START_TEST(test_enosys_stub_only_when_denying)
{
	char *names[] = { "exit_group" };
	struct spec_syscall sc = rule(names, 1, SPEC_SCMP_ACT_ALLOW);
	struct spec_seccomp s = profile(SPEC_SCMP_ACT_ERRNO, &sc, 1);
	struct seccomp_prog *with, *without;

	with = prepare_ok(&s);
	s.default_errno_ret = (struct opt_u64){ true, ENOSYS };
	without = prepare_ok(&s);
	ck_assert_uint_gt(seccomp_prog_len(with), seccomp_prog_len(without));
	/* a TRACE default: the tracer handles new syscalls (runc) */
	s.default_action = SPEC_SCMP_ACT_TRACE;
	s.default_errno_ret.set = false;
	seccomp_prog_free(without);
	without = prepare_ok(&s);
	ck_assert_uint_gt(seccomp_prog_len(with), seccomp_prog_len(without));
	seccomp_prog_free(with);
	seccomp_prog_free(without);
}
END_TEST

/* ---- argument filters ---- */

/* Run getppid(a0, a1) for each pair in the child; bit i of the exit code: call i got EPERM. */
struct arg_calls {
	size_t n;
	unsigned long a[6][2];
};

static int call_with_args(void *arg)
{
	const struct arg_calls *c = arg;
	int mask = 0;

	for (size_t i = 0; i < c->n; i++) {
		long r = syscall(SYS_getppid, c->a[i][0], c->a[i][1], 0, 0, 0, 0);

		if (r < 0 && errno == EPERM)
			mask |= 1 << i;
		else if (r < 0)
			return 100;
	}
	return mask;
}

static int denied_mask(struct spec_seccomp_arg *args, size_t n_args, struct arg_calls *calls)
{
	char *names[] = { "getppid" };
	struct spec_syscall sc = rule(names, 1, SPEC_SCMP_ACT_ERRNO);
	struct spec_seccomp s = profile(SPEC_SCMP_ACT_ALLOW, &sc, 1);
	struct seccomp_prog *prog;
	int code;

	sc.args = args;
	sc.n_args = n_args;
	prog = prepare_ok(&s);
	code = exit_code(run_filtered(prog, true, call_with_args, calls));
	seccomp_prog_free(prog);
	return code;
}

static int denied_mask_op(enum spec_seccomp_op op, uint64_t value, uint64_t value_two)
{
	struct spec_seccomp_arg arg = { .index = 0, .value = value, .value_two = value_two, .op = op };
	struct arg_calls calls = { 3, { { 5, 0 }, { 10, 0 }, { 15, 0 } } };

	return denied_mask(&arg, 1, &calls);
}

START_TEST(test_arg_operators)
{
	/* a0 = 5, 10, 15 against 10 */
	ck_assert_int_eq(denied_mask_op(SPEC_SCMP_CMP_NE, 10, 0), 0x5);
	ck_assert_int_eq(denied_mask_op(SPEC_SCMP_CMP_LT, 10, 0), 0x1);
	ck_assert_int_eq(denied_mask_op(SPEC_SCMP_CMP_LE, 10, 0), 0x3);
	ck_assert_int_eq(denied_mask_op(SPEC_SCMP_CMP_EQ, 10, 0), 0x2);
	ck_assert_int_eq(denied_mask_op(SPEC_SCMP_CMP_GE, 10, 0), 0x6);
	ck_assert_int_eq(denied_mask_op(SPEC_SCMP_CMP_GT, 10, 0), 0x4);
	/* (a0 & 0b1100) == 0b0100: 5 = 0101 yes, 10 = 1010 no, 15 = 1111 no */
	ck_assert_int_eq(denied_mask_op(SPEC_SCMP_CMP_MASKED_EQ, 0xc, 0x4), 0x1);
}
END_TEST

START_TEST(test_arg_64bit_value)
{
	struct spec_seccomp_arg arg = { .index = 1, .value = 0x100000000ULL, .op = SPEC_SCMP_CMP_EQ };
	struct arg_calls calls = { 3, { { 0, 0x100000000UL }, { 0, 0 }, { 0, 0x100000001UL } } };

	ck_assert_int_eq(denied_mask(&arg, 1, &calls), 0x1);
}
END_TEST

/* Conditions on distinct arguments are ANDed in one rule. */
START_TEST(test_args_on_distinct_indexes_and)
{
	struct spec_seccomp_arg args[] = { { .index = 0, .value = 1, .op = SPEC_SCMP_CMP_EQ },
					   { .index = 1, .value = 2, .op = SPEC_SCMP_CMP_EQ } };
	struct arg_calls calls = { 3, { { 1, 2 }, { 1, 3 }, { 0, 2 } } };

	ck_assert_int_eq(denied_mask(args, 2, &calls), 0x1);
}
END_TEST

/* runc's special case: two conditions on one argument become two rules (ORed). */
START_TEST(test_args_on_same_index_or)
{
	struct spec_seccomp_arg args[] = { { .index = 0, .value = 1, .op = SPEC_SCMP_CMP_EQ },
					   { .index = 0, .value = 2, .op = SPEC_SCMP_CMP_EQ } };
	struct arg_calls calls = { 3, { { 1, 0 }, { 2, 0 }, { 3, 0 } } };

	ck_assert_int_eq(denied_mask(args, 2, &calls), 0x3);
}
END_TEST

/* ---- architectures ---- */

#if defined(__x86_64__)
/* i386 getpid (20) through int 0x80: the kernel reports AUDIT_ARCH_I386 to seccomp. */
static long int80_getpid(void)
{
	long r = 20;

	__asm__ volatile("int $0x80" : "+a"(r) : : "memory");
	return r;
}

static int call_int80_getpid(void *arg)
{
	long r = int80_getpid();

	return r < 0 ? (int)-r : 0;
}

START_TEST(test_architectures)
{
	char *names[] = { "getpid" };
	char *x86[] = { "SCMP_ARCH_X86_64", "SCMP_ARCH_X86" };
	struct spec_syscall sc = rule(names, 1, SPEC_SCMP_ACT_ERRNO);
	struct spec_seccomp s = profile(SPEC_SCMP_ACT_ALLOW, &sc, 1);
	struct seccomp_prog *prog;
	int status;

	if (int80_getpid() != getpid())
		return; /* no IA32 emulation in this kernel */
	/* native only: a 32-bit syscall hits libseccomp's bad-arch action (kill) */
	prog = prepare_ok(&s);
	status = run_filtered(prog, true, call_int80_getpid, NULL);
	ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS, "status %#x", status);
	seccomp_prog_free(prog);
	/* with SCMP_ARCH_X86 the rule applies to i386 getpid (20) too */
	s.architectures = x86;
	s.n_architectures = 2;
	prog = prepare_ok(&s);
	ck_assert_int_eq(exit_code(run_filtered(prog, true, call_int80_getpid, NULL)), EPERM);
	seccomp_prog_free(prog);
}
END_TEST
#endif

/* ---- flags ---- */

static unsigned flags_of(struct spec_seccomp *s)
{
	struct seccomp_prog *prog = prepare_ok(s);
	unsigned f = seccomp_prog_flags(prog);
	pid_t me = getpid();

	/* and the kernel takes them */
	ck_assert_int_eq(exit_code(run_filtered(prog, true, getppid_is_real, &me)), 0);
	seccomp_prog_free(prog);
	return f;
}

START_TEST(test_flags)
{
	char *log[] = { "SECCOMP_FILTER_FLAG_LOG" };
	char *spec[] = { "SECCOMP_FILTER_FLAG_SPEC_ALLOW" };
	char *tsync[] = { "SECCOMP_FILTER_FLAG_TSYNC" };
	char *all[] = { "SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG",
			"SECCOMP_FILTER_FLAG_SPEC_ALLOW" };
	char *names[] = { "mkdir" };
	struct spec_syscall sc = rule(names, 1, SPEC_SCMP_ACT_ERRNO);
	struct spec_seccomp s = profile(SPEC_SCMP_ACT_ALLOW, &sc, 1);

	ck_assert_uint_eq(flags_of(&s), 0); /* "flags": [] */
	s.flags = NULL;				/* no "flags": runc's default */
	ck_assert_uint_eq(flags_of(&s), FLAG_SPEC_ALLOW);
	s.flags = log;
	s.n_flags = 1;
	ck_assert_uint_eq(flags_of(&s), FLAG_LOG);
	s.flags = spec;
	ck_assert_uint_eq(flags_of(&s), FLAG_SPEC_ALLOW);
	s.flags = tsync;
	ck_assert_uint_eq(flags_of(&s), 0);
	s.flags = all;
	s.n_flags = 3;
	ck_assert_uint_eq(flags_of(&s), FLAG_LOG | FLAG_SPEC_ALLOW);
}
END_TEST

static int ssb_state(char *buf, size_t size)
{
	_cleanup_fclose_ FILE *f = fopen("/proc/self/status", "re");
	char line[256];

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "Speculation_Store_Bypass:", 25) == 0) {
			snprintf(buf, size, "%s", line + 25);
			return 0;
		}
	return -1;
}

static int ssb_forced(void *arg)
{
	char st[128];

	if (ssb_state(st, sizeof(st)) < 0)
		return 2;
	return strstr(st, "force mitigated") ? 1 : 0;
}

/* Where the kernel forces the SSB mitigation on seccomp tasks
 * (spec_store_bypass_disable=seccomp), SPEC_ALLOW is what avoids it. */
START_TEST(test_flag_spec_allow_effect)
{
	char *spec[] = { "SECCOMP_FILTER_FLAG_SPEC_ALLOW" };
	struct spec_seccomp s = profile(SPEC_SCMP_ACT_ALLOW, NULL, 0);
	struct seccomp_prog *prog = prepare_ok(&s);
	int forced = exit_code(run_filtered(prog, true, ssb_forced, NULL));

	seccomp_prog_free(prog);
	if (forced != 1)
		return; /* this kernel/CPU doesn't force it: nothing to observe */
	s.flags = spec;
	s.n_flags = 1;
	prog = prepare_ok(&s);
	ck_assert_int_eq(exit_code(run_filtered(prog, true, ssb_forced, NULL)), 0);
	seccomp_prog_free(prog);
}
END_TEST

/* ---- NNP off: needs CAP_SYS_ADMIN ---- */

static int install_as_nobody(void *arg)
{
	struct seccomp_prog *prog = arg;
	struct herr err = { 0 };
	int nfd;

	if (setresuid(65534, 65534, 65534) < 0)
		return CHILD_SETUP_FAILED;
	if (seccomp_install(prog, &nfd, &err) == 0)
		return 1;
	return strstr(err.msg, "CAP_SYS_ADMIN") ? 0 : 2;
}

static int install_without_nnp(void *arg)
{
	struct herr err = { 0 };
	int nfd;

	if (seccomp_install(arg, &nfd, &err) < 0)
		return 1;
	return errno_of(syscall(SYS_getppid));
}

START_TEST(test_install_without_nnp)
{
	char *names[] = { "getppid" };
	struct spec_syscall sc = rule(names, 1, SPEC_SCMP_ACT_ERRNO);
	struct spec_seccomp s = profile(SPEC_SCMP_ACT_ALLOW, &sc, 1);
	struct seccomp_prog *prog = prepare_ok(&s);
	int status;
	pid_t pid;

	if (geteuid() != 0)
		return;
	/* with CAP_SYS_ADMIN (the init before the capability drop) */
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		child_exit(install_without_nnp(prog));
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_int_eq(exit_code(status), EPERM);
	/* without it: a clear error */
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		child_exit(install_as_nobody(prog));
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_int_eq(exit_code(status), 0);
	seccomp_prog_free(prog);
}
END_TEST

/* ---- notify ---- */

struct agent {
	char dir[64];
	char path[108];
	int listen_fd;
};

static void agent_listen(struct agent *a)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };

	snprintf(a->dir, sizeof(a->dir), "/tmp/husk-test-seccomp.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(a->dir));
	snprintf(a->path, sizeof(a->path), "%s/agent.sock", a->dir);
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", a->path);
	a->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(a->listen_fd, 0);
	ck_assert_int_eq(bind(a->listen_fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
	ck_assert_int_eq(listen(a->listen_fd, 1), 0);
}

static void agent_cleanup(struct agent *a)
{
	char sub[128];

	close(a->listen_fd);
	unlink(a->path);
	snprintf(sub, sizeof(sub), "%s/made-by-child", a->dir);
	rmdir(sub);
	rmdir(a->dir);
}

/* Accept one connection: the whole JSON document, and the fd sent with it. */
static int agent_accept(struct agent *a, char *json, size_t size)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	struct iovec iov = { json, size - 1 };
	struct msghdr mh = { .msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = control.buf,
			     .msg_controllen = sizeof(control.buf) };
	_cleanup_close_ int conn = accept4(a->listen_fd, NULL, NULL, SOCK_CLOEXEC);
	struct cmsghdr *cm;
	size_t len;
	ssize_t n;
	int fd = -1;

	ck_assert_int_ge(conn, 0);
	n = recvmsg(conn, &mh, MSG_CMSG_CLOEXEC);
	ck_assert_int_gt(n, 0);
	cm = CMSG_FIRSTHDR(&mh);
	ck_assert_ptr_nonnull(cm);
	ck_assert_int_eq(cm->cmsg_type, SCM_RIGHTS);
	memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	len = (size_t)n;
	while ((n = read(conn, json + len, size - 1 - len)) > 0)
		len += (size_t)n;
	ck_assert_int_eq(n, 0); /* the runtime closes the connection */
	json[len] = '\0';
	return fd;
}

static const char *json_str(yajl_val v, const char *k1, const char *k2)
{
	const char *path[] = { k1, k2, NULL };
	yajl_val s = yajl_tree_get(v, path, yajl_t_string);

	return s ? YAJL_GET_STRING(s) : NULL;
}

static void check_process_state(const char *json, pid_t pid)
{
	const char *fds_path[] = { "fds", NULL };
	const char *pid_path[] = { "pid", NULL };
	char ebuf[128];
	yajl_val v = yajl_tree_parse(json, ebuf, sizeof(ebuf)), fds, p;

	ck_assert_msg(v, "bad JSON %s: %s", json, ebuf);
	ck_assert_str_eq(json_str(v, "ociVersion", NULL), "1.2.0");
	ck_assert_str_eq(json_str(v, "metadata", NULL), "MKNOD=/dev/null;\"quoted\"");
	ck_assert_str_eq(json_str(v, "state", "id"), "ctr1");
	ck_assert_str_eq(json_str(v, "state", "status"), "creating");
	fds = yajl_tree_get(v, fds_path, yajl_t_array);
	ck_assert(fds && YAJL_GET_ARRAY(fds)->len == 1);
	ck_assert_str_eq(YAJL_GET_STRING(YAJL_GET_ARRAY(fds)->values[0]), "seccompFd");
	p = yajl_tree_get(v, pid_path, yajl_t_number);
	ck_assert(p && YAJL_GET_INTEGER(p) == pid);
	yajl_tree_free(v);
}

struct notify_child {
	struct seccomp_prog *prog;
	const char *listener;
	const char *dir;
	bool interruptible; /* test WAIT_KILLABLE_RECV: SIGUSR1 arrives during the wait */
};

static void on_sigusr1(int sig)
{
}

static int notify_child(struct notify_child *c)
{
	char state[256], sub[128];
	struct herr err = { 0 };
	long r;
	int nfd;

	if (c->interruptible) {
		struct sigaction sa = { .sa_handler = on_sigusr1 }; /* no SA_RESTART */

		sigaction(SIGUSR1, &sa, NULL);
	}
	child_install(c->prog, true, &nfd);
	if (nfd < 0)
		return 10;
	snprintf(state, sizeof(state),
		 "{\"ociVersion\":\"1.2.0\",\"id\":\"ctr1\",\"status\":\"creating\","
		 "\"pid\":%d,\"bundle\":\"/b\"}\n",
		 (int)getpid());
	if (seccomp_send_notify_fd(c->listener, nfd, state, "MKNOD=/dev/null;\"quoted\"", &err) <
	    0)
		return 11;
	close(nfd);
	/* the agent answers getppid with 4242 */
	r = syscall(SYS_getppid);
	if (c->interruptible)
		return r == 4242 ? 0 : r < 0 ? errno : 12;
	if (r != 4242)
		return 13;
	/* and lets mkdir run (SECCOMP_USER_NOTIF_FLAG_CONTINUE) */
	snprintf(sub, sizeof(sub), "%s/made-by-child", c->dir);
	if (mkdir(sub, 0700) < 0)
		return 14;
	return 0;
}

static struct seccomp_prog *notify_prog(struct agent *a, char **flags, size_t n_flags)
{
	char *names[] = { "getppid", "mkdir", "mkdirat" };
	struct spec_syscall sc = rule(names, 3, SPEC_SCMP_ACT_NOTIFY);
	struct spec_seccomp s = profile(SPEC_SCMP_ACT_ALLOW, &sc, 1);

	s.listener_path = a->path;
	s.listener_metadata = "MKNOD=/dev/null;\"quoted\"";
	if (flags) {
		s.flags = flags;
		s.n_flags = n_flags;
	}
	return prepare_ok(&s);
}

static void answer(int fd, struct seccomp_notif *req, struct seccomp_notif_resp *resp, long nr,
		   int64_t val, uint32_t flags)
{
	int r;

	/* the kernel wants a zeroed request; libseccomp 2.5.4 doesn't clear it */
	memset(req, 0, sizeof(*req));
	r = seccomp_notify_receive(fd, req);
	ck_assert_msg(r == 0, "seccomp_notify_receive: %d, errno %d", r, errno);
	ck_assert_int_eq(req->data.nr, nr);
	resp->id = req->id;
	resp->val = val;
	resp->error = 0;
	resp->flags = flags;
	ck_assert_int_eq(seccomp_notify_respond(fd, resp), 0);
}

START_TEST(test_notify)
{
	struct notify_child c = { 0 };
	struct seccomp_notif *req;
	struct seccomp_notif_resp *resp;
	struct agent a;
	char json[4096], sub[128];
	struct stat st;
	int status, fd;
	pid_t pid;

	agent_listen(&a);
	c.prog = notify_prog(&a, NULL, 0);
	ck_assert_uint_eq(seccomp_prog_flags(c.prog) & FLAG_NEW_LISTENER, FLAG_NEW_LISTENER);
	c.listener = a.path;
	c.dir = a.dir;
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		child_exit(notify_child(&c));

	fd = agent_accept(&a, json, sizeof(json));
	check_process_state(json, pid);
	ck_assert_int_eq(seccomp_notify_alloc(&req, &resp), 0);
	answer(fd, req, resp, SYS_getppid, 4242, 0);
	ck_assert_int_eq(req->pid, pid);
	answer(fd, req, resp, SYS_mkdir, 0, SECCOMP_USER_NOTIF_FLAG_CONTINUE);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_int_eq(exit_code(status), 0);
	snprintf(sub, sizeof(sub), "%s/made-by-child", a.dir);
	ck_assert_int_eq(stat(sub, &st), 0);
	seccomp_notify_free(req, resp);
	close(fd);
	agent_cleanup(&a);
	seccomp_prog_free(c.prog);
}
END_TEST

/* Receive the notification, signal the child, then answer: with WAIT_KILLABLE_RECV the
 * signal waits and the answer lands; without it the wait is interrupted. */
static void notify_with_signal(bool killable)
{
	char *wkr[] = { "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV" };
	struct notify_child c = { .interruptible = true };
	struct seccomp_notif *req;
	struct seccomp_notif_resp *resp;
	struct agent a;
	char json[4096];
	int status, fd;
	pid_t pid;

	agent_listen(&a);
	c.prog = killable ? notify_prog(&a, wkr, 1) : notify_prog(&a, empty_flags, 0);
	ck_assert_uint_eq(seccomp_prog_flags(c.prog),
			  killable ? FLAG_NEW_LISTENER | FLAG_WAIT_KILLABLE_RECV
				   : FLAG_NEW_LISTENER);
	c.listener = a.path;
	c.dir = a.dir;
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		child_exit(notify_child(&c));
	fd = agent_accept(&a, json, sizeof(json));
	ck_assert_int_eq(seccomp_notify_alloc(&req, &resp), 0);
	ck_assert_int_eq(seccomp_notify_receive(fd, req), 0);
	ck_assert_int_eq(req->data.nr, SYS_getppid);
	ck_assert_int_eq(kill(pid, SIGUSR1), 0);
	usleep(200 * 1000);
	resp->id = req->id;
	resp->val = 4242;
	resp->error = 0;
	resp->flags = 0;
	if (killable) {
		ck_assert_int_eq(seccomp_notify_respond(fd, resp), 0);
		ck_assert_int_eq(waitpid(pid, &status, 0), pid);
		ck_assert_int_eq(exit_code(status), 0);
	} else {
		ck_assert_int_ne(seccomp_notify_respond(fd, resp), 0);
		ck_assert_int_eq(waitpid(pid, &status, 0), pid);
		ck_assert_int_eq(exit_code(status), EINTR);
	}
	seccomp_notify_free(req, resp);
	close(fd);
	agent_cleanup(&a);
	seccomp_prog_free(c.prog);
}

START_TEST(test_notify_wait_killable_recv)
{
	notify_with_signal(true);
	notify_with_signal(false);
}
END_TEST

START_TEST(test_notify_no_listener)
{
	struct agent a;
	struct herr err = { 0 };

	agent_listen(&a);
	close(a.listen_fd);
	unlink(a.path);
	a.listen_fd = -1;
	ck_assert_int_lt(seccomp_send_notify_fd(a.path, 0, "{\"ociVersion\":\"1.2.0\",\"pid\":1}",
						NULL, &err),
			 0);
	ck_assert_msg(strstr(err.msg, "connect to the seccomp agent at"), "%s", err.msg);
	ck_assert_int_lt(seccomp_send_notify_fd(a.path, 0, "[]", NULL, &err), 0);
	ck_assert_msg(strstr(err.msg, "not a JSON object"), "%s", err.msg);
	rmdir(a.dir);
}
END_TEST

START_TEST(test_uses_notify)
{
	char *names[] = { "getppid" };
	struct spec_syscall sc = rule(names, 1, SPEC_SCMP_ACT_ERRNO);
	struct spec_seccomp s = profile(SPEC_SCMP_ACT_ALLOW, &sc, 1);

	ck_assert(!seccomp_uses_notify(NULL));
	ck_assert(!seccomp_uses_notify(&s));
	sc.action = SPEC_SCMP_ACT_NOTIFY;
	ck_assert(seccomp_uses_notify(&s));
}
END_TEST

/* ---- validation: errors name the JSON path ---- */

START_TEST(test_validation_errors)
{
	char *names[] = { "getppid" };
	char *write_names[] = { "read", "write" };
	char *empty_name[] = { "" };
	char *bad_arch[] = { "SCMP_ARCH_X86_64", "SCMP_ARCH_FOO" };
	char *bad_flag[] = { "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_FOO" };
	struct spec_seccomp_arg args[] = { { .index = 0, .op = SPEC_SCMP_CMP_EQ },
					   { .index = 6, .op = SPEC_SCMP_CMP_EQ } };
	struct spec_seccomp_arg bad_op = { .index = 0, .op = (enum spec_seccomp_op)99 };
	struct spec_syscall sc[4] = { rule(names, 1, SPEC_SCMP_ACT_ALLOW),
				      rule(names, 1, SPEC_SCMP_ACT_ALLOW),
				      rule(names, 1, SPEC_SCMP_ACT_ALLOW),
				      rule(names, 1, SPEC_SCMP_ACT_ERRNO) };
	struct spec_seccomp s = profile(SPEC_SCMP_ACT_ERRNO, sc, 4);

	sc[3].args = args;
	sc[3].n_args = 2;
	prepare_fails(&s, "linux.seccomp.syscalls[3].args[1].index: 6 out of range");
	sc[3].args = &bad_op;
	sc[3].n_args = 1;
	prepare_fails(&s, "linux.seccomp.syscalls[3].args[0].op: invalid operator");
	sc[3].n_args = 0;

	s.architectures = bad_arch;
	s.n_architectures = 2;
	prepare_fails(&s, "linux.seccomp.architectures[1]: unknown architecture \"SCMP_ARCH_FOO\"");
	s.n_architectures = 0;

	s.flags = bad_flag;
	s.n_flags = 2;
	prepare_fails(&s, "linux.seccomp.flags[1]: unknown flag \"SECCOMP_FILTER_FLAG_FOO\"");
	s.flags = empty_flags;
	s.n_flags = 0;

	sc[1].action = SPEC_SCMP_ACT_KILL;
	sc[1].errno_ret = (struct opt_u64){ true, 1 };
	prepare_fails(&s, "linux.seccomp.syscalls[1].errnoRet: SCMP_ACT_KILL takes no errno");
	sc[1].action = SPEC_SCMP_ACT_ERRNO;
	sc[1].errno_ret.v = 5000;
	prepare_fails(&s, "linux.seccomp.syscalls[1].errnoRet: 5000 is not an errno");
	sc[1] = rule(names, 1, SPEC_SCMP_ACT_ALLOW);

	s.default_action = SPEC_SCMP_ACT_ALLOW;
	s.default_errno_ret = (struct opt_u64){ true, 1 };
	prepare_fails(&s, "linux.seccomp.defaultErrnoRet: SCMP_ACT_ALLOW takes no errno");
	s.default_errno_ret.set = false;
	s.default_action = SPEC_SCMP_ACT_NOTIFY;
	prepare_fails(&s, "linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be the default");
	s.default_action = SPEC_SCMP_ACT_ERRNO;

	sc[2] = rule(empty_name, 1, SPEC_SCMP_ACT_ALLOW);
	prepare_fails(&s, "linux.seccomp.syscalls[2].names[0]: empty syscall name");
	sc[2] = rule(names, 0, SPEC_SCMP_ACT_ALLOW);
	prepare_fails(&s, "linux.seccomp.syscalls[2].names: must not be empty");
	sc[2] = rule(names, 1, SPEC_SCMP_ACT_NOTIFY);
	prepare_fails(&s, "linux.seccomp.syscalls[2].action: SCMP_ACT_NOTIFY needs "
			  "linux.seccomp.listenerPath");
	s.listener_path = "/run/agent.sock";
	sc[2] = rule(write_names, 2, SPEC_SCMP_ACT_NOTIFY);
	prepare_fails(&s, "linux.seccomp.syscalls[2].names[1]: SCMP_ACT_NOTIFY cannot be used for "
			  "\"write\"");
	s.listener_path = NULL;
	sc[2] = rule(names, 1, SPEC_SCMP_ACT_ALLOW);
	s.listener_metadata = "x";
	prepare_fails(&s, "linux.seccomp.listenerMetadata: set without listenerPath");
}
END_TEST

static Suite *seccomp_suite(void)
{
	Suite *s = suite_create("seccomp");
	TCase *actions = tcase_create("actions");
	TCase *args = tcase_create("args");
	TCase *filter = tcase_create("filter");
	TCase *notify = tcase_create("notify");
	TCase *validation = tcase_create("validation");

	tcase_add_test(actions, test_errno_defaults_to_eperm);
	tcase_add_test(actions, test_errno_ret);
	tcase_add_test(actions, test_default_errno_ret);
	tcase_add_test(actions, test_default_errno_is_eperm);
	tcase_add_test(actions, test_kill_actions_single_thread);
	tcase_add_test(actions, test_kill_thread_vs_process);
	tcase_add_test(actions, test_trap_sends_sigsys);
	tcase_add_test(actions, test_trace_without_tracer_is_enosys);
	tcase_add_test(actions, test_trace_passes_errno_ret_to_tracer);
	tcase_add_test(actions, test_log_allows);
	tcase_add_test(actions, test_unknown_syscall_skipped);
	tcase_add_test(actions, test_rule_same_as_default_skipped);
	suite_add_tcase(s, actions);

	tcase_add_test(args, test_arg_operators);
	tcase_add_test(args, test_arg_64bit_value);
	tcase_add_test(args, test_args_on_distinct_indexes_and);
	tcase_add_test(args, test_args_on_same_index_or);
	suite_add_tcase(s, args);

	tcase_add_test(filter, test_enosys_for_newer_syscalls);
	tcase_add_test(filter, test_enosys_stub_only_when_denying);
#if defined(__x86_64__)
	tcase_add_test(filter, test_architectures);
#endif
	tcase_add_test(filter, test_flags);
	tcase_add_test(filter, test_flag_spec_allow_effect);
	tcase_add_test(filter, test_install_without_nnp);
	suite_add_tcase(s, filter);

	tcase_set_timeout(notify, 20);
	tcase_add_test(notify, test_notify);
	tcase_add_test(notify, test_notify_wait_killable_recv);
	tcase_add_test(notify, test_notify_no_listener);
	tcase_add_test(notify, test_uses_notify);
	suite_add_tcase(s, notify);

	tcase_add_test(validation, test_validation_errors);
	suite_add_tcase(s, validation);
	return s;
}

int main(void)
{
	return unit_run(seccomp_suite());
}
