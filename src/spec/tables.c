/* Name tables shared by every layer: namespace types and hook kinds. */
#include "spec/spec.h"

#include <sched.h>
#include <stddef.h>

#include "util/cleanup.h"

#ifndef CLONE_NEWCGROUP
#define CLONE_NEWCGROUP 0x02000000
#endif
#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080 /* Linux 5.6; shares its bit with CSIGNAL, unshare/setns only */
#endif

static const struct {
	const char *name; /* runtime-spec spelling */
	int clone_flag;
} ns_table[SPEC_NS_NTYPES] = {
    [SPEC_NS_PID] = {"pid", CLONE_NEWPID},	    [SPEC_NS_NETWORK] = {"network", CLONE_NEWNET},
    [SPEC_NS_MOUNT] = {"mount", CLONE_NEWNS},	    [SPEC_NS_IPC] = {"ipc", CLONE_NEWIPC},
    [SPEC_NS_UTS] = {"uts", CLONE_NEWUTS},	    [SPEC_NS_USER] = {"user", CLONE_NEWUSER},
    [SPEC_NS_CGROUP] = {"cgroup", CLONE_NEWCGROUP}, [SPEC_NS_TIME] = {"time", CLONE_NEWTIME},
};

static const char *const hook_names[SPEC_HOOK_NKINDS] = {
    [SPEC_HOOK_PRESTART] = "prestart",
    [SPEC_HOOK_CREATE_RUNTIME] = "createRuntime",
    [SPEC_HOOK_CREATE_CONTAINER] = "createContainer",
    [SPEC_HOOK_START_CONTAINER] = "startContainer",
    [SPEC_HOOK_POSTSTART] = "poststart",
    [SPEC_HOOK_POSTSTOP] = "poststop",
};

const char *spec_ns_name(enum spec_ns_type type)
{
	if ((unsigned)type >= ARRAY_SIZE(ns_table))
		return NULL;
	return ns_table[type].name;
}

int spec_ns_clone_flag(enum spec_ns_type type)
{
	if ((unsigned)type >= ARRAY_SIZE(ns_table))
		return 0;
	return ns_table[type].clone_flag;
}

const struct spec_namespace *spec_find_ns(const struct spec *spec, enum spec_ns_type type)
{
	if (!spec || !spec->linux_)
		return NULL;
	for (size_t i = 0; i < spec->linux_->n_namespaces; i++) {
		if (spec->linux_->namespaces[i].type == type)
			return &spec->linux_->namespaces[i];
	}
	return NULL;
}

const char *spec_hook_name(enum spec_hook_kind kind)
{
	if ((unsigned)kind >= ARRAY_SIZE(hook_names))
		return NULL;
	return hook_names[kind];
}
