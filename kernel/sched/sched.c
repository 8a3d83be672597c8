/*
 * Run-queue policy and context switching for time-sharing cores.
 *
 * One global FIFO of runnable tasks (runq), round robin: the timer tick
 * marks the running task need_resched when others wait, and the task
 * switches at its next return to user mode.  Each CPU has an idle task
 * (its boot stack) that runs when the queue is empty.
 *
 * Switching protocol (as in xv6): schedule() takes runq_lock with
 * interrupts off and holds it across __switch_to; whoever runs next
 * releases it.  So a task that is being switched out can never be picked
 * up by another CPU before its registers are saved.
 */
#include <kern/sched.h>
#include <kern/kmalloc.h>
#include <kern/printk.h>
#include <kern/string.h>
#include <kern/errno.h>
#include <kern/time.h>
#include <kern/smp.h>
#include <kern/memlayout.h>
#include <kern/kmsg.h>
#include <kern/watchdog.h>
#include <arch/x86.h>
#include <arch/apic.h>
#include <arch/trap.h>
#include "internal.h"

/* runq_lock protects runq and every task's state and run_link. */
static struct spinlock runq_lock = SPINLOCK_INITIALIZER("runq");
static LIST_HEAD(runq);
static int runq_len;

DEFINE_PER_CPU(struct task *, current_task);
static DEFINE_PER_CPU(struct task, idle_task);
/* A dead task whose stack this CPU just left; freed by the next task to run here. */
static DEFINE_PER_CPU(struct task *, task_to_free);

void sched_init_cpu(void)
{
	struct task *idle = this_cpu_ptr(&idle_task);

	memset(idle, 0, sizeof(*idle));
	idle->state = TASK_RUNNING;
	idle->name = "idle";
	idle->cpu = core_id();
	INIT_LIST_HEAD(&idle->run_link);
	INIT_LIST_HEAD(&idle->proc_link);
	this_cpu_write(current_task, idle);
}

static bool is_idle(struct task *t)
{
	return t == this_cpu_ptr(&idle_task);
}

int sched_runnable_count(void)
{
	return READ_ONCE(runq_len);
}

/* Called with runq_lock held. */
static void __enqueue(struct task *t)
{
	t->state = TASK_RUNNABLE;
	list_add_tail(&t->run_link, &runq);
	runq_len++;
}

bool task_wakeup(struct task *t)
{
	u64 flags = spin_lock_irqsave(&runq_lock);
	bool asleep = t->state == TASK_SLEEPING || t->state == TASK_UNINTERRUPTIBLE;
	bool ok = t->state == TASK_CREATED || asleep;

	/*
	 * A sleeper that has not switched out yet (it marked itself SLEEPING
	 * but has not reached schedule()) is still some CPU's current task:
	 * queueing it would let another CPU resume its stale saved stack.
	 * Just mark it running; its schedule() then keeps or requeues it.
	 */
	if (asleep && READ_ONCE(per_cpu(current_task, t->cpu)) == t)
		t->state = TASK_RUNNING;
	else if (ok)
		__enqueue(t);
	spin_unlock_irqrestore(&runq_lock, flags);
	if (ok)
		smp_kick_idle_cpu();
	return ok;
}

/* After a switch: free the dead task we came from, if any (its stack is no longer in use). */
static void finish_task_switch(void)
{
	struct task *dead = this_cpu_read(task_to_free);

	if (dead) {
		this_cpu_write(task_to_free, NULL);
		task_free(dead);
	}
}

/* Release the switch lock in a task's first run (see the trampoline). */
void task_first_run(void)
{
	spin_unlock(&runq_lock);
	sti();
	finish_task_switch();
}

void task_exit_current(void)
{
	struct task *t = current();

	cli();
	spin_lock(&runq_lock);
	t->state = TASK_DEAD;
	this_cpu_write(task_to_free, t);
	spin_unlock(&runq_lock);
	schedule();
	panic("dead task %d rescheduled", t->tid);
}

void schedule(void)
{
	u64 flags = local_irq_save();
	struct task *prev = current(), *next;
	u64 now;

	touch_softlockup_watchdog();
	spin_lock(&runq_lock);
	if (prev->state == TASK_RUNNING && !is_idle(prev))
		__enqueue(prev);
	if (list_empty(&runq)) {
		next = this_cpu_ptr(&idle_task);
	} else {
		next = list_first_entry(&runq, struct task, run_link);
		list_del_init(&next->run_link);
		runq_len--;
	}
	prev->need_resched = false;
	if (next == prev) {
		next->state = TASK_RUNNING;
		spin_unlock(&runq_lock);
		local_irq_restore(flags);
		return;
	}
	next->state = TASK_RUNNING;
	next->cpu = core_id();
	now = nsec_since_boot();
	prev->stime_ns += now - prev->last_switch_ns;
	next->last_switch_ns = now;
	arch_task_switch(prev, next);
	this_cpu_write(current_task, next);
	__switch_to(&prev->ksp, next->ksp);
	/* Back in prev, possibly on another CPU; whoever switched to us holds the lock. */
	spin_unlock(&runq_lock);
	local_irq_restore(flags);
	finish_task_switch();
}

void sched_yield_cpu(void)
{
	schedule();
}

void sched_tick(void)
{
	struct task *t = current();

	if (!is_idle(t) && READ_ONCE(runq_len) > 0)
		t->need_resched = true;
}

void sched_return_to_user(void)
{
	if (current()->need_resched)
		schedule();
}

void cpu_idle_loop(void)
{
	for (;;) {
		touch_softlockup_watchdog();
		process_routine_kmsg();
		cli();
		if (READ_ONCE(runq_len) > 0) {
			sti();
			schedule();
			continue;
		}
		/* sti; hlt is atomic with respect to interrupts: no lost wakeup. */
		__asm__ __volatile__("sti; hlt" ::: "memory");
	}
}

/* Wake an idle time-sharing CPU so it looks at the run queue. */
void smp_kick_idle_cpu(void)
{
	for (int c = 0; c < num_cpus; c++) {
		struct task *t = per_cpu(current_task, c);

		if (c != core_id() && cpu_online[c] && t == per_cpu_ptr(&idle_task, c) &&
		    corealloc_is_timesharing(c)) {
			send_ipi(c, VEC_RESCHED);
			return;
		}
	}
}
