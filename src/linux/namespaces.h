/* Namespaces: which to create (clone flags) and which to join (setns by path), in an order
 * that works for every combination:
 *   - pid and time namespaces apply to children only, so joined ones are entered by the
 *     parent before clone();
 *   - all other joined namespaces are entered by the child before it creates new ones, and
 *     the user namespace first, so that the new ones are owned by it. */
#ifndef HUSK_LINUX_NAMESPACES_H
#define HUSK_LINUX_NAMESPACES_H

#include <sched.h>
#include <stdbool.h>

#include "spec/spec.h"
#include "util/error.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

struct ns_plan {
	int clone_flags;                 /* CLONE_NEW* created by clone() */
	int unshare_flags;               /* CLONE_NEW* the child creates after joining */
	int join_fd[SPEC_NS_NTYPES];     /* fd of a namespace to join, or -1 */
	bool new_user;                   /* a user namespace is created */
	bool fork_after_unshare;         /* a new pid/time ns created by unshare needs a fork */
	int parent_saved[2];             /* the parent's own pid and time ns, while it has joined */
};

/* Open the namespace paths (checking each is a namespace of the stated type) and compute the
 * flags.  Runs in the parent before clone. */
int ns_plan_build(const struct spec *spec, struct ns_plan *plan, struct herr *err);

/* Parent, before clone: enter joined pid and time namespaces. */
int ns_plan_join_parent(struct ns_plan *plan, struct herr *err);

/* Parent, after clone: return to its own pid and time namespaces (hooks run there). */
int ns_plan_restore_parent(struct ns_plan *plan, struct herr *err);

/* Child: enter joined user, then the other joined namespaces; then unshare the rest. */
int ns_plan_join_child(const struct ns_plan *plan, struct herr *err);

void ns_plan_close(struct ns_plan *plan);

#endif
