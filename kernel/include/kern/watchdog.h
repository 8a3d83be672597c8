/*
 * Lockup detectors (kernel/debug/): a soft-lockup watchdog (a CPU that has
 * not scheduled for 2 * watchdog_thresh seconds), a hard-lockup watchdog
 * (a CPU whose timer tick has stopped for watchdog_thresh seconds, seen by
 * a buddy CPU and reported through an NMI backtrace) and a hung-task
 * detector (a task in an uninterruptible wait for hung_task_timeout_secs).
 * All are off unless the command line sets a threshold; see the README.
 *
 * The rest of the kernel only calls the hooks below: the timer tick,
 * the places where a CPU counts as scheduling (schedule, the idle loop,
 * the return to user mode), the monitor (which stops the clocks while it
 * holds a CPU) and uninterruptible waits, which register themselves for
 * the hung-task detector.
 */
#ifndef KERN_WATCHDOG_H
#define KERN_WATCHDOG_H

#include <kern/types.h>
#include <kern/list.h>

struct hw_trapframe;
struct task;

/* Read the command line and start the detectors it asks for (BSP, after the scheduler). */
void watchdog_init(void);
/* This CPU's periodic timer is armed: from now on its buddy watches its ticks. */
void watchdog_cpu_start(void);
/* Timer-tick hook, on every CPU: counts the tick and runs this CPU's checks. */
void watchdog_tick(const struct hw_trapframe *tf);
/* This CPU schedules (or idles, or returns to user mode): not soft-locked. */
void touch_softlockup_watchdog(void);
/* This CPU is alive although its tick is held off (long reports): not hard-locked. */
void touch_nmi_watchdog(void);
/* No reports until the matching resume (the monitor holds a CPU with interrupts off). */
void watchdog_suspend(void);
/* Undo one watchdog_suspend; every detector starts counting afresh. */
void watchdog_resume(void);

/*
 * One uninterruptible wait of one task, on the waiter's stack: the wait
 * registers it with hung_task_wait_begin before sleeping and removes it
 * with hung_task_wait_end once done, so the hung-task detector sees every such
 * sleeper (kernel threads included) without walking all tasks.
 */
struct hung_task_wait {
	struct task *task;
	u64 since_ns;			/* when the wait began */
	bool reported;			/* reported once per wait */
	struct list_head link;		/* on the detector's list, under its lock */
};

/* Register the current task's uninterruptible wait (w is filled in). */
void hung_task_wait_begin(struct hung_task_wait *w);
/* The wait is over: w leaves the detector's list. */
void hung_task_wait_end(struct hung_task_wait *w);

#endif
