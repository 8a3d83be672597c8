/*
 * Readiness for poll/select.  Every file answers "what could I do now"
 * through file_ops.poll (POLL* bits below, Linux values); a file without
 * the hook is always readable and writable.  Waiting is one global
 * event counter plus one wait queue: anything whose readiness may have
 * changed (pipes, the tty...) calls poll_wake(), every poller rescans.
 * Coarse, but no wakeup can be lost: a poller samples the counter
 * before scanning and sleeps only while it is unchanged.
 */
#ifndef KERN_POLL_H
#define KERN_POLL_H

#include <kern/types.h>

#define POLLIN		0x0001
#define POLLPRI		0x0002
#define POLLOUT		0x0004
#define POLLERR		0x0008
#define POLLHUP		0x0010
#define POLLNVAL	0x0020
#define POLLRDNORM	0x0040
#define POLLRDBAND	0x0080
#define POLLWRNORM	0x0100
#define POLLWRBAND	0x0200
#define POLLRDHUP	0x2000

struct file;

/* Readiness mask of f (POLLIN implies POLLRDNORM, POLLOUT implies POLLWRNORM). */
u32 file_poll(struct file *f);
/* Tell every poller that some file's readiness may have changed. */
void poll_wake(void);

#endif
