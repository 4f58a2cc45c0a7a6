/* husk features: the runtime-spec "features" document (features.md, features-linux.md), as
 * `runc features` prints it.  Every list comes from the table husk itself uses, so the output
 * cannot claim what husk does not do. */
#include "cmd/args.h"

#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linux/caps.h"
#include "linux/lsm.h"
#include "linux/mount.h"
#include "linux/seccomp.h"
#include "spec/spec.h"
#include "util/cleanup.h"
#include "util/json.h"

static const struct option features_options[] = {
	{ NULL, 0, NULL, 0 },
};

static void features_strings(yajl_gen g, const char *key, const char *(*at)(size_t))
{
	const char *s;

	json_key(g, key);
	yajl_gen_array_open(g);
	for (size_t i = 0; (s = at(i)); i++)
		yajl_gen_string(g, (const unsigned char *)s, strlen(s));
	yajl_gen_array_close(g);
}

static const char *hook_at(size_t i)
{
	return i < SPEC_HOOK_NKINDS ? spec_hook_name((enum spec_hook_kind)i) : NULL;
}

static const char *ns_at(size_t i)
{
	return i < SPEC_NS_NTYPES ? spec_ns_name((enum spec_ns_type)i) : NULL;
}

/* { "enabled": value } */
static void features_enabled(yajl_gen g, const char *key, bool value)
{
	json_key(g, key);
	yajl_gen_map_open(g);
	json_key_bool(g, "enabled", value);
	yajl_gen_map_close(g);
}

static void features_capabilities(yajl_gen g)
{
	json_key(g, "capabilities");
	yajl_gen_array_open(g);
	/* capability numbers are bits of a 64-bit set */
	for (int cap = 0; cap < 64; cap++) {
		char *name = caps_name(cap);
		if (name)
			yajl_gen_string(g, (const unsigned char *)name, strlen(name));
		free(name);
	}
	yajl_gen_array_close(g);
}

static void features_seccomp(yajl_gen g)
{
	const char *s;
	bool ok;

	json_key(g, "seccomp");
	yajl_gen_map_open(g);
	json_key_bool(g, "enabled", true);
	features_strings(g, "actions", seccomp_action_at);
	features_strings(g, "operators", spec_seccomp_op_at);
	json_key(g, "archs");
	yajl_gen_array_open(g);
	for (size_t i = 0; (s = seccomp_arch_at(i, &ok)); i++)
		if (ok)
			yajl_gen_string(g, (const unsigned char *)s, strlen(s));
	yajl_gen_array_close(g);
	for (int supported = 0; supported < 2; supported++) {
		json_key(g, supported ? "supportedFlags" : "knownFlags");
		yajl_gen_array_open(g);
		for (size_t i = 0; (s = seccomp_flag_at(i, &ok)); i++)
			if (ok || !supported)
				yajl_gen_string(g, (const unsigned char *)s, strlen(s));
		yajl_gen_array_close(g);
	}
	yajl_gen_map_close(g);
}

static void features_linux(yajl_gen g)
{
	json_key(g, "linux");
	yajl_gen_map_open(g);
	features_strings(g, "namespaces", ns_at);
	features_capabilities(g);
	json_key(g, "cgroup");
	yajl_gen_map_open(g);
	json_key_bool(g, "v1", true);
	json_key_bool(g, "v2", true);
	json_key_bool(g, "systemd", false);
	json_key_bool(g, "systemdUser", false);
	json_key_bool(g, "rdma", true);
	yajl_gen_map_close(g);
	features_seccomp(g);
	/* "whether the runtime supports" the module, not whether the host has it enabled: husk
	 * applies AppArmor profiles; SELinux mount labels it does not apply, so no SELinux */
	features_enabled(g, "apparmor", true);
	features_enabled(g, "selinux", false);
	features_enabled(g, "intelRdt", false);
	json_key(g, "mountExtensions");
	yajl_gen_map_open(g);
	features_enabled(g, "idmap", true);
	yajl_gen_map_close(g);
	features_enabled(g, "netDevices", true);
	yajl_gen_map_close(g);
}

CMD_DECLARE(features)
{
	const struct scmp_version *v = seccomp_version();
	_cleanup_free_ char *text = NULL;
	char libseccomp[32];
	yajl_gen j;
	int r;

	(void)g;
	optind = 0;
	if (getopt_long(argc, argv, "+", features_options, NULL) != -1)
		return args_bad_flag("features", argc, argv, err);
	r = cmd_require_args("features", argc - optind, 0, 0, err);
	if (r < 0)
		return r;
	j = json_gen_new(true);
	if (!j)
		return herr_set(err, -ENOMEM, "out of memory");
	yajl_gen_map_open(j);
	json_key_str(j, "ociVersionMin", "1.0.0");
	json_key_str(j, "ociVersionMax", HUSK_SPEC_VERSION);
	features_strings(j, "hooks", hook_at);
	features_strings(j, "mountOptions", mount_opt_name_at);
	features_linux(j);
	json_key(j, "annotations");
	yajl_gen_map_open(j);
	snprintf(libseccomp, sizeof(libseccomp), "%u.%u.%u", v->major, v->minor, v->micro);
	json_key_str(j, "io.github.seccomp.libseccomp.version", libseccomp);
	yajl_gen_map_close(j);
	yajl_gen_map_close(j);
	text = json_gen_take(j, NULL);
	if (!text)
		return herr_set(err, -ENOMEM, "out of memory");
	printf("%s\n", text);
	return 0;
}
