/*
 * Hung-task detector, as Linux's khungtaskd: a task that has been in an
 * uninterruptible wait (TASK_UNINTERRUPTIBLE) for longer than
 * hung_task_timeout_secs is reported once per wait, with the backtrace of
 * its sleeping stack, every CPU's backtrace and the task list.
 *
 * Model: uninterruptible waits register themselves here for as long as
 * they last (hung_task_wait_begin/end, called by
 * wait_event_uninterruptible), so the detector finds every such sleeper,
 * kernel threads included, without a list of all tasks.  A registered
 * wait cannot end (and its task cannot exit and free its stack) while
 * hung_lock is held, so the scan may read a sleeper's stack under it; the
 * walk stays inside that stack in case the task is waking meanwhile.
 * khungtaskd, a kernel thread, scans every min(timeout / 2, 1 s), so a
 * report comes at most that long after the timeout.
 */
#include <kern/watchdog.h>
#include <kern/sched.h>
#include <kern/spinlock.h>
#include <kern/memlayout.h>
#include <kern/time.h>
#include <kern/printk.h>
#include <kern/kdebug.h>
#include "internal.h"

/* hung_lock protects hung_waits and every hung_task_wait on it. */
static struct spinlock hung_lock = SPINLOCK_INITIALIZER("hung_task");
static LIST_HEAD(hung_waits);

void hung_task_wait_begin(struct hung_task_wait *w)
{
	u64 flags;

	w->task = current();
	w->since_ns = nsec_since_boot();
	w->reported = false;
	flags = spin_lock_irqsave(&hung_lock);
	list_add_tail(&w->link, &hung_waits);
	spin_unlock_irqrestore(&hung_lock, flags);
}

void hung_task_wait_end(struct hung_task_wait *w)
{
	u64 flags = spin_lock_irqsave(&hung_lock);

	list_del_init(&w->link);
	spin_unlock_irqrestore(&hung_lock, flags);
}

/* Print t's kernel backtrace from the frame it saved when it last switched out. */
static void show_task_stack(struct task *t)
{
	uintptr_t lo = (uintptr_t)t->kstack, hi = lo + KSTACK_SIZE, pc, fp;

	if (!arch_task_saved_frame(t, &pc, &fp)) {
		printk(" (no saved frame)\n");
		return;
	}
	backtrace_print_frame(0, pc);
	for (int i = 1; i < 32 && fp >= lo && fp + 16 <= hi && !(fp & 7); i++) {
		const uintptr_t *frame = (const uintptr_t *)fp;

		if (!frame[1])
			break;
		backtrace_print_frame(i, frame[1] - 1);
		if (frame[0] <= fp)
			break;
		fp = frame[0];
	}
}

/* Is w's task asleep (switched out) in its uninterruptible wait?  hung_lock held. */
static bool asleep(const struct hung_task_wait *w)
{
	struct task *t = w->task;

	return READ_ONCE(t->state) == TASK_UNINTERRUPTIBLE &&
	       READ_ONCE(per_cpu(current_task, t->cpu)) != t;
}

int hung_task_scan(void)
{
	u64 timeout = READ_ONCE(wd_config.hung_timeout_ns), now, flags;
	struct hung_task_wait *w;
	int n = 0;

	if (!timeout || wd_quiet() || !wd_report_begin())
		return 0;
	flags = spin_lock_irqsave(&hung_lock);
	now = nsec_since_boot();
	list_for_each_entry(w, &hung_waits, link) {
		struct task *t = w->task;

		if (w->reported || now - w->since_ns <= timeout || !asleep(w))
			continue;
		w->reported = true;
		n++;
		printk("INFO: task %s:%d blocked for more than %llu seconds (%llu.%03llu s).\n",
		       t->name ? t->name : "?", t->tid, timeout / 1000000000ULL,
		       WD_SEC(now - w->since_ns));
		printk("Task %d backtrace (sleeping):\n", t->tid);
		show_task_stack(t);
		touch_nmi_watchdog();
	}
	spin_unlock_irqrestore(&hung_lock, flags);
	__atomic_add_fetch(&wd_stats.hung, n, __ATOMIC_RELAXED);
	if (n)
		wd_report_end(-1);
	else
		wd_report_cancel();
	if (n && READ_ONCE(wd_config.hung_panic))
		panic("hung_task: %d blocked tasks", n);
	return n;
}

/* khungtaskd: scan, sleep, forever. */
static void khungtaskd(void *arg)
{
	(void)arg;
	for (;;) {
		sleep_ns(READ_ONCE(wd_config.hung_scan_ns));
		hung_task_scan();
	}
}

void hung_task_init(void)
{
	struct task *t;

	if (!wd_config.hung_timeout_ns)
		return;
	t = kthread_create(khungtaskd, NULL, "khungtaskd");
	if (!t) {
		printk("watchdog: cannot start khungtaskd: no memory\n");
		return;
	}
	task_wakeup(t);
}
