/* linux.seccomp -> a BPF program: libseccomp compiles the rules, husk prepends runc's -ENOSYS
 * stub and loads the result with seccomp(2) (see seccomp.h for why and for the call order). */
#include "linux/seccomp.h"

#include <errno.h>
#include <inttypes.h>
#include <linux/filter.h>
#include <linux/types.h>
/* With -I src, this module's own header shadows the kernel's <linux/seccomp.h>: then the
 * include below is a no-op and the uapi bits husk needs are spelled out (from the kernel's
 * include/uapi/linux/seccomp.h). */
#include <linux/seccomp.h>
#ifndef SECCOMP_SET_MODE_FILTER
#define SECCOMP_SET_MODE_FILTER 1
#define SECCOMP_FILTER_FLAG_LOG (1UL << 1)
#define SECCOMP_FILTER_FLAG_SPEC_ALLOW (1UL << 2)
#define SECCOMP_RET_ERRNO 0x00050000U
struct seccomp_data {
	int nr;
	__u32 arch;
	__u64 instruction_pointer;
	__u64 args[6];
};
#endif
#include <seccomp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>
#include <yajl/yajl_tree.h>

#include "util/cleanup.h"
#include "util/log.h"

#ifndef SECCOMP_FILTER_FLAG_NEW_LISTENER
#define SECCOMP_FILTER_FLAG_NEW_LISTENER (1UL << 3)
#endif
#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif

/* Linux syscalls take at most 6 arguments. */
#define SYSCALL_MAX_ARGS 6
/* The kernel caps SECCOMP_RET_ERRNO data at MAX_ERRNO; SECCOMP_RET_TRACE data is 16 bits. */
#define ERRNO_MAX 4095
#define TRACE_DATA_MAX 0xffff
/* libseccomp 2.5.4 misbehaves with the binary tree and no rules; runc's threshold. */
#define OPTIMIZE_MIN_RULES 32
#define X32_SYSCALL_BIT 0x40000000U

struct seccomp_prog {
	unsigned int flags; /* SECCOMP_FILTER_FLAG_* */
	unsigned short len;
	struct sock_filter insns[];
};

/* ---- name tables ---- */

static const char *const action_names[] = {
	[SPEC_SCMP_ACT_KILL] = "SCMP_ACT_KILL",
	[SPEC_SCMP_ACT_KILL_PROCESS] = "SCMP_ACT_KILL_PROCESS",
	[SPEC_SCMP_ACT_KILL_THREAD] = "SCMP_ACT_KILL_THREAD",
	[SPEC_SCMP_ACT_TRAP] = "SCMP_ACT_TRAP",
	[SPEC_SCMP_ACT_ERRNO] = "SCMP_ACT_ERRNO",
	[SPEC_SCMP_ACT_TRACE] = "SCMP_ACT_TRACE",
	[SPEC_SCMP_ACT_ALLOW] = "SCMP_ACT_ALLOW",
	[SPEC_SCMP_ACT_LOG] = "SCMP_ACT_LOG",
	[SPEC_SCMP_ACT_NOTIFY] = "SCMP_ACT_NOTIFY",
};

static const enum scmp_compare op_table[] = {
	[SPEC_SCMP_CMP_NE] = SCMP_CMP_NE,
	[SPEC_SCMP_CMP_LT] = SCMP_CMP_LT,
	[SPEC_SCMP_CMP_LE] = SCMP_CMP_LE,
	[SPEC_SCMP_CMP_EQ] = SCMP_CMP_EQ,
	[SPEC_SCMP_CMP_GE] = SCMP_CMP_GE,
	[SPEC_SCMP_CMP_GT] = SCMP_CMP_GT,
	[SPEC_SCMP_CMP_MASKED_EQ] = SCMP_CMP_MASKED_EQ,
};

#define ARCH(n) { "SCMP_ARCH_" #n, SCMP_ARCH_##n }
/* arch 0: named by the runtime-spec but unknown to the libseccomp husk was built with. */
static const struct {
	const char *name;
	uint32_t arch;
} arch_table[] = {
	ARCH(X86), ARCH(X86_64), ARCH(X32), ARCH(ARM), ARCH(AARCH64),
	ARCH(MIPS), ARCH(MIPS64), ARCH(MIPS64N32), ARCH(MIPSEL), ARCH(MIPSEL64),
	ARCH(MIPSEL64N32), ARCH(PPC), ARCH(PPC64), ARCH(PPC64LE), ARCH(S390),
	ARCH(S390X), ARCH(PARISC), ARCH(PARISC64), ARCH(RISCV64),
#ifdef SCMP_ARCH_LOONGARCH64
	ARCH(LOONGARCH64),
#else
	{ "SCMP_ARCH_LOONGARCH64", 0 },
#endif
#ifdef SCMP_ARCH_M68K
	ARCH(M68K),
#else
	{ "SCMP_ARCH_M68K", 0 },
#endif
#ifdef SCMP_ARCH_SH
	ARCH(SH),
	ARCH(SHEB),
#else
	{ "SCMP_ARCH_SH", 0 },
	{ "SCMP_ARCH_SHEB", 0 },
#endif
};
#undef ARCH

static const struct {
	const char *name;
	unsigned int flag;
} flag_table[] = {
	/* Accepted and ignored, as runc does: the init is single-threaded, and execve ends any
	 * other thread anyway; the kernel also refuses TSYNC together with NEW_LISTENER. */
	{ "SECCOMP_FILTER_FLAG_TSYNC", 0 },
	{ "SECCOMP_FILTER_FLAG_LOG", SECCOMP_FILTER_FLAG_LOG },
	{ "SECCOMP_FILTER_FLAG_SPEC_ALLOW", SECCOMP_FILTER_FLAG_SPEC_ALLOW },
	{ "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV },
};

/* Syscalls the init uses to hand the listener fd to the parent: a NOTIFY on them would wait
 * for an agent that can't have the fd yet (runc refuses the same). */
static const char *const notify_forbidden[] = { "write" };

static const char *action_name(enum spec_seccomp_action a)
{
	return (unsigned)a < ARRAY_SIZE(action_names) ? action_names[a] : "(invalid)";
}

/* ---- validation and translation ---- */

/* Map an action and its optional errnoRet to libseccomp's value.  `where` is the JSON path of
 * the object ("linux.seccomp" or "linux.seccomp.syscalls[3]"), act_key and errno_key the
 * field names in it. */
static int action_to_scmp(enum spec_seccomp_action a, const struct opt_u64 *errno_ret,
			  const char *where, const char *act_key, const char *errno_key,
			  uint32_t *out, struct herr *err)
{
	if (errno_ret->set && a != SPEC_SCMP_ACT_ERRNO && a != SPEC_SCMP_ACT_TRACE)
		return herr_set(err, -EINVAL,
				"%s.%s: %s takes no errno (only SCMP_ACT_ERRNO and SCMP_ACT_TRACE do)",
				where, errno_key, action_name(a));
	switch (a) {
	case SPEC_SCMP_ACT_KILL:
	case SPEC_SCMP_ACT_KILL_THREAD:
		*out = SCMP_ACT_KILL_THREAD;
		return 0;
	case SPEC_SCMP_ACT_KILL_PROCESS:
		*out = SCMP_ACT_KILL_PROCESS;
		return 0;
	case SPEC_SCMP_ACT_TRAP:
		*out = SCMP_ACT_TRAP;
		return 0;
	case SPEC_SCMP_ACT_ALLOW:
		*out = SCMP_ACT_ALLOW;
		return 0;
	case SPEC_SCMP_ACT_LOG:
		*out = SCMP_ACT_LOG;
		return 0;
	case SPEC_SCMP_ACT_NOTIFY:
		*out = SCMP_ACT_NOTIFY;
		return 0;
	case SPEC_SCMP_ACT_ERRNO:
		if (errno_ret->set && errno_ret->v > ERRNO_MAX)
			return herr_set(err, -EINVAL, "%s.%s: %" PRIu64 " is not an errno (0..%d)",
					where, errno_key, errno_ret->v, ERRNO_MAX);
		*out = SCMP_ACT_ERRNO(errno_ret->set ? (uint16_t)errno_ret->v : EPERM);
		return 0;
	case SPEC_SCMP_ACT_TRACE:
		if (errno_ret->set && errno_ret->v > TRACE_DATA_MAX)
			return herr_set(err, -EINVAL, "%s.%s: %" PRIu64 " out of range (0..%d)", where,
					errno_key, errno_ret->v, TRACE_DATA_MAX);
		*out = SCMP_ACT_TRACE(errno_ret->set ? (uint16_t)errno_ret->v : EPERM);
		return 0;
	}
	return herr_set(err, -EINVAL, "%s.%s: invalid action %d", where, act_key, (int)a);
}

static int arch_lookup(const char *name, size_t i, uint32_t *out, struct herr *err)
{
	for (size_t k = 0; k < ARRAY_SIZE(arch_table); k++) {
		if (strcmp(arch_table[k].name, name) != 0)
			continue;
		if (!arch_table[k].arch)
			return herr_set(err, -EOPNOTSUPP,
					"linux.seccomp.architectures[%zu]: %s is not supported by "
					"libseccomp %u.%u.%u",
					i, name, SCMP_VER_MAJOR, SCMP_VER_MINOR, SCMP_VER_MICRO);
		*out = arch_table[k].arch;
		return 0;
	}
	return herr_set(err, -EINVAL, "linux.seccomp.architectures[%zu]: unknown architecture \"%s\"",
			i, name);
}

/* seccomp(2) checks the flags before it reads the program: EFAULT means the flags are known. */
static bool kernel_has_filter_flags(unsigned int flags)
{
	return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, NULL) < 0 && errno == EFAULT;
}

/* The probe for one flag of flag_table (0: accepted and ignored, always fine). */
static bool flag_supported(unsigned int flag)
{
	/* The kernel accepts WAIT_KILLABLE_RECV only together with NEW_LISTENER. */
	if (flag == SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV)
		flag |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
	return !flag || kernel_has_filter_flags(flag);
}

const char *seccomp_action_at(size_t i)
{
	return i < ARRAY_SIZE(action_names) ? action_names[i] : NULL;
}

const char *seccomp_arch_at(size_t i, bool *known)
{
	if (i >= ARRAY_SIZE(arch_table))
		return NULL;
	*known = arch_table[i].arch != 0;
	return arch_table[i].name;
}

const char *seccomp_flag_at(size_t i, bool *supported)
{
	if (i >= ARRAY_SIZE(flag_table))
		return NULL;
	*supported = flag_supported(flag_table[i].flag);
	return flag_table[i].name;
}

static int flags_resolve(const struct spec_seccomp *s, unsigned int *out, struct herr *err)
{
	*out = 0;
	if (!s->flags) {
		/* runc's default when the key is absent: no SSB mitigation forced by seccomp. */
		if (kernel_has_filter_flags(SECCOMP_FILTER_FLAG_SPEC_ALLOW))
			*out = SECCOMP_FILTER_FLAG_SPEC_ALLOW;
		return 0;
	}
	for (size_t i = 0; i < s->n_flags; i++) {
		size_t k;

		for (k = 0; k < ARRAY_SIZE(flag_table); k++)
			if (strcmp(flag_table[k].name, s->flags[i]) == 0)
				break;
		if (k == ARRAY_SIZE(flag_table))
			return herr_set(err, -EINVAL, "linux.seccomp.flags[%zu]: unknown flag \"%s\"",
					i, s->flags[i]);
		if (!flag_supported(flag_table[k].flag))
			return herr_set(err, -EOPNOTSUPP,
					"linux.seccomp.flags[%zu]: %s is not supported by this kernel",
					i, s->flags[i]);
		*out |= flag_table[k].flag;
	}
	return 0;
}

static int args_validate(const struct spec_syscall *sc, size_t i, struct herr *err)
{
	for (size_t a = 0; a < sc->n_args; a++) {
		if (sc->args[a].index >= SYSCALL_MAX_ARGS)
			return herr_set(err, -EINVAL,
					"linux.seccomp.syscalls[%zu].args[%zu].index: %u out of range "
					"(0..%d)",
					i, a, sc->args[a].index, SYSCALL_MAX_ARGS - 1);
		if ((unsigned)sc->args[a].op >= ARRAY_SIZE(op_table))
			return herr_set(err, -EINVAL,
					"linux.seccomp.syscalls[%zu].args[%zu].op: invalid operator %d",
					i, a, (int)sc->args[a].op);
	}
	return 0;
}

static int syscall_validate(const struct spec_seccomp *s, const struct spec_syscall *sc, size_t i,
			    struct herr *err)
{
	if (sc->n_names == 0)
		return herr_set(err, -EINVAL, "linux.seccomp.syscalls[%zu].names: must not be empty",
				i);
	for (size_t j = 0; j < sc->n_names; j++) {
		if (!sc->names[j] || !*sc->names[j])
			return herr_set(err, -EINVAL,
					"linux.seccomp.syscalls[%zu].names[%zu]: empty syscall name", i,
					j);
		if (sc->action != SPEC_SCMP_ACT_NOTIFY)
			continue;
		for (size_t k = 0; k < ARRAY_SIZE(notify_forbidden); k++)
			if (strcmp(sc->names[j], notify_forbidden[k]) == 0)
				return herr_set(err, -EINVAL,
						"linux.seccomp.syscalls[%zu].names[%zu]: "
						"SCMP_ACT_NOTIFY cannot be used for \"%s\": the runtime "
						"needs it to hand the listener fd over",
						i, j, sc->names[j]);
	}
	if (sc->action == SPEC_SCMP_ACT_NOTIFY && !s->listener_path)
		return herr_set(err, -EINVAL,
				"linux.seccomp.syscalls[%zu].action: SCMP_ACT_NOTIFY needs "
				"linux.seccomp.listenerPath",
				i);
	return args_validate(sc, i, err);
}

bool seccomp_uses_notify(const struct spec_seccomp *s)
{
	for (size_t i = 0; s && i < s->n_syscalls; i++)
		if (s->syscalls[i].action == SPEC_SCMP_ACT_NOTIFY)
			return true;
	return false;
}

/* ---- rules ---- */

static int rule_add(scmp_filter_ctx ctx, uint32_t act, int nr, const struct scmp_arg_cmp *cmp,
		    unsigned n, size_t i, const char *name, struct herr *err)
{
	int r = seccomp_rule_add_array(ctx, act, nr, n, cmp);

	if (r < 0)
		return herr_errno(err, r, "linux.seccomp.syscalls[%zu]: add rule for %s", i, name);
	return 0;
}

/* One syscall name of syscalls[i].  Conditions on distinct arguments are ANDed in one rule;
 * when two conditions test the same argument, each becomes a rule of its own (ORed), which is
 * what runc does (libseccomp can't AND two conditions on one argument). */
static int syscall_add(scmp_filter_ctx ctx, const struct spec_syscall *sc, size_t i,
		       const char *name, uint32_t act, struct herr *err)
{
	struct scmp_arg_cmp cmp[SYSCALL_MAX_ARGS];
	unsigned seen = 0;
	bool same_arg = false;
	int nr = seccomp_syscall_resolve_name(name);

	if (nr == __NR_SCMP_ERROR) {
		log_debug("seccomp: unknown syscall \"%s\" ignored", name);
		return 0;
	}
	if (sc->n_args == 0)
		return rule_add(ctx, act, nr, NULL, 0, i, name, err);

	for (size_t a = 0; a < sc->n_args; a++) {
		if (seen & (1U << sc->args[a].index))
			same_arg = true;
		seen |= 1U << sc->args[a].index;
	}
	if (same_arg) {
		for (size_t a = 0; a < sc->n_args; a++) {
			const struct spec_seccomp_arg *g = &sc->args[a];
			struct scmp_arg_cmp c = { g->index, op_table[g->op], g->value, g->value_two };
			int r = rule_add(ctx, act, nr, &c, 1, i, name, err);

			if (r < 0)
				return r;
		}
		return 0;
	}
	for (size_t a = 0; a < sc->n_args; a++) {
		const struct spec_seccomp_arg *g = &sc->args[a];

		cmp[a] = (struct scmp_arg_cmp){ g->index, op_table[g->op], g->value, g->value_two };
	}
	return rule_add(ctx, act, nr, cmp, (unsigned)sc->n_args, i, name, err);
}

/* Returns the number of NOTIFY rules added, or a negative errno. */
static int rules_add(scmp_filter_ctx ctx, const struct spec_seccomp *s, uint32_t def,
		     struct herr *err)
{
	int notify = 0;

	for (size_t i = 0; i < s->n_syscalls; i++) {
		const struct spec_syscall *sc = &s->syscalls[i];
		char where[64];
		uint32_t act;
		int r;

		snprintf(where, sizeof(where), "linux.seccomp.syscalls[%zu]", i);
		r = action_to_scmp(sc->action, &sc->errno_ret, where, "action", "errnoRet", &act,
				   err);
		if (r < 0)
			return r;
		/* libseccomp refuses a rule whose action is the default; it changes nothing. */
		if (act == def)
			continue;
		for (size_t j = 0; j < sc->n_names; j++) {
			int before = seccomp_syscall_resolve_name(sc->names[j]);

			r = syscall_add(ctx, sc, i, sc->names[j], act, err);
			if (r < 0)
				return r;
			if (act == SCMP_ACT_NOTIFY && before != __NR_SCMP_ERROR)
				notify++;
		}
	}
	return notify;
}

/* ---- the -ENOSYS stub (runc's libcontainer/seccomp/patchbpf) ----
 *
 * With a deny-by-default profile, a syscall newer than the profile would get the default
 * action (usually EPERM), and programs such as glibc only fall back to an older syscall on
 * ENOSYS.  So syscalls numbered above the highest syscall the profile names (per ABI) return
 * ENOSYS.  The stub runs before libseccomp's program:
 *
 *	ld arch; for each arch: jeq arch ? ja section; ja filter
 *	section: ld nr; [s390: nr == 0 -> ENOSYS]; nr > max -> ENOSYS; ja filter; ret ENOSYS
 *
 * x86_64 and x32 share AUDIT_ARCH_X86_64 and differ by X32_SYSCALL_BIT in nr.  Conditional
 * jumps stay inside a section and far jumps use `ja` (32-bit offset), so no offset can
 * overflow the 8-bit jt/jf fields. */

#define STUB_MAX_ARCHS (ARRAY_SIZE(arch_table) + 1)
#define STUB_MAX_INSNS (2 + STUB_MAX_ARCHS * 8)

struct stub_arch {
	uint32_t audit;
	int64_t max;	 /* highest syscall of the profile for this ABI; -1: none */
	int64_t max_x32; /* AUDIT_ARCH_X86_64: the x32 ABI, numbers include X32_SYSCALL_BIT */
	bool s390;
};

struct stub {
	struct sock_filter insns[STUB_MAX_INSNS];
	size_t len;
	size_t to_filter[STUB_MAX_ARCHS + 1]; /* `ja filter` to patch once the length is known */
	size_t n_to_filter;
};

static void stub_emit(struct stub *st, uint16_t code, uint32_t k, uint8_t jt, uint8_t jf)
{
	st->insns[st->len++] = (struct sock_filter){ code, jt, jf, k };
}

static void stub_emit_ja_filter(struct stub *st)
{
	st->to_filter[st->n_to_filter++] = st->len;
	stub_emit(st, BPF_JMP | BPF_JA, 0, 0, 0);
}

static struct stub_arch *stub_arch_get(struct stub_arch *a, size_t *n, uint32_t audit)
{
	for (size_t i = 0; i < *n; i++)
		if (a[i].audit == audit)
			return &a[i];
	a[*n] = (struct stub_arch){ .audit = audit, .max = -1, .max_x32 = -1 };
	return &a[(*n)++];
}

static int64_t profile_max_syscall(const struct spec_seccomp *s, uint32_t arch)
{
	int64_t max = -1;

	for (size_t i = 0; i < s->n_syscalls; i++)
		for (size_t j = 0; j < s->syscalls[i].n_names; j++) {
			int nr = seccomp_syscall_resolve_name_arch(arch, s->syscalls[i].names[j]);

			/* negative: unknown, or a pseudo-syscall absent from this ABI */
			if (nr > max)
				max = nr;
		}
	return max;
}

static void stub_section(struct stub *st, const struct stub_arch *a)
{
	const uint32_t enosys = SECCOMP_RET_ERRNO | ENOSYS;

	stub_emit(st, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr), 0, 0);
	if (a->audit == AUDIT_ARCH_X86_64) {
		/* jset x32 -> x32 check; x86_64 check; x32 check; ja filter; ret ENOSYS */
		stub_emit(st, BPF_JMP | BPF_JSET | BPF_K, X32_SYSCALL_BIT, 1, 0);
		if (a->max >= 0)
			stub_emit(st, BPF_JMP | BPF_JGT | BPF_K, (uint32_t)a->max, 2, 1);
		else
			stub_emit(st, BPF_JMP | BPF_JA, 1, 0, 0);
		if (a->max_x32 >= 0)
			stub_emit(st, BPF_JMP | BPF_JGT | BPF_K, (uint32_t)a->max_x32, 1, 0);
		else
			stub_emit(st, BPF_JMP | BPF_JA, 0, 0, 0);
	} else {
		/* s390 multiplexes syscalls it doesn't know onto nr 0 (the long-gone setup(2)) */
		if (a->s390)
			stub_emit(st, BPF_JMP | BPF_JEQ | BPF_K, 0, 2, 0);
		stub_emit(st, BPF_JMP | BPF_JGT | BPF_K, (uint32_t)a->max, 1, 0);
	}
	stub_emit_ja_filter(st);
	stub_emit(st, BPF_RET | BPF_K, enosys, 0, 0);
}

static bool stub_wanted(const struct spec_seccomp *s)
{
	switch (s->default_action) {
	case SPEC_SCMP_ACT_ALLOW:
	case SPEC_SCMP_ACT_LOG:
	/* A tracer handles new syscalls itself (runc). */
	case SPEC_SCMP_ACT_TRACE:
		return false;
	case SPEC_SCMP_ACT_ERRNO:
		return !(s->default_errno_ret.set && s->default_errno_ret.v == ENOSYS);
	default:
		return true;
	}
}

static void stub_build(const struct spec_seccomp *s, const uint32_t *archs, size_t n_archs,
		       struct stub *st)
{
	struct stub_arch groups[STUB_MAX_ARCHS];
	size_t n_groups = 0, n_used = 0, dispatch[STUB_MAX_ARCHS];

	st->len = st->n_to_filter = 0;
	if (!stub_wanted(s))
		return;
	for (size_t i = 0; i < n_archs; i++) {
		bool x32 = archs[i] == SCMP_ARCH_X32;
		struct stub_arch *g = stub_arch_get(groups, &n_groups,
						    x32 ? AUDIT_ARCH_X86_64 : archs[i]);
		int64_t max = profile_max_syscall(s, archs[i]);

		if (x32)
			g->max_x32 = max;
		else
			g->max = max;
		g->s390 = archs[i] == SCMP_ARCH_S390 || archs[i] == SCMP_ARCH_S390X;
	}
	for (size_t i = 0; i < n_groups; i++)
		if (groups[i].max >= 0 || groups[i].max_x32 >= 0)
			groups[n_used++] = groups[i];
	if (n_used == 0)
		return;

	stub_emit(st, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch), 0, 0);
	for (size_t i = 0; i < n_used; i++) {
		stub_emit(st, BPF_JMP | BPF_JEQ | BPF_K, groups[i].audit, 0, 1);
		dispatch[i] = st->len;
		stub_emit(st, BPF_JMP | BPF_JA, 0, 0, 0);
	}
	/* other architectures: libseccomp's bad-arch action */
	stub_emit_ja_filter(st);
	for (size_t i = 0; i < n_used; i++) {
		st->insns[dispatch[i]].k = (uint32_t)(st->len - dispatch[i] - 1);
		stub_section(st, &groups[i]);
	}
	for (size_t i = 0; i < st->n_to_filter; i++)
		st->insns[st->to_filter[i]].k = (uint32_t)(st->len - st->to_filter[i] - 1);
}

/* ---- compile ---- */

static void cleanup_scmp_ctx(scmp_filter_ctx *ctx)
{
	if (*ctx)
		seccomp_release(*ctx);
}

/* libseccomp 2.5 exports only to an fd: go through a memfd, into prog->insns after the stub. */
static int export_bpf(scmp_filter_ctx ctx, const struct stub *st, unsigned int flags,
		      struct seccomp_prog **out, struct herr *err)
{
	_cleanup_close_ int fd = memfd_create("husk-seccomp", MFD_CLOEXEC);
	_cleanup_free_ struct seccomp_prog *prog = NULL;
	off_t size;
	size_t n;
	ssize_t got;
	int r;

	if (fd < 0)
		return herr_sys(err, "seccomp: memfd_create");
	r = seccomp_export_bpf(ctx, fd);
	if (r < 0)
		return herr_errno(err, r, "seccomp: compile the filter");
	size = lseek(fd, 0, SEEK_CUR);
	if (size < 0)
		return herr_sys(err, "seccomp: lseek");
	if (size == 0 || size % sizeof(struct sock_filter))
		return herr_set(err, -EIO, "seccomp: libseccomp produced %lld bytes of BPF",
				(long long)size);
	n = st->len + (size_t)size / sizeof(struct sock_filter);
	if (n > BPF_MAXINSNS)
		return herr_set(err, -E2BIG,
				"linux.seccomp: the filter has %zu BPF instructions, the kernel "
				"accepts at most %d",
				n, BPF_MAXINSNS);
	prog = malloc(sizeof(*prog) + n * sizeof(struct sock_filter));
	if (!prog)
		return herr_errno(err, ENOMEM, "seccomp");
	memcpy(prog->insns, st->insns, st->len * sizeof(struct sock_filter));
	got = pread(fd, prog->insns + st->len, (size_t)size, 0);
	if (got != size)
		return herr_errno(err, got < 0 ? errno : EIO, "seccomp: read the compiled filter");
	prog->len = (unsigned short)n;
	prog->flags = flags;
	*out = steal_pointer(&prog);
	return 0;
}

static size_t total_names(const struct spec_seccomp *s)
{
	size_t n = 0;

	for (size_t i = 0; i < s->n_syscalls; i++)
		n += s->syscalls[i].n_names;
	return n;
}

int seccomp_prepare(const struct spec_seccomp *s, struct seccomp_prog **out, struct herr *err)
{
	_cleanup_(cleanup_scmp_ctx) scmp_filter_ctx ctx = NULL;
	uint32_t archs[STUB_MAX_ARCHS];
	size_t n_archs = 0;
	unsigned int flags;
	uint32_t def;
	struct stub st;
	int r, notify;

	*out = NULL;
	r = action_to_scmp(s->default_action, &s->default_errno_ret, "linux.seccomp",
			   "defaultAction", "defaultErrnoRet", &def, err);
	if (r < 0)
		return r;
	/* Every syscall the init makes after loading would wait for an agent without the fd. */
	if (def == SCMP_ACT_NOTIFY)
		return herr_set(err, -EINVAL,
				"linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be the default");
	if (s->listener_metadata && *s->listener_metadata && !s->listener_path)
		return herr_set(err, -EINVAL,
				"linux.seccomp.listenerMetadata: set without listenerPath");
	for (size_t i = 0; i < s->n_syscalls; i++) {
		r = syscall_validate(s, &s->syscalls[i], i, err);
		if (r < 0)
			return r;
	}
	if (seccomp_uses_notify(s) && seccomp_api_get() < 5)
		return herr_set(err, -EOPNOTSUPP,
				"linux.seccomp: SCMP_ACT_NOTIFY needs libseccomp >= 2.5 and "
				"Linux >= 5.0 (API level %u)",
				seccomp_api_get());
	r = flags_resolve(s, &flags, err);
	if (r < 0)
		return r;

	ctx = seccomp_init(def);
	if (!ctx)
		return herr_set(err, -EINVAL,
				"linux.seccomp.defaultAction: %s not supported by this kernel",
				action_name(s->default_action));
	archs[n_archs++] = seccomp_arch_native();
	for (size_t i = 0; i < s->n_architectures; i++) {
		uint32_t arch = 0;

		r = arch_lookup(s->architectures[i], i, &arch, err);
		if (r < 0)
			return r;
		r = seccomp_arch_add(ctx, arch);
		if (r == -EEXIST)
			continue;
		if (r < 0)
			return herr_errno(err, r, "linux.seccomp.architectures[%zu]: add %s", i,
					  s->architectures[i]);
		archs[n_archs++] = arch;
	}
	if (total_names(s) > OPTIMIZE_MIN_RULES) {
		r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
		if (r < 0)
			log_debug("seccomp: binary tree optimization unavailable: %s", strerror(-r));
	}

	notify = rules_add(ctx, s, def, err);
	if (notify < 0)
		return notify;
	if (notify > 0)
		flags |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
	else if (flags & SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV) {
		/* meaningless without a listener, and the kernel refuses it alone */
		log_debug("seccomp: no SCMP_ACT_NOTIFY rule, SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV "
			  "ignored");
		flags &= ~(unsigned int)SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
	}

	stub_build(s, archs, n_archs, &st);
	return export_bpf(ctx, &st, flags, out, err);
}

/* ---- load ---- */

int seccomp_install(struct seccomp_prog *prog, int *notify_fd, struct herr *err)
{
	struct sock_fprog fprog = { .len = prog->len, .filter = prog->insns };
	long r;

	*notify_fd = -1;
	/* runc's message; engines' tests grep for it */
	log_debug("seccomp filter flags: %u", prog->flags);
	r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, prog->flags, &fprog);
	if (r < 0) {
		if (errno == EACCES)
			return herr_sys(err, "load the seccomp filter (without noNewPrivileges this "
					     "needs CAP_SYS_ADMIN)");
		return herr_sys(err, "load the seccomp filter");
	}
	/* the kernel creates the listener O_CLOEXEC */
	if (prog->flags & SECCOMP_FILTER_FLAG_NEW_LISTENER)
		*notify_fd = (int)r;
	return 0;
}

void seccomp_prog_free(struct seccomp_prog *prog)
{
	free(prog);
}

unsigned int seccomp_prog_flags(const struct seccomp_prog *prog)
{
	return prog->flags;
}

unsigned int seccomp_prog_len(const struct seccomp_prog *prog)
{
	return prog->len;
}

/* ---- the container process state, to the agent ---- */

static void json_put_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

static void cleanup_yajl(yajl_val *v)
{
	if (*v)
		yajl_tree_free(*v);
}

static int process_state_build(const char *state_json, const char *metadata, char **out,
			       size_t *len, struct herr *err)
{
	static const char *version_path[] = { "ociVersion", NULL };
	static const char *pid_path[] = { "pid", NULL };
	_cleanup_(cleanup_yajl) yajl_val state = NULL;
	_cleanup_free_ char *buf = NULL;
	char msg[256];
	yajl_val version, pid;
	FILE *f;

	state = yajl_tree_parse(state_json, msg, sizeof(msg));
	if (!state || !YAJL_IS_OBJECT(state))
		return herr_set(err, -EINVAL, "seccomp agent: container state is not a JSON object");
	version = yajl_tree_get(state, version_path, yajl_t_string);
	pid = yajl_tree_get(state, pid_path, yajl_t_number);
	if (!version || !pid || !YAJL_IS_INTEGER(pid))
		return herr_set(err, -EINVAL,
				"seccomp agent: container state lacks ociVersion or pid");

	f = open_memstream(&buf, len);
	if (!f)
		return herr_sys(err, "seccomp agent: open_memstream");
	fputs("{\"ociVersion\":", f);
	json_put_string(f, YAJL_GET_STRING(version));
	fprintf(f, ",\"fds\":[\"seccompFd\"],\"pid\":%lld", YAJL_GET_INTEGER(pid));
	if (metadata && *metadata) {
		fputs(",\"metadata\":", f);
		json_put_string(f, metadata);
	}
	fprintf(f, ",\"state\":%s}", state_json);
	if (fclose(f) != 0)
		return herr_sys(err, "seccomp agent: build the container process state");
	*out = steal_pointer(&buf);
	return 0;
}

/* The runtime-spec allows several sendmsg calls; the fd goes with the first. */
static int send_with_fd(int sock, const char *buf, size_t len, int fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	struct msghdr mh = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = control.buf,
		.msg_controllen = sizeof(control.buf),
	};
	struct cmsghdr *cm;
	ssize_t n;

	memset(&control, 0, sizeof(control));
	cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	do
		n = sendmsg(sock, &mh, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	for (size_t off = (size_t)n; off < len; off += (size_t)n) {
		n = send(sock, buf + off, len - off, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR) {
			n = 0;
			continue;
		}
		if (n < 0)
			return -errno;
	}
	return 0;
}

int seccomp_send_notify_fd(const char *listener_path, int notify_fd, const char *state_json,
			   const char *metadata, struct herr *err)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	_cleanup_free_ char *msg = NULL;
	_cleanup_close_ int sock = -1;
	size_t len;
	int r;

	if (strlen(listener_path) >= sizeof(addr.sun_path))
		return herr_set(err, -ENAMETOOLONG,
				"linux.seccomp.listenerPath: \"%s\" is longer than a unix socket "
				"path may be (%zu)",
				listener_path, sizeof(addr.sun_path) - 1);
	strcpy(addr.sun_path, listener_path);
	r = process_state_build(state_json, metadata, &msg, &len, err);
	if (r < 0)
		return r;

	sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (sock < 0)
		return herr_sys(err, "seccomp agent: socket");
	if (connect(sock, (struct sockaddr *)&addr, sizeof(addr)) < 0)
		return herr_sys(err, "connect to the seccomp agent at %s", listener_path);
	r = send_with_fd(sock, msg, len, notify_fd);
	if (r < 0)
		return herr_errno(err, r, "send the seccomp fd to %s", listener_path);
	return 0;
}
