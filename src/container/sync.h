/* The parent <-> container init protocol over a SOCK_SEQPACKET socketpair.  One message per
 * step; an ERROR message carries the child's error text, so the user sees the real cause. */
#ifndef HUSK_CONTAINER_SYNC_H
#define HUSK_CONTAINER_SYNC_H

#include <stdint.h>

#include "util/error.h"

enum sync_type {
	SYNC_GO = 1,       /* parent -> child: maps written, cgroups joined */
	SYNC_USERNS,       /* child -> parent: unshared a user namespace, write its maps */
	SYNC_USERNS_DONE,  /* parent -> child */
	SYNC_PID,          /* child -> parent: value = pid of the real init (after a pidns fork) */
	SYNC_HOOKS,        /* child -> parent: run prestart + createRuntime hooks now */
	SYNC_HOOKS_DONE,   /* parent -> child */
	SYNC_READY,        /* child -> parent: set up, waiting for start */
	SYNC_ACK,          /* parent -> child: state saved, wait on exec.fifo */
	SYNC_START,        /* parent -> child: (run) start now, no fifo */
	SYNC_SECCOMP,      /* child -> parent: value = the seccomp notify fd (in the child) */
	SYNC_SECCOMP_DONE, /* parent -> child: the listener has it */
	SYNC_ERROR,        /* either way: text = the error, value = negative errno */
	SYNC_NETDEV,       /* child -> parent: in its namespaces, move linux.netDevices in */
	SYNC_NETDEV_DONE,  /* parent -> child */
};

struct sync_msg {
	uint32_t type;
	int32_t value;
	char text[HERR_MSG_MAX];
};

int sync_send(int fd, enum sync_type type, int32_t value, const char *text);
int sync_send_error(int fd, const struct herr *err);

/* After reading n >= offsetof(struct sync_msg, text) bytes of a message into *m: end its
 * text where the datagram did (a peer need not send the NUL). */
void sync_msg_end_text(struct sync_msg *m, size_t n);

/* Receive one message.  -EPIPE when the peer closed the socket. */
int sync_recv(int fd, struct sync_msg *m);

/* The error an ERROR message carries, into err; returns its code (a negative errno). */
int sync_msg_error(const struct sync_msg *m, struct herr *err);

/* Receive and require `type`; an ERROR message or EOF becomes the error in err. */
int sync_expect(int fd, enum sync_type type, struct sync_msg *m, struct herr *err);

#endif
