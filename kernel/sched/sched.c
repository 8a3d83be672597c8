/*
 * Run-queue policy and context switching for time-sharing cores.
 *
 * One global FIFO of runnable tasks (runq), round robin: the timer tick
 * marks the running task need_resched when others wait, and the task
 * switches at its next return to user mode.  Each CPU has an idle task
 * (its boot stack) that runs when no queued task may run there.
 *
 * Affinity: a CPU takes the first queued task whose cpus_allowed holds it,
 * so a pinned task waits for one of its CPUs and never runs elsewhere.
 * Wakeups kick an idle CPU the task may use; a running task whose CPU is
 * taken out of its mask is sent through schedule() before it runs user
 * code again.
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
#include <kern/ttrace.h>
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

/* The first queued task that may run on cpu, or NULL; runq_lock held. */
static struct task *__pick_next(int cpu)
{
	struct task *t;

	void *owner = corealloc_owner(cpu);

	/* A core granted to an MCP runs only that process's tasks. */
	list_for_each_entry(t, &runq, run_link)
		if ((t->cpus_allowed & (1ULL << cpu)) && (!owner || owner == (void *)t->proc))
			return t;
	return NULL;
}

/* Whether a queued task may run on this CPU (interrupts off). */
static bool work_for_this_cpu(void)
{
	bool any;

	if (!READ_ONCE(runq_len))
		return false;
	spin_lock(&runq_lock);
	any = __pick_next(core_id()) != NULL;
	spin_unlock(&runq_lock);
	return any;
}

/* Online time-sharing CPUs as a mask. */
static u64 timesharing_mask(void)
{
	u64 m = 0;

	for (int c = 0; c < num_cpus && c < MAX_CPUS; c++)
		if (corealloc_is_timesharing(c))
			m |= 1ULL << c;
	return m;
}

int sched_set_affinity(struct task *t, u64 mask)
{
	u64 flags;
	bool move_self;

	mask &= timesharing_mask();
	if (!mask || t->vcore)
		return -EINVAL;
	flags = spin_lock_irqsave(&runq_lock);
	t->cpus_allowed = mask;
	move_self = t == current() && !(mask & (1ULL << core_id()));
	if (!move_self && t->state == TASK_RUNNING && !(mask & (1ULL << t->cpu)) &&
	    READ_ONCE(per_cpu(current_task, t->cpu)) == t) {
		/* Running elsewhere: it switches out at its return to user mode. */
		t->need_resched = true;
		send_ipi(t->cpu, VEC_RESCHED);
	}
	spin_unlock_irqrestore(&runq_lock, flags);
	if (move_self)
		schedule();	/* requeued; a CPU in mask picks it up */
	return 0;
}

void sched_vcore_bind(struct task *t, int core)
{
	u64 flags = spin_lock_irqsave(&runq_lock);

	t->cpus_allowed = 1ULL << core;
	spin_unlock_irqrestore(&runq_lock, flags);
	if (t == current() && core != core_id())
		schedule();	/* requeued; only the granted core takes it */
}

void sched_evict_core(int core)
{
	u64 flags = spin_lock_irqsave(&runq_lock);
	struct task *t = READ_ONCE(per_cpu(current_task, core));

	if (t != per_cpu_ptr(&idle_task, core) && (void *)t->proc != corealloc_owner(core)) {
		t->need_resched = true;
		send_ipi(core, VEC_RESCHED);
	}
	spin_unlock_irqrestore(&runq_lock, flags);
}

u64 sched_get_affinity(struct task *t)
{
	return READ_ONCE(t->cpus_allowed) & timesharing_mask() ?: timesharing_mask();
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
	ttrace_sched_wakeup(t, ok);
	spin_unlock_irqrestore(&runq_lock, flags);
	if (ok)
		smp_kick_idle_cpu(READ_ONCE(t->cpus_allowed));
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
	if (prev->state == TASK_RUNNING && !is_idle(prev)) {
		__enqueue(prev);
		if (!(prev->cpus_allowed & (1ULL << core_id())) || corealloc_owner(core_id()))
			smp_kick_idle_cpu(prev->cpus_allowed);
	}
	next = __pick_next(core_id());
	if (!next) {
		next = this_cpu_ptr(&idle_task);
	} else {
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
	ttrace_sched_switch(prev, next);
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

void cond_resched(void)
{
	if (READ_ONCE(current()->need_resched))
		schedule();
}

void sched_tick(void)
{
	struct task *t = current();

	if (!is_idle(t) && READ_ONCE(runq_len) > 0 && !corealloc_owner(core_id()))
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
		if (work_for_this_cpu()) {
			sti();
			schedule();
			continue;
		}
		/* sti; hlt is atomic with respect to interrupts: no lost wakeup. */
		__asm__ __volatile__("sti; hlt" ::: "memory");
	}
}

/* Wake one idle time-sharing CPU in mask so it looks at the run queue. */
void smp_kick_idle_cpu(u64 mask)
{
	for (int c = 0; c < num_cpus && c < MAX_CPUS; c++) {
		struct task *t = per_cpu(current_task, c);

		if (!(mask & (1ULL << c)))
			continue;
		if (c != core_id() && cpu_online[c] && t == per_cpu_ptr(&idle_task, c) &&
		    corealloc_is_timesharing(c)) {
			send_ipi(c, VEC_RESCHED);
			return;
		}
	}
}
