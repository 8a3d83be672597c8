/*
 * Wait queues: a list of sleeping tasks behind a spinlock.  The sleeper
 * checks its condition under wq->lock, queues itself and sleeps; wakers
 * change the condition and call wake_up(), so no wakeup is lost.
 * Signals interrupt a sleep (wait_event returns -EINTR) unless it is
 * uninterruptible (wait_event_uninterruptible: for waits that must end
 * before the task can go on, whatever signals arrive; the hung-task
 * detector reports those that last too long).
 */
#ifndef KERN_WAIT_H
#define KERN_WAIT_H

#include <kern/list.h>
#include <kern/spinlock.h>

struct task;

struct wait_queue {
	struct spinlock lock;
	struct list_head waiters;	/* struct waiter, under lock */
};

struct waiter {
	struct task *task;
	struct list_head link;
	bool woken;
};

void wait_queue_init(struct wait_queue *wq, const char *name);
/* Wake every sleeper on wq. */
void wake_up(struct wait_queue *wq);
/* Wake at most one sleeper. */
void wake_up_one(struct wait_queue *wq);

/*
 * Sleep on wq until cond() (called with wq->lock held) is true, a signal is
 * pending (-EINTR), or the deadline (nsec_since_boot, 0 = none) passes
 * (-ETIMEDOUT).  Returns 0 when cond is true.
 */
int wait_event(struct wait_queue *wq, bool (*cond)(void *arg), void *arg, u64 deadline_ns);
/* Sleep on wq until cond() is true; signals do not end the wait.  Cannot fail. */
void wait_event_uninterruptible(struct wait_queue *wq, bool (*cond)(void *arg), void *arg);

#endif
