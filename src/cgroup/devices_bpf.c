/* Device rules on cgroup v2: a BPF_PROG_TYPE_CGROUP_DEVICE program assembled here (no clang, no
 * libbpf) and attached to the container's cgroup.
 *
 * The kernel calls it with struct bpf_cgroup_dev_ctx { u32 access_type; u32 major; u32 minor; }
 * where access_type = (BPF_DEVCG_ACC_* << 16) | BPF_DEVCG_DEV_*.  The runtime-spec applies
 * rules in order, a later rule overriding an earlier one, default deny; so the program tests the
 * rules last to first and the first match returns its verdict:
 *
 *	r2 = type, r3 = access, r4 = major, r5 = minor
 *	rule k..1:  if r2 != TYPE goto next          (absent for type 'a')
 *	            allow: if (r3 & ACC) != r3 goto next  (every requested access is allowed)
 *	            deny:  if (r3 & ACC) == 0 goto next   (any requested access is denied)
 *	            if r4 != MAJOR goto next; if r5 != MINOR goto next   (absent for '*')
 *	            r0 = allow; exit
 *	r0 = 0; exit
 *
 * A rule matching everything ("a *:* rwm") ends the scan: it becomes the final verdict and the
 * rules before it can't matter (the verifier refuses the unreachable code they would be). */
#include "cgroup/internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util/cleanup.h"

#define INSN(c, d, s, o, i)                                                                        \
	((struct bpf_insn){.code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i)})
#define LDX_W(d, s, o) INSN(BPF_LDX | BPF_MEM | BPF_W, d, s, o, 0)
#define ALU32_IMM(op, d, i) INSN(BPF_ALU | (op) | BPF_K, d, 0, 0, i)
#define MOV32_REG(d, s) INSN(BPF_ALU | BPF_MOV | BPF_X, d, s, 0, 0)
#define JMP_IMM(op, d, i, o) INSN(BPF_JMP | (op) | BPF_K, d, 0, o, i)
#define JMP_REG(op, d, s, o) INSN(BPF_JMP | (op) | BPF_X, d, s, o, 0)
#define EXIT_INSN() INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

static int access_bits(const char *access, int *out)
{
	int acc = 0;

	if (!access || !*access)
		access = "rwm";
	for (const char *p = access; *p; p++) {
		switch (*p) {
		case 'r':
			acc |= BPF_DEVCG_ACC_READ;
			break;
		case 'w':
			acc |= BPF_DEVCG_ACC_WRITE;
			break;
		case 'm':
			acc |= BPF_DEVCG_ACC_MKNOD;
			break;
		default:
			return -EINVAL;
		}
	}
	*out = acc;
	return 0;
}

#define ACC_ALL (BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE | BPF_DEVCG_ACC_MKNOD)

/* Instructions of one rule into v (NULL: just count). */
static size_t rule_block(const struct spec_device_cgroup *r, int acc, struct bpf_insn *v)
{
	bool typed = r->type == 'c' || r->type == 'b';
	bool has_major = r->major.set && r->major.v >= 0,
	     has_minor = r->minor.set && r->minor.v >= 0;
	size_t len = 2 + (typed ? 1 : 0) + (acc != ACC_ALL ? 3 : 0) + has_major + has_minor;
	size_t k = 0;
	/* "goto next" from instruction k: the block ends at len */
#define NEXT ((short)(len - k - 1))

	if (!v)
		return len;
	if (typed) {
		v[k] = JMP_IMM(BPF_JNE, BPF_REG_2,
			       r->type == 'c' ? BPF_DEVCG_DEV_CHAR : BPF_DEVCG_DEV_BLOCK, NEXT);
		k++;
	}
	if (acc != ACC_ALL) {
		v[k++] = MOV32_REG(BPF_REG_1, BPF_REG_3);
		v[k++] = ALU32_IMM(BPF_AND, BPF_REG_1, acc);
		v[k] = r->allow ? JMP_REG(BPF_JNE, BPF_REG_1, BPF_REG_3, NEXT)
				: JMP_IMM(BPF_JEQ, BPF_REG_1, 0, NEXT);
		k++;
	}
	if (has_major) {
		v[k] = JMP_IMM(BPF_JNE, BPF_REG_4, (int)r->major.v, NEXT);
		k++;
	}
	if (has_minor) {
		v[k] = JMP_IMM(BPF_JNE, BPF_REG_5, (int)r->minor.v, NEXT);
		k++;
	}
#undef NEXT
	v[k++] = ALU32_IMM(BPF_MOV, BPF_REG_0, r->allow ? 1 : 0);
	v[k++] = EXIT_INSN();
	return k;
}

int cg_devices_bpf_build(const struct spec_device_cgroup *rules, size_t n, struct bpf_insn **out,
			 size_t *n_out, struct herr *err)
{
	static const struct bpf_insn prologue[] = {
	    LDX_W(BPF_REG_2, BPF_REG_1, 0), ALU32_IMM(BPF_AND, BPF_REG_2, 0xffff),
	    LDX_W(BPF_REG_3, BPF_REG_1, 0), ALU32_IMM(BPF_RSH, BPF_REG_3, 16),
	    LDX_W(BPF_REG_4, BPF_REG_1, 4), LDX_W(BPF_REG_5, BPF_REG_1, 8),
	};
	size_t len = ARRAY_SIZE(prologue) + 2, first = 0, k;
	bool wild = false;
	int verdict = 0;
	struct bpf_insn *v;

	/* validate, and find the last rule that matches everything */
	for (size_t i = 0; i < n; i++) {
		const struct spec_device_cgroup *r = &rules[i];
		int acc;

		if (access_bits(r->access, &acc) < 0)
			return herr_set(err, -EINVAL,
					"linux.resources.devices[%zu].access: \"%s\" is not a "
					"subset of \"rwm\"",
					i, r->access);
		if (r->type && r->type != 'a' && r->type != 'c' && r->type != 'b')
			return herr_set(
			    err, -EINVAL,
			    "linux.resources.devices[%zu].type: \"%c\" is not a, c or b", i,
			    r->type);
		if ((r->major.set && r->major.v > INT32_MAX) ||
		    (r->minor.set && r->minor.v > INT32_MAX))
			return herr_set(err, -EINVAL,
					"linux.resources.devices[%zu]: device number out of range",
					i);
		if ((!r->type || r->type == 'a') && !(r->major.set && r->major.v >= 0) &&
		    !(r->minor.set && r->minor.v >= 0) && acc == ACC_ALL) {
			first = i;
			wild = true;
		}
	}
	/* the last "a *:* rwm" becomes the verdict when no later rule matches */
	if (wild) {
		verdict = rules[first].allow ? 1 : 0;
		first++;
	}
	for (size_t i = first; i < n; i++) {
		int acc;
		access_bits(rules[i].access, &acc);
		len += rule_block(&rules[i], acc, NULL);
	}
	v = calloc(len, sizeof(*v));
	if (!v)
		return herr_errno(err, ENOMEM, "linux.resources.devices");
	memcpy(v, prologue, sizeof(prologue));
	k = ARRAY_SIZE(prologue);
	for (size_t i = n; i-- > first;) {
		int acc;
		access_bits(rules[i].access, &acc);
		k += rule_block(&rules[i], acc, v + k);
	}
	v[k++] = ALU32_IMM(BPF_MOV, BPF_REG_0, verdict);
	v[k++] = EXIT_INSN();
	*out = v;
	*n_out = k;
	return 0;
}

static int sys_bpf(int cmd, union bpf_attr *attr)
{
	return (int)syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

/* Ids of the device programs attached to the cgroup now (to detach once the new one is on). */
static int query_attached(int cgroup_fd, uint32_t *ids, uint32_t *n)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.query.target_fd = (uint32_t)cgroup_fd;
	a.query.attach_type = BPF_CGROUP_DEVICE;
	a.query.prog_ids = (uint64_t)(uintptr_t)ids;
	a.query.prog_cnt = *n;
	if (sys_bpf(BPF_PROG_QUERY, &a) < 0)
		return -errno;
	*n = a.query.prog_cnt;
	return 0;
}

static int detach_id(int cgroup_fd, uint32_t id)
{
	_cleanup_close_ int fd = -1;
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.prog_id = id;
	a.open_flags = 0;
	fd = sys_bpf(BPF_PROG_GET_FD_BY_ID, &a);
	if (fd < 0)
		return -errno;
	memset(&a, 0, sizeof(a));
	a.target_fd = (uint32_t)cgroup_fd;
	a.attach_bpf_fd = (uint32_t)fd;
	a.attach_type = BPF_CGROUP_DEVICE;
	return sys_bpf(BPF_PROG_DETACH, &a) < 0 ? -errno : 0;
}

int cg_devices_bpf_apply(int cgroup_fd, const struct spec_device_cgroup *rules, size_t n,
			 struct herr *err)
{
	_cleanup_free_ struct bpf_insn *insns = NULL;
	_cleanup_close_ int prog = -1;
	uint32_t old[64];
	uint32_t n_old = ARRAY_SIZE(old);
	char log[4096] = "";
	union bpf_attr a;
	size_t n_insns;
	int r;

	r = cg_devices_bpf_build(rules, n, &insns, &n_insns, err);
	if (r < 0)
		return r;
	if (query_attached(cgroup_fd, old, &n_old) < 0)
		n_old = 0;
	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
	a.insns = (uint64_t)(uintptr_t)insns;
	a.insn_cnt = (uint32_t)n_insns;
	a.license = (uint64_t)(uintptr_t) "Apache";
	a.log_buf = (uint64_t)(uintptr_t)log;
	a.log_size = sizeof(log);
	a.log_level = 1;
	prog = sys_bpf(BPF_PROG_LOAD, &a);
	if (prog < 0 && errno == ENOSPC) { /* the verifier log did not fit: load without it */
		a.log_buf = 0;
		a.log_size = 0;
		a.log_level = 0;
		prog = sys_bpf(BPF_PROG_LOAD, &a);
	}
	if (prog < 0)
		return herr_sys(err, "linux.resources.devices: load the device filter (BPF)%s%s",
				log[0] ? ": " : "", log);
	memset(&a, 0, sizeof(a));
	a.target_fd = (uint32_t)cgroup_fd;
	a.attach_bpf_fd = (uint32_t)prog;
	a.attach_type = BPF_CGROUP_DEVICE;
	a.attach_flags = BPF_F_ALLOW_MULTI;
	if (sys_bpf(BPF_PROG_ATTACH, &a) < 0)
		return herr_sys(err, "linux.resources.devices: attach the device filter");
	/* the new filter is on: drop the ones it replaces (update) */
	for (uint32_t i = 0; i < n_old; i++) {
		r = detach_id(cgroup_fd, old[i]);
		if (r < 0 && r != -ENOENT)
			return herr_errno(err, r, "linux.resources.devices: detach the old filter");
	}
	return 0;
}
