#include "linux/namespaces.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "util/cleanup.h"

/* Namespaces that setns() only applies to children of the caller. */
static bool ns_for_children(enum spec_ns_type t)
{
	return t == SPEC_NS_PID || t == SPEC_NS_TIME;
}

static int ns_open_path(const struct spec_namespace *ns, size_t idx, struct herr *err)
{
	int fd = open(ns->path, O_RDONLY | O_CLOEXEC);
	int type;

	if (fd < 0)
		return herr_sys(err, "linux.namespaces[%zu].path: open %s", idx, ns->path);
	type = ioctl(fd, NS_GET_NSTYPE);
	if (type < 0 || type != spec_ns_clone_flag(ns->type)) {
		close(fd);
		return herr_set(err, -EINVAL, "linux.namespaces[%zu].path: %s is not a %s namespace",
				idx, ns->path, spec_ns_name(ns->type));
	}
	return fd;
}

int ns_plan_build(const struct spec *spec, struct ns_plan *plan, struct herr *err)
{
	const struct spec_linux *l = spec->linux_;
	bool joined_other = false;
	int new_flags = 0;

	*plan = (struct ns_plan){ .parent_saved = { -1, -1 } };
	for (int t = 0; t < SPEC_NS_NTYPES; t++)
		plan->join_fd[t] = -1;
	for (size_t i = 0; l && i < l->n_namespaces; i++) {
		const struct spec_namespace *ns = &l->namespaces[i];
		if (!ns->path) {
			new_flags |= spec_ns_clone_flag(ns->type);
			continue;
		}
		int fd = ns_open_path(ns, i, err);
		if (fd < 0) {
			ns_plan_close(plan);
			return fd;
		}
		plan->join_fd[ns->type] = fd;
		if (ns->type != SPEC_NS_USER && !ns_for_children(ns->type))
			joined_other = true;
	}
	plan->new_user = new_flags & CLONE_NEWUSER;
	/* clone() creates every new namespace at once, owned by the caller's user namespace.
	 * That is right unless the container's user namespace is joined, or is new while other
	 * namespaces are joined (those must be entered with the host's privileges first), or
	 * time offsets must be written before the first process enters a new time namespace. */
	if (plan->join_fd[SPEC_NS_USER] >= 0 || (plan->new_user && joined_other) ||
	    ((new_flags & CLONE_NEWTIME) && l->n_time_offsets)) {
		plan->unshare_flags = new_flags;
		plan->fork_after_unshare = new_flags & (CLONE_NEWPID | CLONE_NEWTIME);
	} else {
		plan->clone_flags = new_flags;
	}
	/* A new cgroup namespace takes the cgroup its creator is in as its root: the init
	 * creates it only after the parent has moved it into the container's cgroup. */
	if (plan->clone_flags & CLONE_NEWCGROUP) {
		plan->clone_flags &= ~CLONE_NEWCGROUP;
		plan->unshare_flags |= CLONE_NEWCGROUP;
	}
	return 0;
}

int ns_plan_join_parent(struct ns_plan *plan, struct herr *err)
{
	static const char *const self[] = { "/proc/self/ns/pid_for_children",
					     "/proc/self/ns/time_for_children" };
	static const enum spec_ns_type types[] = { SPEC_NS_PID, SPEC_NS_TIME };

	for (size_t i = 0; i < ARRAY_SIZE(types); i++) {
		int fd = plan->join_fd[types[i]];
		if (fd < 0)
			continue;
		plan->parent_saved[i] = open(self[i], O_RDONLY | O_CLOEXEC);
		if (plan->parent_saved[i] < 0)
			return herr_sys(err, "open %s", self[i]);
		if (setns(fd, spec_ns_clone_flag(types[i])) < 0)
			return herr_sys(err, "join %s namespace", spec_ns_name(types[i]));
	}
	return 0;
}

int ns_plan_restore_parent(struct ns_plan *plan, struct herr *err)
{
	for (size_t i = 0; i < ARRAY_SIZE(plan->parent_saved); i++) {
		if (plan->parent_saved[i] < 0)
			continue;
		if (setns(plan->parent_saved[i], 0) < 0)
			return herr_sys(err, "return to the runtime's namespaces");
		close(plan->parent_saved[i]);
		plan->parent_saved[i] = -1;
	}
	return 0;
}

int ns_plan_join_child(const struct ns_plan *plan, struct herr *err)
{
	if (plan->join_fd[SPEC_NS_USER] >= 0 && setns(plan->join_fd[SPEC_NS_USER], CLONE_NEWUSER))
		return herr_sys(err, "join user namespace");
	for (int t = 0; t < SPEC_NS_NTYPES; t++) {
		if (plan->join_fd[t] < 0 || t == SPEC_NS_USER || ns_for_children(t))
			continue;
		if (setns(plan->join_fd[t], spec_ns_clone_flag(t)) < 0)
			return herr_sys(err, "join %s namespace", spec_ns_name(t));
	}
	if (plan->unshare_flags && unshare(plan->unshare_flags) < 0)
		return herr_sys(err, "unshare namespaces");
	return 0;
}

void ns_plan_close(struct ns_plan *plan)
{
	for (int t = 0; t < SPEC_NS_NTYPES; t++)
		cleanup_closep(&plan->join_fd[t]);
	for (size_t i = 0; i < ARRAY_SIZE(plan->parent_saved); i++)
		cleanup_closep(&plan->parent_saved[i]);
	for (int t = 0; t < SPEC_NS_NTYPES; t++)
		plan->join_fd[t] = -1;
	plan->parent_saved[0] = plan->parent_saved[1] = -1;
}
