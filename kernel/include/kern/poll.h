/*
 * Readiness for poll/select.  Every file answers "what could I do now"
 * through file_ops.poll (POLL* bits of abi/poll.h); a file without
 * the hook is always readable and writable.  Waiting is one global
 * event counter plus one wait queue: anything whose readiness may have
 * changed (pipes, the tty...) calls poll_wake(), every poller rescans.
 * Coarse, but no wakeup can be lost: a poller samples the counter
 * before scanning and sleeps only while it is unchanged.
 */
#ifndef KERN_POLL_H
#define KERN_POLL_H

#include <kern/types.h>
#include <abi/poll.h>

struct file;
struct abi_timespec;

#define POLL_ONCE	(~0ull)		/* deadline: scan once, never sleep */

/* Readiness mask of f (POLLIN implies POLLRDNORM, POLLOUT implies POLLWRNORM). */
u32 file_poll(struct file *f);
/* Tell every poller that some file's readiness may have changed. */
void poll_wake(void);

/*
 * Waiting for readiness elsewhere (epoll, blocking reads of eventfd,
 * timerfd, signalfd): sample poll_seq(), check the condition, and if it
 * does not hold sleep with poll_sleep(seq, deadline) and check again.
 */
/* The current value of the readiness event counter. */
u64 poll_seq(void);
/* Sleep until an event after seq, the deadline (0 = none) or a signal: 0/-ETIMEDOUT/-EINTR. */
int poll_sleep(u64 seq, u64 deadline);
/*
 * Blocking read of one 8-byte value (eventfd, timerfd): take(arg, &val)
 * until it succeeds, sleeping on the readiness counter in between.
 * Returns 8, -EINVAL if n < 8, -EAGAIN when nonblock, -ERESTARTSYS on a
 * signal.
 */
long poll_read_u64(void *buf, size_t n, bool nonblock, bool (*take)(void *arg, u64 *val),
		   void *arg);
/* Deadline for a relative timeout of ns (< 0: none, 0); POLL_ONCE for 0. */
u64 poll_deadline_after(s64 ns);
/* Copy a timespec timeout from user: its length in ns (-1 if uts is NULL) or -errno. */
int poll_get_timespec_ns(const struct abi_timespec *uts, s64 *ns);
/* Install a temporary signal mask from user until the return to user space; -errno. */
int poll_set_temp_sigmask(const u64 *uset, size_t size);

#endif
