/* Checks that need more than one field of config.json: namespaces against the fields that
 * need them (id mappings, hostname, sysctl, ...), duplicates, cross-field rules of the
 * runtime-spec, and the rules runc applies in libcontainer/configs/validate.  Single-field
 * checks (types, ranges, names) are done while parsing (parse.c). */
#include "spec/spec.h"

#include <errno.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define SPEC_MPOL_DEFAULT 0
#define SPEC_MPOL_PREFERRED 1
#define SPEC_MPOL_LOCAL 4
#define SPEC_MPOL_F_STATIC_NODES (1u << 15)
#define SPEC_MPOL_F_RELATIVE_NODES (1u << 14)

struct vctx {
	const struct spec *spec;
	const char *name;
	struct herr *err;
};

static int verr(struct vctx *v, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int verr(struct vctx *v, const char *path, const char *fmt, ...)
{
	char msg[HERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return herr_set(v->err, -EINVAL, "%s: %s: %s", v->name, path, msg);
}

static bool has_ns(struct vctx *v, enum spec_ns_type t)
{
	return spec_find_ns(v->spec, t) != NULL;
}

/* ---- ociVersion: SemVer 2.0.0 ---- */

/* A dot-separated list of [0-9A-Za-z-]+ identifiers; numeric ones without leading zeros when
 * `numeric_rule` (pre-release).  Returns the end of the list or NULL. */
static const char *semver_idents(const char *s, bool numeric_rule)
{
	for (;;) {
		size_t n =
		    strspn(s, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-");
		if (n == 0)
			return NULL;
		if (numeric_rule && strspn(s, "0123456789") == n && n > 1 && s[0] == '0')
			return NULL;
		s += n;
		if (*s != '.')
			return s;
		s++;
	}
}

static bool valid_semver(const char *s)
{
	for (int i = 0; i < 3; i++) {
		size_t n = strspn(s, "0123456789");
		if (n == 0 || (n > 1 && s[0] == '0'))
			return false;
		s += n;
		if (i < 2 && *s++ != '.')
			return false;
	}
	if (*s == '-' && !(s = semver_idents(s + 1, true)))
		return false;
	if (*s == '+' && !(s = semver_idents(s + 1, false)))
		return false;
	return *s == '\0';
}

static int check_version(struct vctx *v)
{
	/* config.md: ociVersion "MUST be in SemVer v2.0.0 format"; runc accepts anything. */
	if (!v->spec->oci_version)
		return herr_set(v->err, -EINVAL, "%s: ociVersion: required field missing", v->name);
	if (!valid_semver(v->spec->oci_version))
		return verr(v, "ociVersion",
			    "expected a SemVer 2.0.0 version such as \"1.3.0\", got \"%s\"",
			    v->spec->oci_version);
	return 0;
}

/* ---- namespaces and what needs them ---- */

static int check_namespaces(struct vctx *v)
{
	const struct spec_linux *l = v->spec->linux_;

	if (!l)
		return 0;
	for (size_t i = 0; i < l->n_namespaces; i++) {
		for (size_t j = 0; j < i; j++) {
			if (l->namespaces[i].type == l->namespaces[j].type) {
				char path[64];
				snprintf(path, sizeof(path), "linux.namespaces[%zu]", i);
				return verr(v, path, "duplicate namespace \"%s\"",
					    spec_ns_name(l->namespaces[i].type));
			}
		}
	}
	return 0;
}

static int check_user_ns(struct vctx *v)
{
	const struct spec_linux *l = v->spec->linux_;
	const struct spec_namespace *userns = spec_find_ns(v->spec, SPEC_NS_USER);

	if (!l)
		return 0;
	if (!userns) {
		if (l->uid_mappings)
			return verr(v, "linux.uidMappings",
				    "needs a user namespace in linux.namespaces");
		if (l->gid_mappings)
			return verr(v, "linux.gidMappings",
				    "needs a user namespace in linux.namespaces");
		return 0;
	}
	if (userns->path)
		return 0; /* the joined namespace brings its own mappings */
	if (l->n_uid_mappings == 0)
		return verr(v, "linux.uidMappings", "required when creating a user namespace");
	if (l->n_gid_mappings == 0)
		return verr(v, "linux.gidMappings", "required when creating a user namespace");
	return 0;
}

static int check_time_ns(struct vctx *v)
{
	const struct spec_linux *l = v->spec->linux_;
	const struct spec_namespace *timens = spec_find_ns(v->spec, SPEC_NS_TIME);

	if (!l || !l->time_offsets)
		return 0;
	if (!timens)
		return verr(v, "linux.timeOffsets", "needs a time namespace in linux.namespaces");
	if (timens->path)
		return verr(v, "linux.timeOffsets",
			    "cannot be set when joining a time namespace by path");
	return 0;
}

static int check_uts(struct vctx *v)
{
	if (has_ns(v, SPEC_NS_UTS))
		return 0;
	if (v->spec->hostname)
		return verr(v, "hostname", "needs a uts namespace in linux.namespaces");
	if (v->spec->domainname)
		return verr(v, "domainname", "needs a uts namespace in linux.namespaces");
	return 0;
}

static int check_mount_ns(struct vctx *v)
{
	const struct spec_linux *l = v->spec->linux_;

	/* As runc: masking or remounting /proc and /sys without a private mount namespace
	 * would do it on the host. */
	if (!l || has_ns(v, SPEC_NS_MOUNT))
		return 0;
	if (l->n_masked_paths)
		return verr(v, "linux.maskedPaths", "needs a mount namespace in linux.namespaces");
	if (l->n_readonly_paths)
		return verr(v, "linux.readonlyPaths",
			    "needs a mount namespace in linux.namespaces");
	return 0;
}

/* ---- sysctl ---- */

/* sysctl.d(5): "/" may separate the components instead of "."; then "." is literal. */
static void sysctl_dotted(const char *key, char *out, size_t size)
{
	size_t sep = strcspn(key, "./");
	bool swap = key[sep] == '/';
	size_t i;

	for (i = 0; key[i] && i + 1 < size; i++) {
		char ch = key[i];
		if (swap && (ch == '.' || ch == '/'))
			ch = ch == '.' ? '/' : '.';
		out[i] = ch;
	}
	out[i] = '\0';
}

/* Joining a network namespace by path can mean joining the host's own. */
static bool is_host_netns(const char *path)
{
	struct stat self, other;

	if (stat("/proc/self/ns/net", &self) < 0 || stat(path, &other) < 0)
		return false; /* a bad path is reported when it is opened */
	return self.st_dev == other.st_dev && self.st_ino == other.st_ino;
}

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* IPC namespace sysctls (ipc/ipc_sysctl.c, ipc/mq_sysctl.c). */
static bool ipc_sysctl(const char *key)
{
	static const char *const ipc_keys[] = {
	    "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
	    "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced",
	};

	for (size_t i = 0; i < sizeof(ipc_keys) / sizeof(ipc_keys[0]); i++) {
		if (strcmp(key, ipc_keys[i]) == 0)
			return true;
	}
	return starts_with(key, "fs.mqueue.");
}

static int check_sysctl_key(struct vctx *v, const char *raw)
{
	const struct spec_namespace *netns;
	char key[512], path[600];

	sysctl_dotted(raw, key, sizeof(key));
	snprintf(path, sizeof(path), "linux.sysctl[\"%s\"]", raw);
	if (ipc_sysctl(key)) {
		if (!has_ns(v, SPEC_NS_IPC))
			return verr(v, path, "needs an ipc namespace in linux.namespaces");
		return 0;
	}
	if (starts_with(key, "net.")) {
		netns = spec_find_ns(v->spec, SPEC_NS_NETWORK);
		if (!netns || (netns->path && is_host_netns(netns->path)))
			return verr(v, path, "not allowed in the host network namespace");
		return 0;
	}
	if (has_ns(v, SPEC_NS_UTS)) {
		if (strcmp(key, "kernel.domainname") == 0)
			return 0;
		if (strcmp(key, "kernel.hostname") == 0)
			return verr(v, path, "conflicts with the \"hostname\" field, use that");
	}
	if (starts_with(key, "user.")) {
		if (!has_ns(v, SPEC_NS_USER))
			return verr(v, path, "needs a user namespace in linux.namespaces");
		return 0;
	}
	return verr(v, path, "not in a separate kernel namespace: it would change the host");
}

static int check_sysctl(struct vctx *v)
{
	const struct spec_linux *l = v->spec->linux_;

	for (size_t i = 0; l && i < l->n_sysctl; i++) {
		int r = check_sysctl_key(v, l->sysctl[i].key);
		if (r < 0)
			return r;
	}
	return 0;
}

/* ---- linux.* fields with rules of their own ---- */

/* net/core/dev.c dev_valid_name() */
static bool valid_ifname(const char *name)
{
	return name[0] && strlen(name) < IFNAMSIZ && strcmp(name, ".") && strcmp(name, "..") &&
	       !strpbrk(name, "/: \t\n");
}

static int check_net_devices(struct vctx *v)
{
	const struct spec_linux *l = v->spec->linux_;
	char path[600];

	if (!l || l->n_net_devices == 0)
		return 0;
	if (!has_ns(v, SPEC_NS_NETWORK))
		return verr(v, "linux.netDevices", "needs a network namespace in linux.namespaces");
	for (size_t i = 0; i < l->n_net_devices; i++) {
		const struct spec_net_device *nd = &l->net_devices[i];
		snprintf(path, sizeof(path), "linux.netDevices[\"%s\"]", nd->host_name);
		if (!valid_ifname(nd->host_name))
			return verr(v, path, "invalid network device name");
		if (nd->name && !valid_ifname(nd->name)) {
			snprintf(path, sizeof(path), "linux.netDevices[\"%s\"].name",
				 nd->host_name);
			return verr(v, path, "invalid network device name \"%s\"", nd->name);
		}
	}
	return 0;
}

static int check_rootfs_propagation(struct vctx *v)
{
	static const char *const modes[] = {"shared",  "slave",	 "private",  "unbindable",
					    "rshared", "rslave", "rprivate", "runbindable"};
	const struct spec_linux *l = v->spec->linux_;

	if (!l || !l->rootfs_propagation)
		return 0;
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		if (strcmp(l->rootfs_propagation, modes[i]) == 0)
			return 0;
	}
	return verr(v, "linux.rootfsPropagation",
		    "unknown propagation \"%s\" (expected [r]shared, [r]slave, [r]private or "
		    "[r]unbindable)",
		    l->rootfs_propagation);
}

/* "0-3,7": returns the number of nodes, or -1 when malformed. */
static long count_nodes(const char *s)
{
	long count = 0;

	if (!s || !*s)
		return 0;
	for (;;) {
		char *end;
		unsigned long lo, hi;

		if (*s < '0' || *s > '9')
			return -1;
		lo = hi = strtoul(s, &end, 10);
		s = end;
		if (*s == '-') {
			if (s[1] < '0' || s[1] > '9')
				return -1;
			hi = strtoul(s + 1, &end, 10);
			s = end;
			if (hi < lo)
				return -1;
		}
		count += (long)(hi - lo + 1);
		if (*s == '\0')
			return count;
		if (*s++ != ',')
			return -1;
	}
}

static int check_memory_policy(struct vctx *v)
{
	const struct spec_memory_policy *mp =
	    v->spec->linux_ ? v->spec->linux_->memory_policy : NULL;
	long nodes;

	if (!mp)
		return 0;
	nodes = count_nodes(mp->nodes);
	if (nodes < 0)
		return verr(v, "linux.memoryPolicy.nodes",
			    "expected a node list such as \"0-3,7\", got \"%s\"", mp->nodes);
	/* set_mempolicy(2): DEFAULT and LOCAL take no nodes; PREFERRED zero or more; the others
	 * at least one. */
	if ((mp->mode_num == SPEC_MPOL_DEFAULT || mp->mode_num == SPEC_MPOL_LOCAL) && nodes > 0)
		return verr(v, "linux.memoryPolicy.nodes", "must be empty with mode %s", mp->mode);
	if (mp->mode_num != SPEC_MPOL_DEFAULT && mp->mode_num != SPEC_MPOL_LOCAL &&
	    mp->mode_num != SPEC_MPOL_PREFERRED && nodes == 0)
		return verr(v, "linux.memoryPolicy.nodes", "mode %s needs at least one node",
			    mp->mode);
	if ((mp->flags_mask & SPEC_MPOL_F_STATIC_NODES) &&
	    (mp->flags_mask & SPEC_MPOL_F_RELATIVE_NODES))
		return verr(v, "linux.memoryPolicy.flags",
			    "MPOL_F_STATIC_NODES and MPOL_F_RELATIVE_NODES exclude each other");
	return 0;
}

static int check_intel_rdt(struct vctx *v)
{
	const struct spec_intel_rdt *rdt = v->spec->linux_ ? v->spec->linux_->intel_rdt : NULL;
	char path[64];

	if (!rdt)
		return 0;
	/* closID names a directory under the resctrl root; "/" alone means the root. */
	if (rdt->clos_id && (!strcmp(rdt->clos_id, ".") || !strcmp(rdt->clos_id, "..") ||
			     (strlen(rdt->clos_id) > 1 && strchr(rdt->clos_id, '/'))))
		return verr(v, "linux.intelRdt.closID", "invalid CLOS id \"%s\"", rdt->clos_id);
	if (rdt->mem_bw_schema && strncmp(rdt->mem_bw_schema, "MB:", 3) != 0)
		return verr(v, "linux.intelRdt.memBwSchema", "must start with \"MB:\"");
	if (rdt->mem_bw_schema && strchr(rdt->mem_bw_schema, '\n'))
		return verr(v, "linux.intelRdt.memBwSchema", "must not contain newlines");
	for (size_t i = 0; i < rdt->n_schemata; i++) {
		if (strchr(rdt->schemata[i], '\n')) {
			snprintf(path, sizeof(path), "linux.intelRdt.schemata[%zu]", i);
			return verr(v, path, "must not contain newlines");
		}
	}
	return 0;
}

static int check_seccomp(struct vctx *v)
{
	const struct spec_seccomp *sc = v->spec->linux_ ? v->spec->linux_->seccomp : NULL;
	char path[64];

	if (!sc)
		return 0;
	if (sc->default_action == SPEC_SCMP_ACT_NOTIFY)
		return verr(v, "linux.seccomp.defaultAction",
			    "SCMP_ACT_NOTIFY cannot be the default action");
	for (size_t i = 0; i < sc->n_syscalls; i++) {
		if (sc->syscalls[i].action == SPEC_SCMP_ACT_NOTIFY && !sc->listener_path) {
			snprintf(path, sizeof(path), "linux.seccomp.syscalls[%zu].action", i);
			return verr(v, path, "SCMP_ACT_NOTIFY needs linux.seccomp.listenerPath");
		}
	}
	return 0;
}

int spec_validate(const struct spec *spec, const char *name, struct herr *err)
{
	static int (*const checks[])(struct vctx *) = {
	    check_version,	 check_namespaces,  check_user_ns,
	    check_time_ns,	 check_uts,	    check_mount_ns,
	    check_sysctl,	 check_net_devices, check_rootfs_propagation,
	    check_memory_policy, check_intel_rdt,   check_seccomp,
	};
	struct vctx v = {.spec = spec, .name = name, .err = err};

	/* runc: "process property must not be empty", "root must be specified". */
	if (!spec->process)
		return herr_set(err, -EINVAL, "%s: process: required field missing", name);
	if (!spec->root)
		return herr_set(err, -EINVAL, "%s: root: required field missing", name);
	for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
		int r = checks[i](&v);
		if (r < 0)
			return r;
	}
	return 0;
}
