/* Terminals, as runc and conmon expect them:
 *   - the pty is allocated inside the container, from its own /dev/pts, after pivot_root
 *     (terminal_setup_console(), called by the container init and by `exec -t`);
 *   - its master goes to the caller over the console socket with SCM_RIGHTS, the pty name in
 *     the payload (runc's cmsg.SendRawFd), and the slave becomes the process's stdio and
 *     controlling terminal;
 *   - without a console socket, a foreground `run` / `exec -t` receives the master itself over
 *     a socketpair and relays it to its own stdio (struct terminal_relay). */
#ifndef HUSK_LINUX_TERMINAL_H
#define HUSK_LINUX_TERMINAL_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <termios.h>

#include "spec/spec.h"
#include "util/error.h"

/* What runc puts in the payload of the console message: the name of the ptmx handle. */
#define TERMINAL_PTMX_NAME "/dev/pts/ptmx"

/* Connect to the AF_UNIX stream socket at path (--console-socket, --pidfd-socket).  The
 * connection is made by the parent before clone, so the init can use it after pivot_root. */
int terminal_connect_socket(const char *path, const char *flag, struct herr *err);

/* Send one fd with SCM_RIGHTS and `name` as the payload (runc's SendRawFd). */
int terminal_send_fd(int sock, int fd, const char *name, struct herr *err);

/* Receive one fd (MSG_CMSG_CLOEXEC); extra fds are closed.  The payload is discarded. */
int terminal_recv_fd(int sock, int *fd, struct herr *err);

/* In the container, after pivot_root: allocate a pty from /dev/pts/ptmx (checked to be a real
 * devpts ptmx), size it (size may be NULL), bind the slave on /dev/console when `mount`,
 * send the master over `sock`, and make the slave the controlling terminal and stdio of the
 * calling process (a new session).  Closes sock. */
int terminal_setup_console(int sock, const struct spec_box *size, bool mount, struct herr *err);

/* The relay of a foreground run / exec -t: husk's stdin -> master -> husk's stdout. */
struct terminal_relay {
	int master;
	int in_fd;    /* husk's stdin, -1 after EOF or when there is none */
	int out_fd;   /* husk's stdout */
	int host_tty; /* the fd whose termios were made raw, -1 when none */
	struct termios saved;
	char buf[4096]; /* stdin data the master has not taken yet */
	size_t len;
	bool eof_pending; /* stdin hit EOF: send the EOF character once buf is written */
};

/* Take the master (owned from now on); raw mode on husk's terminal when stdin is one; copy
 * its window size to the pty. */
int terminal_relay_start(struct terminal_relay *t, int master, struct herr *err);

/* Fill at most 2 pollfds; returns how many. */
size_t terminal_relay_pollfds(const struct terminal_relay *t, struct pollfd *p);

/* Move data after poll() said so (p as filled by terminal_relay_pollfds()). */
void terminal_relay_io(struct terminal_relay *t, const struct pollfd *p, size_t n);

/* SIGWINCH: copy husk's window size to the pty. */
void terminal_relay_resize(struct terminal_relay *t);

/* The process is gone: copy what output is left, restore husk's terminal, close. */
void terminal_relay_stop(struct terminal_relay *t);

#endif
