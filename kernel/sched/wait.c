/*
 * Wait queues and timed sleeps.  A sleeper marks itself TASK_SLEEPING
 * while holding the queue's lock, so a concurrent wake_up either sees it
 * on the queue or runs before it checked its condition; both orders are
 * safe.  Signals wake sleepers too, but their senders hold sighand->lock,
 * not the queue's: a sender queues the signal, then wakes the task if it
 * sees it TASK_SLEEPING (proc/signal.c signal_wake).  So a sleeper first
 * marks itself TASK_SLEEPING and only then looks for a pending signal,
 * with a full barrier on both sides in between: either it sees the signal
 * or the sender sees it sleeping.  Timed sleeps sit on a deadline list
 * scanned by the timer tick (resolution: one tick).  Uninterruptible waits
 * (TASK_UNINTERRUPTIBLE, for what must finish whatever signals arrive)
 * register with the hung-task detector for as long as they last.
 */
#include <kern/wait.h>
#include <kern/sched.h>
#include <kern/time.h>
#include <kern/errno.h>
#include <kern/proc.h>
#include <kern/ktimer.h>
#include <kern/smp.h>
#include <kern/watchdog.h>
#include <kern/ttrace.h>
#include <arch/x86.h>
#include "internal.h"

/* timer_lock protects timed_sleepers, ktimers and everything on them. */
static struct spinlock timer_lock = SPINLOCK_INITIALIZER("timers");
static LIST_HEAD(timed_sleepers);
static LIST_HEAD(ktimers);

struct sleeper {
	struct task *task;
	u64 deadline_ns;
	struct list_head link;
};

void wait_queue_init(struct wait_queue *wq, const char *name)
{
	spinlock_init(&wq->lock, name);
	INIT_LIST_HEAD(&wq->waiters);
}

static void wake_waiters(struct wait_queue *wq, bool all)
{
	u64 flags = spin_lock_irqsave(&wq->lock);
	struct waiter *w, *n;

	list_for_each_entry_safe(w, n, &wq->waiters, link) {
		w->woken = true;
		list_del_init(&w->link);
		ttrace_wait_wake(wq, w->task);
		task_wakeup(w->task);
		if (!all)
			break;
	}
	spin_unlock_irqrestore(&wq->lock, flags);
}

void wake_up(struct wait_queue *wq)
{
	wake_waiters(wq, true);
}

void wake_up_one(struct wait_queue *wq)
{
	wake_waiters(wq, false);
}

/* Keep timed_sleepers sorted by deadline, so sleepers due in one tick wake in deadline order. */
static void timer_add(struct sleeper *s)
{
	u64 flags = spin_lock_irqsave(&timer_lock);
	struct sleeper *pos;

	list_for_each_entry(pos, &timed_sleepers, link)
		if (pos->deadline_ns > s->deadline_ns)
			break;
	list_add_tail(&s->link, &pos->link);
	spin_unlock_irqrestore(&timer_lock, flags);
}

static void timer_del(struct sleeper *s)
{
	u64 flags = spin_lock_irqsave(&timer_lock);

	if (!list_empty(&s->link))
		list_del_init(&s->link);
	spin_unlock_irqrestore(&timer_lock, flags);
}

void ktimer_init(struct ktimer *t, void (*fn)(struct ktimer *t))
{
	t->fn = fn;
	t->armed = false;
	t->running = false;
	INIT_LIST_HEAD(&t->link);
}

void ktimer_arm(struct ktimer *t, u64 deadline_ns)
{
	u64 flags = spin_lock_irqsave(&timer_lock);

	t->deadline_ns = deadline_ns;
	if (!t->armed)
		list_add_tail(&t->link, &ktimers);
	t->armed = true;
	spin_unlock_irqrestore(&timer_lock, flags);
}

u64 ktimer_cancel(struct ktimer *t)
{
	u64 flags = spin_lock_irqsave(&timer_lock), now = nsec_since_boot(), left = 0;

	if (t->armed) {
		list_del_init(&t->link);
		t->armed = false;
		left = t->deadline_ns > now ? t->deadline_ns - now : 1;
	}
	spin_unlock_irqrestore(&timer_lock, flags);
	/* A callback already on its way must finish before the caller frees t. */
	while (__atomic_load_n(&t->running, __ATOMIC_ACQUIRE)) {
		tlb_shootdown_poll();	/* the callback may wait on a lock whose holder waits on us */
		cpu_relax();
	}
	return left;
}

/* Take the next ktimer due at now off the armed list, marked running; NULL if none. */
static struct ktimer *next_due_ktimer(u64 now)
{
	struct ktimer *k, *due = NULL;

	spin_lock(&timer_lock);
	list_for_each_entry(k, &ktimers, link) {
		if (k->deadline_ns <= now && !k->running) {
			due = k;
			list_del_init(&k->link);
			k->armed = false;
			WRITE_ONCE(k->running, true);
			break;
		}
	}
	spin_unlock(&timer_lock);
	return due;
}

/* Tick hook: wake every timed sleeper whose deadline has passed, run due ktimers. */
void timers_run(void)
{
	u64 now = nsec_since_boot();
	struct sleeper *s, *n;
	struct ktimer *k;

	if ((list_empty(&timed_sleepers) && list_empty(&ktimers)) || !spin_trylock(&timer_lock))
		return;
	list_for_each_entry_safe(s, n, &timed_sleepers, link) {
		if (s->deadline_ns <= now) {
			list_del_init(&s->link);
			task_wakeup(s->task);
		}
	}
	spin_unlock(&timer_lock);
	/*
	 * Run due ktimers one at a time and unlocked (they send signals and
	 * may re-arm themselves).  A timer is on no list while its fn runs,
	 * so a ktimer_arm from another CPU meanwhile just queues it again.
	 */
	while ((k = next_due_ktimer(now)) != NULL) {
		k->fn(k);
		__atomic_store_n(&k->running, false, __ATOMIC_RELEASE);
	}
}

/*
 * Mark the current task asleep (TASK_SLEEPING or TASK_UNINTERRUPTIBLE)
 * before it looks for pending signals (see the top of the file).  Until it
 * reaches schedule() it is still its CPU's current task, so a wakeup
 * meanwhile only marks it TASK_RUNNING again (task_wakeup), and a sleeper
 * that changes its mind may do the same.
 */
static void set_sleeping(struct task *me, enum task_state sleep_state)
{
	me->state = sleep_state;
	smp_mb();
}

/* wait_event's loop; sleep_state TASK_UNINTERRUPTIBLE ignores signals. */
static int __wait_event(struct wait_queue *wq, bool (*cond)(void *arg), void *arg,
			u64 deadline_ns, enum task_state sleep_state)
{
	struct task *me = current();
	struct waiter w = { .task = me };
	struct sleeper s = { .task = me, .deadline_ns = deadline_ns };
	int ret = 0;
	u64 flags;

	INIT_LIST_HEAD(&w.link);
	INIT_LIST_HEAD(&s.link);
	for (;;) {
		flags = spin_lock_irqsave(&wq->lock);
		if (cond(arg)) {
			spin_unlock_irqrestore(&wq->lock, flags);
			break;
		}
		set_sleeping(me, sleep_state);
		if (sleep_state == TASK_SLEEPING && signal_pending(me)) {
			ret = -EINTR;
		} else if (deadline_ns && nsec_since_boot() >= deadline_ns) {
			ret = -ETIMEDOUT;
		}
		if (ret) {
			me->state = TASK_RUNNING;
			spin_unlock_irqrestore(&wq->lock, flags);
			break;
		}
		w.woken = false;
		list_add_tail(&w.link, &wq->waiters);
		spin_unlock_irqrestore(&wq->lock, flags);
		if (deadline_ns)
			timer_add(&s);
		ttrace_wait_sleep(wq);
		schedule();
		if (deadline_ns)
			timer_del(&s);
		flags = spin_lock_irqsave(&wq->lock);
		if (!list_empty(&w.link))
			list_del_init(&w.link);
		spin_unlock_irqrestore(&wq->lock, flags);
	}
	return ret;
}

int wait_event(struct wait_queue *wq, bool (*cond)(void *arg), void *arg, u64 deadline_ns)
{
	return __wait_event(wq, cond, arg, deadline_ns, TASK_SLEEPING);
}

void wait_event_uninterruptible(struct wait_queue *wq, bool (*cond)(void *arg), void *arg)
{
	struct hung_task_wait hw;

	hung_task_wait_begin(&hw);
	__wait_event(wq, cond, arg, 0, TASK_UNINTERRUPTIBLE);
	hung_task_wait_end(&hw);
}

int sleep_ns(u64 ns)
{
	struct task *me = current();
	struct sleeper s = { .task = me, .deadline_ns = nsec_since_boot() + ns };

	INIT_LIST_HEAD(&s.link);
	while (nsec_since_boot() < s.deadline_ns) {
		set_sleeping(me, TASK_SLEEPING);
		if (signal_pending(me)) {
			me->state = TASK_RUNNING;
			return -EINTR;
		}
		timer_add(&s);
		schedule();
		timer_del(&s);
	}
	return 0;
}
