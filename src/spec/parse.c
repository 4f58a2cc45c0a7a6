/* config.json -> struct spec, with the yajl tree API.
 *
 * Every value is type- and range-checked where it is read, and every error names its JSON path
 * ("config.json: linux.namespaces[2].type: unknown namespace \"pidd\"").  Strings are copied
 * into the spec arena, so the yajl tree is freed before returning.  Enumerated strings (rlimit
 * names, scheduler policy, seccomp actions, ...) are resolved to kernel values here, once.
 * Checks that need more than one field live in validate.c. */
#include "spec/spec.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/resource.h>

#include <yajl/yajl_parse.h>
#include <yajl/yajl_tree.h>

#include "util/arena.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/log.h"

/* Values from the kernel uapi (sched.h, ioprio.h, mempolicy.h) that libc may not export. */
#ifndef SCHED_BATCH
#define SCHED_BATCH 3
#endif
#ifndef SCHED_ISO
#define SCHED_ISO 4 /* reserved by the kernel, never implemented; the spec lists it */
#endif
#ifndef SCHED_IDLE
#define SCHED_IDLE 5
#endif
#ifndef SCHED_DEADLINE
#define SCHED_DEADLINE 6
#endif
#ifndef RLIMIT_RTTIME
#define RLIMIT_RTTIME 15
#endif

#define SPEC_PATH_MAX 512

struct pctx {
	struct arena *arena;
	const char *name; /* "config.json" */
	struct herr *err;
	size_t len;
	char path[SPEC_PATH_MAX];
};

struct name_value {
	const char *name;
	long long value;
};

/* ---- name tables ---- */

static const struct name_value rlimit_names[] = {
    {"RLIMIT_AS", RLIMIT_AS},
    {"RLIMIT_CORE", RLIMIT_CORE},
    {"RLIMIT_CPU", RLIMIT_CPU},
    {"RLIMIT_DATA", RLIMIT_DATA},
    {"RLIMIT_FSIZE", RLIMIT_FSIZE},
    {"RLIMIT_LOCKS", RLIMIT_LOCKS},
    {"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK},
    {"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE},
    {"RLIMIT_NICE", RLIMIT_NICE},
    {"RLIMIT_NOFILE", RLIMIT_NOFILE},
    {"RLIMIT_NPROC", RLIMIT_NPROC},
    {"RLIMIT_RSS", RLIMIT_RSS},
    {"RLIMIT_RTPRIO", RLIMIT_RTPRIO},
    {"RLIMIT_RTTIME", RLIMIT_RTTIME},
    {"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING},
    {"RLIMIT_STACK", RLIMIT_STACK},
};

static const struct name_value sched_policies[] = {
    {"SCHED_OTHER", SCHED_OTHER},	{"SCHED_FIFO", SCHED_FIFO}, {"SCHED_RR", SCHED_RR},
    {"SCHED_BATCH", SCHED_BATCH},	{"SCHED_ISO", SCHED_ISO},   {"SCHED_IDLE", SCHED_IDLE},
    {"SCHED_DEADLINE", SCHED_DEADLINE},
};

/* include/uapi/linux/sched.h */
static const struct name_value sched_flags[] = {
    {"SCHED_FLAG_RESET_ON_FORK", 0x01},	 {"SCHED_FLAG_RECLAIM", 0x02},
    {"SCHED_FLAG_DL_OVERRUN", 0x04},	 {"SCHED_FLAG_KEEP_POLICY", 0x08},
    {"SCHED_FLAG_KEEP_PARAMS", 0x10},	 {"SCHED_FLAG_UTIL_CLAMP_MIN", 0x20},
    {"SCHED_FLAG_UTIL_CLAMP_MAX", 0x40},
};

/* include/uapi/linux/ioprio.h */
static const struct name_value ioprio_classes[] = {
    {"IOPRIO_CLASS_RT", 1},
    {"IOPRIO_CLASS_BE", 2},
    {"IOPRIO_CLASS_IDLE", 3},
};

/* include/uapi/linux/mempolicy.h */
static const struct name_value mpol_modes[] = {
    {"MPOL_DEFAULT", 0},
    {"MPOL_PREFERRED", 1},
    {"MPOL_BIND", 2},
    {"MPOL_INTERLEAVE", 3},
    {"MPOL_LOCAL", 4},
    {"MPOL_PREFERRED_MANY", 5},
    {"MPOL_WEIGHTED_INTERLEAVE", 6},
};

static const struct name_value mpol_flags[] = {
    {"MPOL_F_STATIC_NODES", 1 << 15},
    {"MPOL_F_RELATIVE_NODES", 1 << 14},
    {"MPOL_F_NUMA_BALANCING", 1 << 13},
};

static const struct name_value personality_domains[] = {
    {"LINUX", PER_LINUX},
    {"LINUX32", PER_LINUX32},
};

static const struct name_value seccomp_actions[] = {
    {"SCMP_ACT_KILL", SPEC_SCMP_ACT_KILL},
    {"SCMP_ACT_KILL_PROCESS", SPEC_SCMP_ACT_KILL_PROCESS},
    {"SCMP_ACT_KILL_THREAD", SPEC_SCMP_ACT_KILL_THREAD},
    {"SCMP_ACT_TRAP", SPEC_SCMP_ACT_TRAP},
    {"SCMP_ACT_ERRNO", SPEC_SCMP_ACT_ERRNO},
    {"SCMP_ACT_TRACE", SPEC_SCMP_ACT_TRACE},
    {"SCMP_ACT_ALLOW", SPEC_SCMP_ACT_ALLOW},
    {"SCMP_ACT_LOG", SPEC_SCMP_ACT_LOG},
    {"SCMP_ACT_NOTIFY", SPEC_SCMP_ACT_NOTIFY},
};

static const struct name_value seccomp_ops[] = {
    {"SCMP_CMP_NE", SPEC_SCMP_CMP_NE},
    {"SCMP_CMP_LT", SPEC_SCMP_CMP_LT},
    {"SCMP_CMP_LE", SPEC_SCMP_CMP_LE},
    {"SCMP_CMP_EQ", SPEC_SCMP_CMP_EQ},
    {"SCMP_CMP_GE", SPEC_SCMP_CMP_GE},
    {"SCMP_CMP_GT", SPEC_SCMP_CMP_GT},
    {"SCMP_CMP_MASKED_EQ", SPEC_SCMP_CMP_MASKED_EQ},
};

static const struct name_value seccomp_flags[] = {
    {"SECCOMP_FILTER_FLAG_TSYNC", 1},
    {"SECCOMP_FILTER_FLAG_LOG", 2},
    {"SECCOMP_FILTER_FLAG_SPEC_ALLOW", 4},
    {"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", 32},
};

static const struct name_value seccomp_archs[] = {
    {"SCMP_ARCH_X86", 0},      {"SCMP_ARCH_X86_64", 0},	     {"SCMP_ARCH_X32", 0},
    {"SCMP_ARCH_ARM", 0},      {"SCMP_ARCH_AARCH64", 0},     {"SCMP_ARCH_MIPS", 0},
    {"SCMP_ARCH_MIPS64", 0},   {"SCMP_ARCH_MIPS64N32", 0},   {"SCMP_ARCH_MIPSEL", 0},
    {"SCMP_ARCH_MIPSEL64", 0}, {"SCMP_ARCH_MIPSEL64N32", 0}, {"SCMP_ARCH_PPC", 0},
    {"SCMP_ARCH_PPC64", 0},    {"SCMP_ARCH_PPC64LE", 0},     {"SCMP_ARCH_S390", 0},
    {"SCMP_ARCH_S390X", 0},    {"SCMP_ARCH_PARISC", 0},	     {"SCMP_ARCH_PARISC64", 0},
    {"SCMP_ARCH_RISCV64", 0},  {"SCMP_ARCH_LOONGARCH64", 0}, {"SCMP_ARCH_M68K", 0},
    {"SCMP_ARCH_SH", 0},       {"SCMP_ARCH_SHEB", 0},
};

/* time_namespaces(7): the clocks a time namespace can offset. */
static const struct name_value time_clocks[] = {
    {"monotonic", 0},
    {"boottime", 0},
};

static const struct name_value throttle_keys[] = {
    {"throttleReadBpsDevice", SPEC_THROTTLE_READ_BPS},
    {"throttleWriteBpsDevice", SPEC_THROTTLE_WRITE_BPS},
    {"throttleReadIOPSDevice", SPEC_THROTTLE_READ_IOPS},
    {"throttleWriteIOPSDevice", SPEC_THROTTLE_WRITE_IOPS},
};

static const struct name_value cap_set_keys[] = {
    {"bounding", SPEC_CAP_BOUNDING},	   {"effective", SPEC_CAP_EFFECTIVE},
    {"inheritable", SPEC_CAP_INHERITABLE}, {"permitted", SPEC_CAP_PERMITTED},
    {"ambient", SPEC_CAP_AMBIENT},
};

const char *spec_seccomp_op_at(size_t i)
{
	return i < ARRAY_SIZE(seccomp_ops) ? seccomp_ops[i].name : NULL;
}

static bool lookup(const struct name_value *t, size_t n, const char *name, long long *out)
{
	for (size_t i = 0; i < n; i++) {
		if (strcmp(t[i].name, name) == 0) {
			if (out)
				*out = t[i].value;
			return true;
		}
	}
	return false;
}

#define LOOKUP(table, name, out) lookup(table, ARRAY_SIZE(table), name, out)

/* ---- JSON paths and errors ---- */

static size_t path_append(struct pctx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static size_t path_append(struct pctx *c, const char *fmt, ...)
{
	size_t old = c->len;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(c->path + c->len, sizeof(c->path) - c->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		c->len +=
		    (size_t)n < sizeof(c->path) - c->len ? (size_t)n : sizeof(c->path) - 1 - c->len;
	return old;
}

static size_t path_key(struct pctx *c, const char *key)
{
	return path_append(c, c->len ? ".%s" : "%s", key);
}

static size_t path_index(struct pctx *c, size_t i)
{
	return path_append(c, "[%zu]", i);
}

/* Keys of free-form maps (sysctl, annotations, ...) may contain dots: quote them. */
static size_t path_map_key(struct pctx *c, const char *key)
{
	return path_append(c, "[\"%s\"]", key);
}

static void path_pop(struct pctx *c, size_t old)
{
	c->len = old;
	c->path[old] = '\0';
}

static int perr(struct pctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int perr(struct pctx *c, const char *fmt, ...)
{
	char msg[HERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (c->len)
		return herr_set(c->err, -EINVAL, "%s: %s: %s", c->name, c->path, msg);
	return herr_set(c->err, -EINVAL, "%s: %s", c->name, msg);
}

static int oom(struct pctx *c)
{
	return herr_errno(c->err, ENOMEM, "%s: parsing", c->name);
}

static const char *type_name(yajl_val v)
{
	switch (v->type) {
	case yajl_t_string:
		return "string";
	case yajl_t_number:
		return "number";
	case yajl_t_object:
		return "object";
	case yajl_t_array:
		return "array";
	case yajl_t_true:
	case yajl_t_false:
		return "boolean";
	case yajl_t_null:
	case yajl_t_any:
		break;
	}
	return "null";
}

/* ---- scalar readers: the value at the current path ---- */

/* A member of an object; NULL when absent.  JSON null counts as absent, as in runc (Go's
 * encoding/json leaves the field at its zero value).  A repeated key: the last one wins, as
 * in Go. */
static yajl_val member(yajl_val obj, const char *key)
{
	for (size_t i = obj->u.object.len; i-- > 0;) {
		if (strcmp(obj->u.object.keys[i], key) == 0) {
			yajl_val v = obj->u.object.values[i];
			return YAJL_IS_NULL(v) ? NULL : v;
		}
	}
	return NULL;
}

static int val_string(struct pctx *c, yajl_val v, char **out)
{
	if (!YAJL_IS_STRING(v))
		return perr(c, "expected a string, got %s", type_name(v));
	*out = arena_strdup(c->arena, v->u.string);
	return *out ? 0 : oom(c);
}

static int val_bool(struct pctx *c, yajl_val v, bool *out)
{
	if (!YAJL_IS_TRUE(v) && !YAJL_IS_FALSE(v))
		return perr(c, "expected a boolean, got %s", type_name(v));
	*out = YAJL_IS_TRUE(v);
	return 0;
}

static void int_kind(char *buf, size_t size, int64_t min, uint64_t max)
{
	if (min == 0 && max == UINT16_MAX)
		snprintf(buf, size, "an unsigned 16-bit integer");
	else if (min == 0 && max == UINT32_MAX)
		snprintf(buf, size, "an unsigned 32-bit integer");
	else if (min == 0 && max == UINT64_MAX)
		snprintf(buf, size, "an unsigned 64-bit integer");
	else if (min == INT32_MIN && max == INT32_MAX)
		snprintf(buf, size, "a 32-bit integer");
	else if (min == INT64_MIN && max == INT64_MAX)
		snprintf(buf, size, "a 64-bit integer");
	else
		snprintf(buf, size, "an integer from %" PRId64 " to %" PRIu64, min, max);
}

/* An integer in [min, max], read from the number's text so that values above INT64_MAX and
 * fractions ("1.5", "1e3": Go rejects both for integer fields) are seen exactly. */
static int val_integer(struct pctx *c, yajl_val v, int64_t min, uint64_t max, bool *neg_out,
		       uint64_t *mag_out)
{
	char kind[64];
	const char *s;
	uint64_t mag;
	bool neg;
	char *end;

	int_kind(kind, sizeof(kind), min, max);
	if (!YAJL_IS_NUMBER(v))
		return perr(c, "expected %s, got %s", kind, type_name(v));
	s = v->u.number.r;
	neg = s[0] == '-';
	if (strpbrk(s, ".eE"))
		return perr(c, "expected %s, got %s", kind, s);
	errno = 0;
	mag = strtoull(s + neg, &end, 10);
	if (errno || *end)
		return perr(c, "expected %s, got %s", kind, s);
	if (neg && mag == 0)
		neg = false;
	if (neg ? (min >= 0 || mag - 1 > (uint64_t)(-(min + 1))) : mag > max)
		return perr(c, "expected %s, got %s", kind, s);
	*neg_out = neg;
	*mag_out = mag;
	return 0;
}

static int val_u64(struct pctx *c, yajl_val v, uint64_t max, uint64_t *out)
{
	bool neg;
	return val_integer(c, v, 0, max, &neg, out);
}

static int val_i64(struct pctx *c, yajl_val v, int64_t min, int64_t max, int64_t *out)
{
	uint64_t mag;
	bool neg;
	int r = val_integer(c, v, min, (uint64_t)max, &neg, &mag);

	if (r < 0)
		return r;
	*out = neg ? (int64_t)(0 - mag) : (int64_t)mag;
	return 0;
}

static int val_u32(struct pctx *c, yajl_val v, uint32_t *out)
{
	uint64_t x;
	int r = val_u64(c, v, UINT32_MAX, &x);

	if (r >= 0)
		*out = (uint32_t)x;
	return r;
}

/* A string naming a member of `table` (what: "namespace", "rlimit", ...). */
static int val_enum(struct pctx *c, yajl_val v, const struct name_value *t, size_t n,
		    const char *what, char **name, long long *value)
{
	int r = val_string(c, v, name);

	if (r < 0)
		return r;
	if (!lookup(t, n, *name, value))
		return perr(c, "unknown %s \"%s\"", what, *name);
	return 0;
}

#define VAL_ENUM(c, v, table, what, name, value)                                                   \
	val_enum(c, v, table, ARRAY_SIZE(table), what, name, value)

/* ---- object members ---- */

static int missing(struct pctx *c, const char *key)
{
	size_t old = path_key(c, key);
	int r = perr(c, "required field missing");

	path_pop(c, old);
	return r;
}

/* Members of `obj` read through a val_* function with the member's path pushed. */
#define WITH_MEMBER(c, obj, key, required, call)                                                   \
	({                                                                                         \
		yajl_val v_ = member(obj, key);                                                    \
		int r_ = 0;                                                                        \
		if (v_) {                                                                          \
			size_t old_ = path_key(c, key);                                            \
			yajl_val mv = v_;                                                          \
			r_ = (call);                                                               \
			if (r_ >= 0)                                                               \
				path_pop(c, old_);                                                 \
		} else if (required) {                                                             \
			r_ = missing(c, key);                                                      \
		}                                                                                  \
		r_;                                                                                \
	})

static int get_str(struct pctx *c, yajl_val obj, const char *key, bool required, char **out)
{
	return WITH_MEMBER(c, obj, key, required, val_string(c, mv, out));
}

static int get_bool(struct pctx *c, yajl_val obj, const char *key, bool *out)
{
	return WITH_MEMBER(c, obj, key, false, val_bool(c, mv, out));
}

static int get_opt_bool(struct pctx *c, yajl_val obj, const char *key, struct opt_bool *out)
{
	out->set = member(obj, key) != NULL;
	return WITH_MEMBER(c, obj, key, false, val_bool(c, mv, &out->v));
}

static int get_opt_u64(struct pctx *c, yajl_val obj, const char *key, uint64_t max,
		       struct opt_u64 *out)
{
	out->set = member(obj, key) != NULL;
	return WITH_MEMBER(c, obj, key, false, val_u64(c, mv, max, &out->v));
}

static int get_opt_i64(struct pctx *c, yajl_val obj, const char *key, int64_t min, int64_t max,
		       struct opt_i64 *out)
{
	out->set = member(obj, key) != NULL;
	return WITH_MEMBER(c, obj, key, false, val_i64(c, mv, min, max, &out->v));
}

static int get_u64(struct pctx *c, yajl_val obj, const char *key, bool required, uint64_t max,
		   uint64_t *out)
{
	return WITH_MEMBER(c, obj, key, required, val_u64(c, mv, max, out));
}

static int get_i64(struct pctx *c, yajl_val obj, const char *key, bool required, int64_t *out)
{
	return WITH_MEMBER(c, obj, key, required, val_i64(c, mv, INT64_MIN, INT64_MAX, out));
}

static int get_u32(struct pctx *c, yajl_val obj, const char *key, bool required, uint32_t *out)
{
	return WITH_MEMBER(c, obj, key, required, val_u32(c, mv, out));
}

static int get_i32(struct pctx *c, yajl_val obj, const char *key, int32_t *out)
{
	int64_t x = 0;
	int r = WITH_MEMBER(c, obj, key, false, val_i64(c, mv, INT32_MIN, INT32_MAX, &x));

	if (r >= 0)
		*out = (int32_t)x;
	return r;
}

/* ---- arrays and maps ---- */

typedef int (*elem_fn)(struct pctx *c, yajl_val v, void *elem);

/* An array whose elements are parsed by fn into a new arena array of `size`-byte structs.
 * `what` names the expected JSON ("an array of objects").  One spare zeroed element is
 * allocated so pointer arrays come out NULL-terminated. */
static int val_array(struct pctx *c, yajl_val v, size_t size, const char *what, elem_fn fn,
		     void **out, size_t *n)
{
	size_t len;
	char *items;

	if (!YAJL_IS_ARRAY(v))
		return perr(c, "expected %s, got %s", what, type_name(v));
	len = v->u.array.len;
	items = arena_alloc(c->arena, size * (len + 1));
	if (!items)
		return oom(c);
	for (size_t i = 0; i < len; i++) {
		size_t old = path_index(c, i);
		int r = fn(c, v->u.array.values[i], items + i * size);
		if (r < 0)
			return r;
		path_pop(c, old);
	}
	*out = items;
	*n = len;
	return 0;
}

static int get_array(struct pctx *c, yajl_val obj, const char *key, size_t size, const char *what,
		     elem_fn fn, void **out, size_t *n)
{
	return WITH_MEMBER(c, obj, key, false, val_array(c, mv, size, what, fn, out, n));
}

static int elem_string(struct pctx *c, yajl_val v, void *elem)
{
	return val_string(c, v, elem);
}

static int val_strv(struct pctx *c, yajl_val v, char ***out, size_t *n)
{
	return val_array(c, v, sizeof(char *), "an array of strings", elem_string, (void **)out, n);
}

/* A string array, NULL-terminated as well as counted. */
static int get_strv(struct pctx *c, yajl_val obj, const char *key, char ***out, size_t *n)
{
	return WITH_MEMBER(c, obj, key, false, val_strv(c, mv, out, n));
}

static int elem_u32(struct pctx *c, yajl_val v, void *elem)
{
	return val_u32(c, v, elem);
}

static int check_object(struct pctx *c, yajl_val v)
{
	if (!YAJL_IS_OBJECT(v))
		return perr(c, "expected an object, got %s", type_name(v));
	return 0;
}

typedef int (*entry_fn)(struct pctx *c, const char *key, yajl_val v, void *elem);

/* A JSON object used as a map (sysctl, annotations, ...): one `size`-byte struct per key, in
 * document order.  A key given twice is an error: Go would silently keep the last one. */
static int val_map(struct pctx *c, yajl_val v, size_t size, entry_fn fn, void **out, size_t *n)
{
	size_t len;
	char *items;
	int r;

	r = check_object(c, v);
	if (r < 0)
		return r;
	len = v->u.object.len;
	items = arena_alloc(c->arena, size * (len + 1));
	if (!items)
		return oom(c);
	for (size_t i = 0; i < len; i++) {
		const char *key = v->u.object.keys[i];
		size_t old;

		for (size_t j = 0; j < i; j++) {
			if (strcmp(v->u.object.keys[j], key) == 0)
				return perr(c, "duplicate key \"%s\"", key);
		}
		old = path_map_key(c, key);
		r = fn(c, key, v->u.object.values[i], items + i * size);
		if (r < 0)
			return r;
		path_pop(c, old);
	}
	*out = items;
	*n = len;
	return 0;
}

static int get_map(struct pctx *c, yajl_val obj, const char *key, size_t size, entry_fn fn,
		   void **out, size_t *n)
{
	return WITH_MEMBER(c, obj, key, false, val_map(c, mv, size, fn, out, n));
}

static int entry_kv(struct pctx *c, const char *key, yajl_val v, void *elem)
{
	struct spec_kv *kv = elem;

	kv->key = arena_strdup(c->arena, key);
	if (!kv->key)
		return oom(c);
	return val_string(c, v, &kv->value);
}

/* An optional object member: *out is a new zeroed struct filled by fn, or stays NULL. */
static int get_object(struct pctx *c, yajl_val obj, const char *key, size_t size, elem_fn fn,
		      void **out)
{
	yajl_val v = member(obj, key);
	size_t old;
	void *p;
	int r;

	if (!v)
		return 0;
	old = path_key(c, key);
	r = check_object(c, v);
	if (r < 0)
		return r;
	p = arena_alloc(c->arena, size);
	if (!p)
		return oom(c);
	r = fn(c, v, p);
	if (r < 0)
		return r;
	path_pop(c, old);
	*out = p;
	return 0;
}

/* Arrays of objects: check each element is an object before its parser sees it. */
#define OBJECT_ELEM(fn)                                                                            \
	static int fn##_elem(struct pctx *c, yajl_val v, void *elem)                               \
	{                                                                                          \
		int r = check_object(c, v);                                                        \
		return r < 0 ? r : fn(c, v, elem);                                                 \
	}

static int require_abs(struct pctx *c, const char *key, const char *value)
{
	size_t old;
	int r;

	if (value[0] == '/')
		return 0;
	old = path_key(c, key);
	r = perr(c, "must be an absolute path, got \"%s\"", value);
	path_pop(c, old);
	return r;
}

static int elem_abs_path(struct pctx *c, yajl_val v, void *elem)
{
	char **s = elem;
	int r = val_string(c, v, s);

	if (r < 0)
		return r;
	if ((*s)[0] != '/')
		return perr(c, "must be an absolute path, got \"%s\"", *s);
	return 0;
}

/* ---- shared pieces ---- */

static int parse_id_mapping(struct pctx *c, yajl_val v, void *elem)
{
	struct spec_id_mapping *m = elem;
	int r;

	if ((r = get_u32(c, v, "containerID", true, &m->container_id)) < 0 ||
	    (r = get_u32(c, v, "hostID", true, &m->host_id)) < 0 ||
	    (r = get_u32(c, v, "size", true, &m->size)) < 0)
		return r;
	return 0;
}
OBJECT_ELEM(parse_id_mapping)

static int get_id_mappings(struct pctx *c, yajl_val obj, const char *key,
			   struct spec_id_mapping **out, size_t *n)
{
	return get_array(c, obj, key, sizeof(**out), "an array of objects", parse_id_mapping_elem,
			 (void **)out, n);
}

/* ---- process ---- */

static int parse_box(struct pctx *c, yajl_val v, void *elem)
{
	struct spec_box *b = elem;
	uint64_t x;
	int r;

	if ((r = get_u64(c, v, "height", true, UINT_MAX, &x)) < 0)
		return r;
	b->height = (unsigned)x;
	if ((r = get_u64(c, v, "width", true, UINT_MAX, &x)) < 0)
		return r;
	b->width = (unsigned)x;
	return 0;
}

static int parse_user(struct pctx *c, yajl_val v, void *elem)
{
	struct spec_user *u = elem;
	int r;

	if ((r = get_u32(c, v, "uid", false, &u->uid)) < 0 ||
	    (r = get_u32(c, v, "gid", false, &u->gid)) < 0 ||
	    (r = get_opt_u64(c, v, "umask", 0777, &u->umask)) < 0)
		return r;
	return get_array(c, v, "additionalGids", sizeof(uint32_t), "an array of integers", elem_u32,
			 (void **)&u->additional_gids, &u->n_additional_gids);
}

static int parse_capabilities(struct pctx *c, yajl_val v, void *elem)
{
	struct spec_capabilities *caps = elem;

	for (size_t i = 0; i < ARRAY_SIZE(cap_set_keys); i++) {
		int set = (int)cap_set_keys[i].value;
		int r =
		    get_strv(c, v, cap_set_keys[i].name, &caps->names[set], &caps->n_names[set]);
		if (r < 0)
			return r;
	}
	return 0;
}

static int parse_rlimit(struct pctx *c, yajl_val v, void *elem)
{
	struct spec_rlimit *rl = elem;
	long long res = 0;
	int r;

	r = WITH_MEMBER(c, v, "type", true,
			VAL_ENUM(c, mv, rlimit_names, "rlimit", &rl->type, &res));
	if (r < 0)
		return r;
	rl->resource = (int)res;
	if ((r = get_u64(c, v, "soft", true, UINT64_MAX, &rl->soft)) < 0 ||
	    (r = get_u64(c, v, "hard", true, UINT64_MAX, &rl->hard)) < 0)
		return r;
	if (rl->soft > rl->hard)
		return perr(c, "soft limit %" PRIu64 " is above hard limit %" PRIu64, rl->soft,
			    rl->hard);
	return 0;
}
OBJECT_ELEM(parse_rlimit)

static int parse_rlimits(struct pctx *c, yajl_val proc, struct spec_process *p)
{
	int r = get_array(c, proc, "rlimits", sizeof(*p->rlimits), "an array of objects",
			  parse_rlimit_elem, (void **)&p->rlimits, &p->n_rlimits);

	if (r < 0)
		return r;
	/* runtime-spec: "If rlimits contains duplicated entries with same type, the runtime
	 * MUST generate an error." */
	for (size_t i = 0; i < p->n_rlimits; i++) {
		for (size_t j = 0; j < i; j++) {
			if (p->rlimits[i].resource == p->rlimits[j].resource) {
				size_t old = path_key(c, "rlimits");
				path_index(c, i);
				r = perr(c, "duplicate rlimit \"%s\"", p->rlimits[i].type);
				path_pop(c, old);
				return r;
			}
		}
	}
	return 0;
}

static int elem_sched_flag(struct pctx *c, yajl_val v, void *elem)
{
	long long x;
	return VAL_ENUM(c, v, sched_flags, "scheduler flag", (char **)elem, &x);
}

/* sched_setattr(2), checked as runc does. */
static int check_scheduler(struct pctx *c, const struct spec_scheduler *s)
{
	int p = s->policy_num;
	size_t old;
	int r;

	if ((p == SCHED_OTHER || p == SCHED_BATCH) && (s->nice < -20 || s->nice > 19)) {
		old = path_key(c, "nice");
		r = perr(c, "must be from -20 to 19 with %s, got %d", s->policy, s->nice);
		path_pop(c, old);
		return r;
	}
	if (s->priority != 0 && p != SCHED_FIFO && p != SCHED_RR) {
		old = path_key(c, "priority");
		r = perr(c, "only valid with SCHED_FIFO or SCHED_RR");
		path_pop(c, old);
		return r;
	}
	if (p != SCHED_DEADLINE && (s->runtime || s->deadline || s->period))
		return perr(c, "runtime, deadline and period are only valid with SCHED_DEADLINE");
	return 0;
}

static int parse_scheduler(struct pctx *c, yajl_val v, void *elem)
{
	struct spec_scheduler *s = elem;
	long long x = 0;
	int r;

	r = WITH_MEMBER(c, v, "policy", true,
			VAL_ENUM(c, mv, sched_policies, "scheduler policy", &s->policy, &x));
	if (r < 0)
		return r;
	s->policy_num = (int)x;
	if ((r = get_i32(c, v, "nice", &s->nice)) < 0 ||
	    (r = get_i32(c, v, "priority", &s->priority)) < 0 ||
	    (r = get_array(c, v, "flags", sizeof(char *), "an array of strings", elem_sched_flag,
			   (void **)&s->flags, &s->n_flags)) < 0 ||
	    (r = get_u64(c, v, "runtime", false, UINT64_MAX, &s->runtime)) < 0 ||
	    (r = get_u64(c, v, "deadline", false, UINT64_MAX, &s->deadline)) < 0 ||
	    (r = get_u64(c, v, "period", false, UINT64_MAX, &s->period)) < 0)
		return r;
	for (size_t i = 0; i < s->n_flags; i++) {
		LOOKUP(sched_flags, s->flags[i], &x);
		s->flags_mask |= (uint64_t)x;
	}
	return check_scheduler(c, s);
}

static int parse_io_priority(struct pctx *c, yajl_val v, void *elem)
{
	struct spec_io_priority *io = elem;
	long long x = 0;
	int64_t prio = 0;
	int r;

	r = WITH_MEMBER(c, v, "class", true,
			VAL_ENUM(c, mv, ioprio_classes, "I/O priority class", &io->class, &x));
	if (r < 0)
		return r;
	io->class_num = (int)x;
	r = WITH_MEMBER(c, v, "priority", true, val_i64(c, mv, 0, 7, &prio));
	io->priority = (int)prio;
	return r;
}

static int parse_cpu_affinity(struct pctx *c, yajl_val v, void *elem)
{
	struct spec_cpu_affinity *a = elem;
	int r;

	if ((r = get_str(c, v, "initial", false, &a->initial)) < 0 ||
	    (r = get_str(c, v, "final", false, &a->final)) < 0)
		return r;
	return 0;
}

static int elem_env(struct pctx *c, yajl_val v, void *elem)
{
	char **s = elem;
	int r = val_string(c, v, s);

	if (r < 0)
		return r;
	/* environ(7) form; runc fails later in the container init on the same input. */
	if (!strchr(*s, '=') || (*s)[0] == '=')
		return perr(c, "expected \"KEY=value\", got \"%s\"", *s);
	return 0;
}

static int get_env(struct pctx *c, yajl_val obj, const char *key, char ***out, size_t *n)
{
	return get_array(c, obj, key, sizeof(char *), "an array of strings", elem_env, (void **)out,
			 n);
}

static int parse_process_obj(struct pctx *c, yajl_val v, void *elem)
{
	struct spec_process *p = elem;
	yajl_val user;
	int r;

	if ((r = get_bool(c, v, "terminal", &p->terminal)) < 0 ||
	    (r = get_object(c, v, "consoleSize", sizeof(*p->console_size), parse_box,
			    (void **)&p->console_size)) < 0)
		return r;
	user = member(v, "user");
	if (user) {
		size_t old = path_key(c, "user");
		if ((r = check_object(c, user)) < 0 || (r = parse_user(c, user, &p->user)) < 0)
			return r;
		path_pop(c, old);
	}
	if ((r = get_strv(c, v, "args", &p->args, &p->n_args)) < 0)
		return r;
	/* Linux: "at least one entry is REQUIRED". */
	if (p->n_args == 0) {
		size_t old = path_key(c, "args");
		r = perr(c, "must contain at least one entry");
		path_pop(c, old);
		return r;
	}
	if ((r = get_env(c, v, "env", &p->env, &p->n_env)) < 0 ||
	    (r = get_str(c, v, "cwd", true, &p->cwd)) < 0 ||
	    (r = require_abs(c, "cwd", p->cwd)) < 0 ||
	    (r = get_object(c, v, "capabilities", sizeof(*p->capabilities), parse_capabilities,
			    (void **)&p->capabilities)) < 0 ||
	    (r = parse_rlimits(c, v, p)) < 0 ||
	    (r = get_bool(c, v, "noNewPrivileges", &p->no_new_privileges)) < 0 ||
	    (r = get_str(c, v, "apparmorProfile", false, &p->apparmor_profile)) < 0 ||
	    (r = get_opt_i64(c, v, "oomScoreAdj", -1000, 1000, &p->oom_score_adj)) < 0 ||
	    (r = get_object(c, v, "scheduler", sizeof(*p->scheduler), parse_scheduler,
			    (void **)&p->scheduler)) < 0 ||
	    (r = get_str(c, v, "selinuxLabel", false, &p->selinux_label)) < 0 ||
	    (r = get_object(c, v, "ioPriority", sizeof(*p->io_priority), parse_io_priority,
			    (void **)&p->io_priority)) < 0 ||
	    (r = get_object(c, v, "execCPUAffinity", sizeof(*p->exec_cpu_affinity),
			    parse_cpu_affinity, (void **)&p->exec_cpu_affinity)) < 0)
		return r;
	return 0;
}

/* ---- root, mounts, hooks, annotations ---- */

static int parse_root(struct pctx *c, yajl_val v, void *elem)
{
	struct spec_root *root = elem;
	int r;

	if ((r = get_str(c, v, "path", true, &root->path)) < 0)
		return r;
	if (root->path[0] == '\0') {
		size_t old = path_key(c, "path");
		r = perr(c, "must not be empty");
		path_pop(c, old);
		return r;
	}
	return get_bool(c, v, "readonly", &root->readonly);
}

static int parse_mount(struct pctx *c, yajl_val v, void *elem)
{
	struct spec_mount *m = elem;
	size_t old;
	int r;

	if ((r = get_str(c, v, "destination", true, &m->destination)) < 0 ||
	    (r = get_str(c, v, "type", false, &m->type)) < 0 ||
	    (r = get_str(c, v, "source", false, &m->source)) < 0 ||
	    (r = get_strv(c, v, "options", &m->options, &m->n_options)) < 0 ||
	    (r = get_id_mappings(c, v, "uidMappings", &m->uid_mappings, &m->n_uid_mappings)) < 0 ||
	    (r = get_id_mappings(c, v, "gidMappings", &m->gid_mappings, &m->n_gid_mappings)) < 0)
		return r;
	old = path_key(c, "destination");
	if (m->destination[0] == '\0')
		return perr(c, "must not be empty");
	/* Linux: a relative destination is deprecated but allowed, "interpreted as relative to
	 * /" (config.md).  Store it absolute so later layers see one form. */
	if (m->destination[0] != '/') {
		size_t n = strlen(m->destination);
		char *abs = arena_alloc(c->arena, n + 2);
		if (!abs)
			return oom(c);
		abs[0] = '/';
		memcpy(abs + 1, m->destination, n + 1);
		log_warn("%s: %s: relative mount destination \"%s\" is deprecated, using \"%s\"",
			 c->name, c->path, m->destination, abs);
		m->destination = abs;
	}
	path_pop(c, old);
	/* config.md: uidMappings "MUST be specified along with gidMappings" and vice versa. */
	if (!m->uid_mappings != !m->gid_mappings) {
		old = path_key(c, m->uid_mappings ? "uidMappings" : "gidMappings");
		r = perr(c, "must be specified along with %s",
			 m->uid_mappings ? "gidMappings" : "uidMappings");
		path_pop(c, old);
		return r;
	}
	return 0;
}
OBJECT_ELEM(parse_mount)

static int parse_hook(struct pctx *c, yajl_val v, void *elem)
{
	struct spec_hook *h = elem;
	int r;

	if ((r = get_str(c, v, "path", true, &h->path)) < 0 ||
	    (r = require_abs(c, "path", h->path)) < 0 ||
	    (r = get_strv(c, v, "args", &h->args, &h->n_args)) < 0 ||
	    (r = get_env(c, v, "env", &h->env, &h->n_env)) < 0 ||
	    (r = get_opt_i64(c, v, "timeout", INT64_MIN, INT64_MAX, &h->timeout)) < 0)
		return r;
	if (h->timeout.set && h->timeout.v <= 0) {
		size_t old = path_key(c, "timeout");
		r = perr(c, "must be greater than zero, got %" PRId64, h->timeout.v);
		path_pop(c, old);
		return r;
	}
	return 0;
}
OBJECT_ELEM(parse_hook)

static int parse_hooks(struct pctx *c, yajl_val v, void *elem)
{
	struct spec_hooks *hooks = elem;

	for (int k = 0; k < SPEC_HOOK_NKINDS; k++) {
		int r = get_array(c, v, spec_hook_name((enum spec_hook_kind)k),
				  sizeof(struct spec_hook), "an array of objects", parse_hook_elem,
				  (void **)&hooks->list[k], &hooks->n[k]);
		if (r < 0)
			return r;
	}
	return 0;
}

static int entry_annotation(struct pctx *c, const char *key, yajl_val v, void *elem)
{
	/* config.md: "Keys MUST NOT be an empty string." */
	if (key[0] == '\0')
		return perr(c, "annotation keys must not be empty");
	return entry_kv(c, key, v, elem);
}

/* ---- linux.resources ---- */

static int parse_device_cgroup(struct pctx *c, yajl_val v, void *elem)
{
	struct spec_device_cgroup *d = elem;
	char *type = NULL;
	size_t old;
	int r;

	if ((r = WITH_MEMBER(c, v, "allow", true, val_bool(c, mv, &d->allow))) < 0 ||
	    (r = get_str(c, v, "type", false, &type)) < 0 ||
	    (r = get_opt_i64(c, v, "major", INT64_MIN, INT64_MAX, &d->major)) < 0 ||
	    (r = get_opt_i64(c, v, "minor", INT64_MIN, INT64_MAX, &d->minor)) < 0 ||
	    (r = get_str(c, v, "access", false, &d->access)) < 0)
		return r;
	d->type = 'a';
	if (type) {
		old = path_key(c, "type");
		if (strcmp(type, "a") && strcmp(type, "c") && strcmp(type, "b"))
			return perr(c, "unknown device type \"%s\" (expected a, b or c)", type);
		d->type = type[0];
		path_pop(c, old);
	}
	if (d->access) {
		old = path_key(c, "access");
		if (d->access[strspn(d->access, "rwm")] != '\0')
			return perr(c, "expected a combination of r, w and m, got \"%s\"",
				    d->access);
		path_pop(c, old);
	}
	return 0;
}
OBJECT_ELEM(parse_device_cgroup)

static int parse_memory(struct pctx *c, yajl_val v, void *elem)
{
	struct spec_memory *m = elem;
	int r;

	if ((r = get_opt_i64(c, v, "limit", INT64_MIN, INT64_MAX, &m->limit)) < 0 ||
	    (r = get_opt_i64(c, v, "reservation", INT64_MIN, INT64_MAX, &m->reservation)) < 0 ||
	    (r = get_opt_i64(c, v, "swap", INT64_MIN, INT64_MAX, &m->swap)) < 0 ||
	    (r = get_opt_i64(c, v, "kernel", INT64_MIN, INT64_MAX, &m->kernel)) < 0 ||
	    (r = get_opt_i64(c, v, "kernelTCP", INT64_MIN, INT64_MAX, &m->kernel_tcp)) < 0 ||
	    (r = get_opt_u64(c, v, "swappiness", 100, &m->swappiness)) < 0 ||
	    (r = get_opt_bool(c, v, "disableOOMKiller", &m->disable_oom_killer)) < 0 ||
	    (r = get_opt_bool(c, v, "useHierarchy", &m->use_hierarchy)) < 0 ||
	    (r = get_opt_bool(c, v, "checkBeforeUpdate", &m->check_before_update)) < 0)
		return r;
	return 0;
}

static int parse_cpu(struct pctx *c, yajl_val v, void *elem)
{
	struct spec_cpu *cpu = elem;
	int r;

	if ((r = get_opt_u64(c, v, "shares", UINT64_MAX, &cpu->shares)) < 0 ||
	    (r = get_opt_i64(c, v, "quota", INT64_MIN, INT64_MAX, &cpu->quota)) < 0 ||
	    (r = get_opt_u64(c, v, "burst", UINT64_MAX, &cpu->burst)) < 0 ||
	    (r = get_opt_u64(c, v, "period", UINT64_MAX, &cpu->period)) < 0 ||
	    (r = get_opt_i64(c, v, "realtimeRuntime", INT64_MIN, INT64_MAX,
			     &cpu->realtime_runtime)) < 0 ||
	    (r = get_opt_u64(c, v, "realtimePeriod", UINT64_MAX, &cpu->realtime_period)) < 0 ||
	    (r = get_str(c, v, "cpus", false, &cpu->cpus)) < 0 ||
	    (r = get_str(c, v, "mems", false, &cpu->mems)) < 0 ||
	    (r = get_opt_i64(c, v, "idle", INT64_MIN, INT64_MAX, &cpu->idle)) < 0)
		return r;
	return 0;
}

static int parse_weight_device(struct pctx *c, yajl_val v, void *elem)
{
	struct spec_weight_device *w = elem;
	int r;

	if ((r = get_i64(c, v, "major", true, &w->major)) < 0 ||
	    (r = get_i64(c, v, "minor", true, &w->minor)) < 0 ||
	    (r = get_opt_u64(c, v, "weight", UINT16_MAX, &w->weight)) < 0 ||
	    (r = get_opt_u64(c, v, "leafWeight", UINT16_MAX, &w->leaf_weight)) < 0)
		return r;
	if (!w->weight.set && !w->leaf_weight.set)
		return perr(c, "at least one of weight and leafWeight is required");
	return 0;
}
OBJECT_ELEM(parse_weight_device)

static int parse_throttle_device(struct pctx *c, yajl_val v, void *elem)
{
	struct spec_throttle_device *t = elem;
	int r;

	if ((r = get_i64(c, v, "major", true, &t->major)) < 0 ||
	    (r = get_i64(c, v, "minor", true, &t->minor)) < 0 ||
	    (r = get_u64(c, v, "rate", true, UINT64_MAX, &t->rate)) < 0)
		return r;
	return 0;
}
OBJECT_ELEM(parse_throttle_device)

static int parse_blkio(struct pctx *c, yajl_val v, void *elem)
{
	struct spec_blkio *b = elem;
	int r;

	if ((r = get_opt_u64(c, v, "weight", UINT16_MAX, &b->weight)) < 0 ||
	    (r = get_opt_u64(c, v, "leafWeight", UINT16_MAX, &b->leaf_weight)) < 0 ||
	    (r = get_array(c, v, "weightDevice", sizeof(*b->weight_devices), "an array of objects",
			   parse_weight_device_elem, (void **)&b->weight_devices,
			   &b->n_weight_devices)) < 0)
		return r;
	for (size_t i = 0; i < ARRAY_SIZE(throttle_keys); i++) {
		int k = (int)throttle_keys[i].value;
		r = get_array(c, v, throttle_keys[i].name, sizeof(struct spec_throttle_device),
			      "an array of objects", parse_throttle_device_elem,
			      (void **)&b->throttle[k], &b->n_throttle[k]);
		if (r < 0)
			return r;
	}
	return 0;
}

/* "<size><unit-prefix>B" (e.g. 64KB, 2MB, 1GB): the hugetlb cgroup file name suffix. */
static bool valid_page_size(const char *s)
{
	size_t digits = strspn(s, "0123456789");

	return digits > 0 && s[digits] && strchr("KMGTPE", s[digits]) && s[digits + 1] == 'B' &&
	       s[digits + 2] == '\0';
}

static int parse_hugepage_limit(struct pctx *c, yajl_val v, void *elem)
{
	struct spec_hugepage_limit *h = elem;
	int r;

	if ((r = get_str(c, v, "pageSize", true, &h->page_size)) < 0)
		return r;
	if (!valid_page_size(h->page_size)) {
		path_key(c, "pageSize");
		return perr(c, "expected a size such as \"2MB\" or \"1GB\", got \"%s\"",
			    h->page_size);
	}
	return get_u64(c, v, "limit", true, UINT64_MAX, &h->limit);
}
OBJECT_ELEM(parse_hugepage_limit)

static int parse_if_priority(struct pctx *c, yajl_val v, void *elem)
{
	struct spec_if_priority *p = elem;
	int r;

	if ((r = get_str(c, v, "name", true, &p->name)) < 0 ||
	    (r = get_u32(c, v, "priority", true, &p->priority)) < 0)
		return r;
	return 0;
}
OBJECT_ELEM(parse_if_priority)

static int parse_network(struct pctx *c, yajl_val v, void *elem)
{
	struct spec_network *n = elem;
	int r;

	if ((r = get_opt_u64(c, v, "classID", UINT32_MAX, &n->class_id)) < 0 ||
	    (r = get_array(c, v, "priorities", sizeof(*n->priorities), "an array of objects",
			   parse_if_priority_elem, (void **)&n->priorities, &n->n_priorities)) < 0)
		return r;
	return 0;
}

static int entry_rdma(struct pctx *c, const char *key, yajl_val v, void *elem)
{
	struct spec_rdma *rd = elem;
	int r;

	if ((r = check_object(c, v)) < 0)
		return r;
	rd->device = arena_strdup(c->arena, key);
	if (!rd->device)
		return oom(c);
	if ((r = get_opt_u64(c, v, "hcaHandles", UINT32_MAX, &rd->hca_handles)) < 0 ||
	    (r = get_opt_u64(c, v, "hcaObjects", UINT32_MAX, &rd->hca_objects)) < 0)
		return r;
	if (!rd->hca_handles.set && !rd->hca_objects.set)
		return perr(c, "at least one of hcaHandles and hcaObjects is required");
	return 0;
}

static int parse_resources(struct pctx *c, yajl_val v, void *elem)
{
	struct spec_resources *res = elem;
	yajl_val pids;
	int r;

	if ((r = get_array(c, v, "devices", sizeof(*res->devices), "an array of objects",
			   parse_device_cgroup_elem, (void **)&res->devices, &res->n_devices)) <
		0 ||
	    (r = get_object(c, v, "memory", sizeof(*res->memory), parse_memory,
			    (void **)&res->memory)) < 0 ||
	    (r = get_object(c, v, "cpu", sizeof(*res->cpu), parse_cpu, (void **)&res->cpu)) < 0)
		return r;
	pids = member(v, "pids");
	if (pids) {
		size_t old = path_key(c, "pids");
		if ((r = check_object(c, pids)) < 0 ||
		    (r = get_opt_i64(c, pids, "limit", INT64_MIN, INT64_MAX, &res->pids_limit)) < 0)
			return r;
		res->has_pids = true;
		path_pop(c, old);
	}
	if ((r = get_object(c, v, "blockIO", sizeof(*res->blkio), parse_blkio,
			    (void **)&res->blkio)) < 0 ||
	    (r = get_array(c, v, "hugepageLimits", sizeof(*res->hugepage_limits),
			   "an array of objects", parse_hugepage_limit_elem,
			   (void **)&res->hugepage_limits, &res->n_hugepage_limits)) < 0 ||
	    (r = get_object(c, v, "network", sizeof(*res->network), parse_network,
			    (void **)&res->network)) < 0 ||
	    (r = get_map(c, v, "rdma", sizeof(*res->rdma), entry_rdma, (void **)&res->rdma,
			 &res->n_rdma)) < 0 ||
	    (r = get_map(c, v, "unified", sizeof(*res->unified), entry_kv, (void **)&res->unified,
			 &res->n_unified)) < 0)
		return r;
	return 0;
}

/* ---- linux: namespaces, devices, seccomp, ... ---- */

static int parse_namespace(struct pctx *c, yajl_val v, void *elem)
{
	struct spec_namespace *ns = elem;
	char *type = NULL;
	int r;

	if ((r = get_str(c, v, "type", true, &type)) < 0)
		return r;
	for (int t = 0;; t++) {
		if (t == SPEC_NS_NTYPES) {
			path_key(c, "type");
			return perr(c, "unknown namespace \"%s\"", type);
		}
		if (strcmp(type, spec_ns_name((enum spec_ns_type)t)) == 0) {
			ns->type = (enum spec_ns_type)t;
			break;
		}
	}
	if ((r = get_str(c, v, "path", false, &ns->path)) < 0)
		return r;
	/* An empty path is Go's zero value: create a new namespace, as runc does. */
	if (ns->path && ns->path[0] == '\0')
		ns->path = NULL;
	if (ns->path)
		return require_abs(c, "path", ns->path);
	return 0;
}
OBJECT_ELEM(parse_namespace)

static int parse_device(struct pctx *c, yajl_val v, void *elem)
{
	struct spec_device *d = elem;
	char *type = NULL;
	bool need_numbers;
	int r;

	if ((r = get_str(c, v, "path", true, &d->path)) < 0 ||
	    (r = require_abs(c, "path", d->path)) < 0 ||
	    (r = get_str(c, v, "type", true, &type)) < 0)
		return r;
	if (strlen(type) != 1 || !strchr("cbup", type[0])) {
		path_key(c, "type");
		return perr(c, "unknown device type \"%s\" (expected c, b, u or p)", type);
	}
	d->type = type[0];
	/* "major, minor (int64, REQUIRED unless type is p)" */
	need_numbers = d->type != 'p';
	if ((r = get_i64(c, v, "major", need_numbers, &d->major)) < 0 ||
	    (r = get_i64(c, v, "minor", need_numbers, &d->minor)) < 0 ||
	    (r = get_opt_u64(c, v, "fileMode", UINT32_MAX, &d->file_mode)) < 0 ||
	    (r = get_opt_u64(c, v, "uid", UINT32_MAX, &d->uid)) < 0 ||
	    (r = get_opt_u64(c, v, "gid", UINT32_MAX, &d->gid)) < 0)
		return r;
	return 0;
}
OBJECT_ELEM(parse_device)

static int entry_net_device(struct pctx *c, const char *key, yajl_val v, void *elem)
{
	struct spec_net_device *nd = elem;
	int r;

	if ((r = check_object(c, v)) < 0)
		return r;
	nd->host_name = arena_strdup(c->arena, key);
	if (!nd->host_name)
		return oom(c);
	if ((r = get_str(c, v, "name", false, &nd->name)) < 0)
		return r;
	if (nd->name && nd->name[0] == '\0')
		nd->name = NULL;
	return 0;
}

static bool action_takes_errno(enum spec_seccomp_action a)
{
	return a == SPEC_SCMP_ACT_ERRNO || a == SPEC_SCMP_ACT_TRACE;
}

static int get_action(struct pctx *c, yajl_val v, const char *key, enum spec_seccomp_action *out)
{
	long long x = 0;
	char *name = NULL;
	int r = WITH_MEMBER(c, v, key, true,
			    VAL_ENUM(c, mv, seccomp_actions, "seccomp action", &name, &x));

	*out = (enum spec_seccomp_action)x;
	return r;
}

/* "When the action doesn't support an errno, the runtime MUST print and error and fail." */
static int check_errno_ret(struct pctx *c, const char *key, struct opt_u64 ret,
			   enum spec_seccomp_action a)
{
	size_t old;
	int r;

	if (!ret.set || action_takes_errno(a))
		return 0;
	old = path_key(c, key);
	r = perr(c, "only valid with SCMP_ACT_ERRNO or SCMP_ACT_TRACE");
	path_pop(c, old);
	return r;
}

static int parse_seccomp_arg(struct pctx *c, yajl_val v, void *elem)
{
	struct spec_seccomp_arg *a = elem;
	long long x = 0;
	uint64_t index = 0;
	char *op = NULL;
	int r;

	/* seccomp_data.args has six entries. */
	if ((r = WITH_MEMBER(c, v, "index", true, val_u64(c, mv, 5, &index))) < 0 ||
	    (r = get_u64(c, v, "value", true, UINT64_MAX, &a->value)) < 0 ||
	    (r = get_u64(c, v, "valueTwo", false, UINT64_MAX, &a->value_two)) < 0 ||
	    (r = WITH_MEMBER(c, v, "op", true,
			     VAL_ENUM(c, mv, seccomp_ops, "seccomp operator", &op, &x))) < 0)
		return r;
	a->index = (unsigned)index;
	a->op = (enum spec_seccomp_op)x;
	return 0;
}
OBJECT_ELEM(parse_seccomp_arg)

static int parse_syscall(struct pctx *c, yajl_val v, void *elem)
{
	struct spec_syscall *s = elem;
	int r;

	if ((r = WITH_MEMBER(c, v, "names", true, val_strv(c, mv, &s->names, &s->n_names))) < 0)
		return r;
	/* "names MUST contain at least one entry." */
	if (s->n_names == 0) {
		path_key(c, "names");
		return perr(c, "must contain at least one entry");
	}
	if ((r = get_action(c, v, "action", &s->action)) < 0 ||
	    (r = get_opt_u64(c, v, "errnoRet", UINT32_MAX, &s->errno_ret)) < 0 ||
	    (r = check_errno_ret(c, "errnoRet", s->errno_ret, s->action)) < 0 ||
	    (r = get_array(c, v, "args", sizeof(*s->args), "an array of objects",
			   parse_seccomp_arg_elem, (void **)&s->args, &s->n_args)) < 0)
		return r;
	return 0;
}
OBJECT_ELEM(parse_syscall)

static int elem_seccomp_arch(struct pctx *c, yajl_val v, void *elem)
{
	return VAL_ENUM(c, v, seccomp_archs, "seccomp architecture", (char **)elem, NULL);
}

static int elem_seccomp_flag(struct pctx *c, yajl_val v, void *elem)
{
	return VAL_ENUM(c, v, seccomp_flags, "seccomp flag", (char **)elem, NULL);
}

static int parse_seccomp(struct pctx *c, yajl_val v, void *elem)
{
	struct spec_seccomp *s = elem;
	int r;

	if ((r = get_action(c, v, "defaultAction", &s->default_action)) < 0 ||
	    (r = get_opt_u64(c, v, "defaultErrnoRet", UINT32_MAX, &s->default_errno_ret)) < 0 ||
	    (r = check_errno_ret(c, "defaultErrnoRet", s->default_errno_ret, s->default_action)) <
		0 ||
	    (r = get_array(c, v, "architectures", sizeof(char *), "an array of strings",
			   elem_seccomp_arch, (void **)&s->architectures, &s->n_architectures)) <
		0 ||
	    (r = get_array(c, v, "flags", sizeof(char *), "an array of strings", elem_seccomp_flag,
			   (void **)&s->flags, &s->n_flags)) < 0 ||
	    (r = get_str(c, v, "listenerPath", false, &s->listener_path)) < 0 ||
	    (r = get_str(c, v, "listenerMetadata", false, &s->listener_metadata)) < 0 ||
	    (r = get_array(c, v, "syscalls", sizeof(*s->syscalls), "an array of objects",
			   parse_syscall_elem, (void **)&s->syscalls, &s->n_syscalls)) < 0)
		return r;
	if (s->listener_path && s->listener_path[0] == '\0')
		s->listener_path = NULL;
	if (s->listener_metadata && s->listener_metadata[0] == '\0')
		s->listener_metadata = NULL;
	/* "listenerMetadata ... MUST NOT be set if listenerPath is not set." */
	if (s->listener_metadata && !s->listener_path) {
		path_key(c, "listenerMetadata");
		return perr(c, "must not be set without listenerPath");
	}
	if (s->listener_path)
		return require_abs(c, "listenerPath", s->listener_path);
	return 0;
}

static int parse_intel_rdt(struct pctx *c, yajl_val v, void *elem)
{
	struct spec_intel_rdt *rdt = elem;
	int r;

	if ((r = get_str(c, v, "closID", false, &rdt->clos_id)) < 0 ||
	    (r = get_strv(c, v, "schemata", &rdt->schemata, &rdt->n_schemata)) < 0 ||
	    (r = get_str(c, v, "l3CacheSchema", false, &rdt->l3_cache_schema)) < 0 ||
	    (r = get_str(c, v, "memBwSchema", false, &rdt->mem_bw_schema)) < 0 ||
	    (r = get_bool(c, v, "enableMonitoring", &rdt->enable_monitoring)) < 0)
		return r;
	return 0;
}

static int elem_mpol_flag(struct pctx *c, yajl_val v, void *elem)
{
	return VAL_ENUM(c, v, mpol_flags, "memory policy flag", (char **)elem, NULL);
}

static int parse_memory_policy(struct pctx *c, yajl_val v, void *elem)
{
	struct spec_memory_policy *mp = elem;
	long long x = 0;
	int r;

	r = WITH_MEMBER(c, v, "mode", true,
			VAL_ENUM(c, mv, mpol_modes, "memory policy mode", &mp->mode, &x));
	if (r < 0)
		return r;
	mp->mode_num = (int)x;
	if ((r = get_str(c, v, "nodes", false, &mp->nodes)) < 0 ||
	    (r = get_array(c, v, "flags", sizeof(char *), "an array of strings", elem_mpol_flag,
			   (void **)&mp->flags, &mp->n_flags)) < 0)
		return r;
	for (size_t i = 0; i < mp->n_flags; i++) {
		LOOKUP(mpol_flags, mp->flags[i], &x);
		mp->flags_mask |= (unsigned)x;
	}
	return 0;
}

static int parse_personality(struct pctx *c, yajl_val v, void *elem)
{
	struct spec_personality *p = elem;
	long long x = 0;
	int r;

	r = WITH_MEMBER(c, v, "domain", true,
			VAL_ENUM(c, mv, personality_domains, "personality domain", &p->domain, &x));
	if (r < 0)
		return r;
	p->persona = (unsigned long)x;
	if ((r = get_strv(c, v, "flags", &p->flags, &p->n_flags)) < 0)
		return r;
	/* config-linux.md: "Currently no flag values are supported." runc warns and goes on. */
	if (p->n_flags)
		log_warn("%s: %s.flags: ignoring unsupported personality flags", c->name, c->path);
	return 0;
}

static int entry_time_offset(struct pctx *c, const char *key, yajl_val v, void *elem)
{
	struct spec_time_offset *t = elem;
	uint64_t ns = 0;
	int r;

	if ((r = check_object(c, v)) < 0)
		return r;
	if (!LOOKUP(time_clocks, key, NULL))
		return perr(c, "unknown clock (expected monotonic or boottime)");
	t->clock = arena_strdup(c->arena, key);
	if (!t->clock)
		return oom(c);
	if ((r = get_i64(c, v, "secs", false, &t->secs)) < 0 ||
	    (r = get_u64(c, v, "nanosecs", false, 999999999, &ns)) < 0)
		return r;
	t->nanosecs = (uint32_t)ns;
	return 0;
}

static int parse_linux(struct pctx *c, yajl_val v, void *elem)
{
	struct spec_linux *l = elem;
	int r;

	if ((r = get_id_mappings(c, v, "uidMappings", &l->uid_mappings, &l->n_uid_mappings)) < 0 ||
	    (r = get_id_mappings(c, v, "gidMappings", &l->gid_mappings, &l->n_gid_mappings)) < 0 ||
	    (r = get_map(c, v, "sysctl", sizeof(*l->sysctl), entry_kv, (void **)&l->sysctl,
			 &l->n_sysctl)) < 0 ||
	    (r = get_object(c, v, "resources", sizeof(*l->resources), parse_resources,
			    (void **)&l->resources)) < 0 ||
	    (r = get_str(c, v, "cgroupsPath", false, &l->cgroups_path)) < 0 ||
	    (r = get_array(c, v, "namespaces", sizeof(*l->namespaces), "an array of objects",
			   parse_namespace_elem, (void **)&l->namespaces, &l->n_namespaces)) < 0 ||
	    (r = get_array(c, v, "devices", sizeof(*l->devices), "an array of objects",
			   parse_device_elem, (void **)&l->devices, &l->n_devices)) < 0 ||
	    (r = get_map(c, v, "netDevices", sizeof(*l->net_devices), entry_net_device,
			 (void **)&l->net_devices, &l->n_net_devices)) < 0 ||
	    (r = get_object(c, v, "seccomp", sizeof(*l->seccomp), parse_seccomp,
			    (void **)&l->seccomp)) < 0 ||
	    (r = get_str(c, v, "rootfsPropagation", false, &l->rootfs_propagation)) < 0 ||
	    (r = get_array(c, v, "maskedPaths", sizeof(char *), "an array of strings",
			   elem_abs_path, (void **)&l->masked_paths, &l->n_masked_paths)) < 0 ||
	    (r = get_array(c, v, "readonlyPaths", sizeof(char *), "an array of strings",
			   elem_abs_path, (void **)&l->readonly_paths, &l->n_readonly_paths)) < 0 ||
	    (r = get_str(c, v, "mountLabel", false, &l->mount_label)) < 0 ||
	    (r = get_object(c, v, "intelRdt", sizeof(*l->intel_rdt), parse_intel_rdt,
			    (void **)&l->intel_rdt)) < 0 ||
	    (r = get_object(c, v, "memoryPolicy", sizeof(*l->memory_policy), parse_memory_policy,
			    (void **)&l->memory_policy)) < 0 ||
	    (r = get_object(c, v, "personality", sizeof(*l->personality), parse_personality,
			    (void **)&l->personality)) < 0 ||
	    (r = get_map(c, v, "timeOffsets", sizeof(*l->time_offsets), entry_time_offset,
			 (void **)&l->time_offsets, &l->n_time_offsets)) < 0)
		return r;
	if (l->cgroups_path && l->cgroups_path[0] == '\0')
		l->cgroups_path = NULL;
	if (l->rootfs_propagation && l->rootfs_propagation[0] == '\0')
		l->rootfs_propagation = NULL;
	return 0;
}

/* ---- top level ---- */

static int parse_top(struct pctx *c, yajl_val v, struct spec *s)
{
	int r;

	if ((r = get_str(c, v, "ociVersion", true, &s->oci_version)) < 0 ||
	    (r = get_object(c, v, "process", sizeof(*s->process), parse_process_obj,
			    (void **)&s->process)) < 0 ||
	    (r = get_object(c, v, "root", sizeof(*s->root), parse_root, (void **)&s->root)) < 0 ||
	    (r = get_str(c, v, "hostname", false, &s->hostname)) < 0 ||
	    (r = get_str(c, v, "domainname", false, &s->domainname)) < 0 ||
	    (r = get_array(c, v, "mounts", sizeof(*s->mounts), "an array of objects",
			   parse_mount_elem, (void **)&s->mounts, &s->n_mounts)) < 0 ||
	    (r = get_object(c, v, "hooks", sizeof(*s->hooks), parse_hooks, (void **)&s->hooks)) <
		0 ||
	    (r = get_map(c, v, "annotations", sizeof(*s->annotations), entry_annotation,
			 (void **)&s->annotations, &s->n_annotations)) < 0 ||
	    (r = get_object(c, v, "linux", sizeof(*s->linux_), parse_linux, (void **)&s->linux_)) <
		0)
		return r;
	/* Go's zero value: an empty hostname is no hostname. */
	if (s->hostname && s->hostname[0] == '\0')
		s->hostname = NULL;
	if (s->domainname && s->domainname[0] == '\0')
		s->domainname = NULL;
	return 0;
}

/* ---- JSON text -> yajl tree ---- */

static void line_col(const char *json, size_t off, size_t *line, size_t *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < off; i++) {
		if (json[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

/* yajl_tree_parse() reports no position; run the event parser (no callbacks) to learn the
 * offset where it stopped.  Only on the error path. */
static size_t error_offset(const char *json, size_t len)
{
	yajl_handle h = yajl_alloc(NULL, NULL, NULL);
	size_t off = len;

	if (!h)
		return len;
	yajl_config(h, yajl_allow_comments, 1); /* as yajl_tree_parse() */
	/* The count includes the offending byte: point at it. */
	if (yajl_parse(h, (const unsigned char *)json, len) != yajl_status_ok) {
		off = yajl_get_bytes_consumed(h);
		off -= off > 0;
	}
	yajl_free(h);
	return off;
}

/* yajl decodes "\u0000" into the string, where a C string silently ends: refuse it, as runc
 * refuses NUL bytes in mount fields. */
static const char *find_escaped_nul(const char *json, size_t len)
{
	for (const char *p = json; (p = memmem(p, len - (size_t)(p - json), "\\u0000", 6));
	     p += 6) {
		size_t backslashes = 0;
		for (const char *q = p; q > json && q[-1] == '\\'; q--)
			backslashes++;
		if (backslashes % 2 == 0)
			return p;
	}
	return NULL;
}

static void cleanup_yajl_tree(yajl_val *v)
{
	if (*v)
		yajl_tree_free(*v);
}

static int json_error(const char *name, const char *json, size_t off, const char *msg,
		      struct herr *err)
{
	size_t line, col;

	line_col(json, off, &line, &col);
	return herr_set(err, -EINVAL, "%s: invalid JSON: %s at line %zu, column %zu", name, msg,
			line, col);
}

static bool is_blank(const char *json, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (!strchr(" \t\r\n", json[i]) || json[i] == '\0')
			return false;
	}
	return true;
}

static int parse_tree(const char *json, size_t len, const char *name, yajl_val *out,
		      struct herr *err)
{
	_cleanup_free_ char *buf = NULL;
	const char *nul;
	char msg[1024];
	yajl_val tree;

	if (is_blank(json, len))
		return herr_set(err, -EINVAL, "%s: file is empty", name);
	nul = memchr(json, '\0', len);
	if (nul)
		return json_error(name, json, (size_t)(nul - json), "NUL byte", err);
	nul = find_escaped_nul(json, len);
	if (nul)
		return json_error(name, json, (size_t)(nul - json), "\\u0000 in a string", err);
	/* The tree parser wants a NUL-terminated string; the caller's buffer need not be. */
	buf = malloc(len + 1);
	if (!buf)
		return herr_errno(err, ENOMEM, "%s", name);
	memcpy(buf, json, len);
	buf[len] = '\0';
	msg[0] = '\0';
	tree = yajl_tree_parse(buf, msg, sizeof(msg));
	if (!tree) {
		/* yajl's message is "parse error: ...\n<context>\n<arrow>": keep the first line. */
		msg[strcspn(msg, "\n")] = '\0';
		while (strlen(msg) && strchr(" .", msg[strlen(msg) - 1]))
			msg[strlen(msg) - 1] = '\0';
		return json_error(name, buf, error_offset(buf, len), msg[0] ? msg : "parse error",
				  err);
	}
	if (!YAJL_IS_OBJECT(tree)) {
		int r =
		    herr_set(err, -EINVAL, "%s: expected a JSON object at the top level, got %s",
			     name, type_name(tree));
		yajl_tree_free(tree);
		return r;
	}
	*out = tree;
	return 0;
}

/* ---- API ---- */

void spec_free(struct spec *spec)
{
	if (spec)
		arena_free(spec->arena);
}

int spec_parse(const char *json, size_t len, const char *name, struct spec **out, struct herr *err)
{
	_cleanup_(cleanup_yajl_tree) yajl_val tree = NULL;
	struct pctx c = {.name = name, .err = err};
	struct arena *arena;
	struct spec *s;
	int r;

	r = parse_tree(json, len, name, &tree, err);
	if (r < 0)
		return r;
	arena = arena_new();
	if (!arena)
		return herr_errno(err, ENOMEM, "%s", name);
	s = arena_alloc(arena, sizeof(*s));
	if (!s) {
		arena_free(arena);
		return herr_errno(err, ENOMEM, "%s", name);
	}
	s->arena = arena;
	c.arena = arena;
	r = parse_top(&c, tree, s);
	if (r >= 0)
		r = spec_validate(s, name, err);
	if (r < 0) {
		spec_free(s);
		return r;
	}
	*out = s;
	return 0;
}

int spec_parse_process(const char *json, size_t len, const char *name, struct spec_process **out,
		       struct arena *arena, struct herr *err)
{
	_cleanup_(cleanup_yajl_tree) yajl_val tree = NULL;
	struct pctx c = {.name = name, .err = err, .arena = arena};
	struct spec_process *p;
	int r;

	r = parse_tree(json, len, name, &tree, err);
	if (r < 0)
		return r;
	p = arena_alloc(arena, sizeof(*p));
	if (!p)
		return herr_errno(err, ENOMEM, "%s", name);
	r = parse_process_obj(&c, tree, p);
	if (r < 0)
		return r;
	*out = p;
	return 0;
}

int spec_parse_resources(const char *json, size_t len, const char *name,
			 struct spec_resources **out, struct arena *arena, struct herr *err)
{
	_cleanup_(cleanup_yajl_tree) yajl_val tree = NULL;
	struct pctx c = {.name = name, .err = err, .arena = arena};
	struct spec_resources *res;
	int r;

	r = parse_tree(json, len, name, &tree, err);
	if (r < 0)
		return r;
	res = arena_alloc(arena, sizeof(*res));
	if (!res)
		return herr_errno(err, ENOMEM, "%s", name);
	if ((r = check_object(&c, tree)) < 0 || (r = parse_resources(&c, tree, res)) < 0)
		return r;
	*out = res;
	return 0;
}

int spec_load_bundle(const char *bundle, struct spec **out, struct herr *err)
{
	_cleanup_free_ char *path = NULL;
	_cleanup_free_ char *json = NULL;
	size_t len = 0;
	int r;

	if (asprintf(&path, "%s/config.json", bundle) < 0) {
		path = NULL;
		return herr_errno(err, ENOMEM, "%s", bundle);
	}
	r = read_file_at(AT_FDCWD, path, &json, &len, err);
	if (r < 0)
		return r;
	return spec_parse(json, len, "config.json", out, err);
}
