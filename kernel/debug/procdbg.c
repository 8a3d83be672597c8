/*
 * Process debugging, the tracee's side: where a traced thread parks,
 * what its traps and signals become, and the events it queues for the
 * debugger (the model is in kern/procdbg.h; the debugger's operations are
 * in procdbg_ctl.c).
 *
 * A thread parks only at its return to user mode (user_return_work), so
 * a parked thread's user registers are all in its trap frame and its FPU
 * state is in its save area (the switch away saved it).  It sleeps there
 * until the debugger clears its hold, or until SIGKILL or an exit of the
 * group makes the hold moot.  Events are text lines ("trap TID DR6",
 * "signal TID SIG", "exec TID", "clone TID NEWTID", "exit STATUS").
 */
#include <kern/procdbg.h>
#include <kern/proc.h>
#include <kern/sched.h>
#include <kern/signal.h>
#include <kern/kmalloc.h>
#include <kern/string.h>
#include <kern/printk.h>
#include <kern/poll.h>
#include <arch/trap.h>
#include <arch/x86.h>
#include "internal.h"

/* Take a reference on d. */
void procdbg_get(struct proc_dbg *d)
{
	__atomic_add_fetch(&d->refcnt, 1, __ATOMIC_ACQ_REL);
}

/* Drop a reference on d; the last one frees it. */
void procdbg_put(struct proc_dbg *d)
{
	if (!__atomic_sub_fetch(&d->refcnt, 1, __ATOMIC_ACQ_REL))
		kfree(d);
}

/* Something a tracer may wait for changed: move gen and wake the tracers. */
void procdbg_bump(struct proc_dbg *d)
{
	__atomic_add_fetch(&d->gen, 1, __ATOMIC_ACQ_REL);
	wake_up(&d->wq);
	poll_wake();	/* /proc/PID/dbg readiness */
}

/* Queue event line fmt (the oldest is dropped when full); no-op when detached. */
void procdbg_event(struct proc_dbg *d, const char *fmt, ...)
{
	va_list ap;
	u64 flags = spin_lock_irqsave(&d->lock);

	if (d->owner) {
		if (d->ev_head - d->ev_tail >= PROCDBG_NEVENTS)
			d->ev_tail++;
		va_start(ap, fmt);
		vsnprintf(d->ev[d->ev_head % PROCDBG_NEVENTS], PROCDBG_EVLEN, fmt, ap);
		va_end(ap);
		d->ev_head++;
	}
	spin_unlock_irqrestore(&d->lock, flags);
	procdbg_bump(d);
}

/* The debug state of t's process if a debugger is attached, else NULL. */
static struct proc_dbg *attached_dbg(struct task *t)
{
	struct proc_dbg *d = t->proc ? READ_ONCE(t->proc->dbg) : NULL;

	return d && READ_ONCE(d->owner) ? d : NULL;
}

/* Must the parked t get up (SIGKILL, or its group is exiting)? */
static bool park_over(struct task *t)
{
	struct proc *p = t->proc;

	return ((READ_ONCE(t->pending.set) | READ_ONCE(p->shared_pending.set)) &
		SIGBIT(SIGKILL)) || READ_ONCE(p->exiting);
}

void procdbg_park(struct hw_trapframe *tf)
{
	struct task *t = current();
	struct proc *p = t->proc;
	struct proc_dbg *d = p ? READ_ONCE(p->dbg) : NULL;
	u64 flags;

	if (!READ_ONCE(t->dbg_hold))
		return;
	if (!d || park_over(t)) {
		WRITE_ONCE(t->dbg_hold, false);
		return;
	}
	flags = spin_lock_irqsave(&p->lock);
	t->dbg_parked = true;
	spin_unlock_irqrestore(&p->lock, flags);
	procdbg_bump(d);
	flags = spin_lock_irqsave(&p->lock);
	for (;;) {
		/* SLEEPING before the checks: a SIGKILL sent meanwhile finds us sleeping. */
		t->state = TASK_SLEEPING;
		smp_mb();
		if (!t->dbg_hold || park_over(t))
			break;
		spin_unlock_irqrestore(&p->lock, flags);
		schedule();
		flags = spin_lock_irqsave(&p->lock);
	}
	t->state = TASK_RUNNING;
	t->dbg_parked = false;
	t->dbg_hold = false;
	if (t->dbg_step)
		tf->rflags |= FL_TF;
	spin_unlock_irqrestore(&p->lock, flags);
	procdbg_bump(d);
}

/* Hold the current thread: it parks at its return to user mode. */
static void hold_self(void)
{
	WRITE_ONCE(current()->dbg_hold, true);
}

bool procdbg_trap(struct hw_trapframe *tf)
{
	struct task *t = current();
	struct proc_dbg *d = t->proc ? READ_ONCE(t->proc->dbg) : NULL;
	u64 dr6 = tf->trapno == T_DEBUG ? arch_dr6_take() : 0;
	bool stepped = t->dbg_step || (tf->rflags & FL_TF);

	if (tf->trapno == T_DEBUG && stepped) {
		tf->rflags &= ~FL_TF;
		t->dbg_step = false;
	}
	if (!d)
		return false;	/* never traced: SIGTRAP as usual */
	if (!READ_ONCE(d->owner)) {
		/* A step or debug register hit left over from a detached debugger. */
		return tf->trapno == T_DEBUG && (stepped || (dr6 & 0xf));
	}
	for (int i = 0; i < 4; i++)
		if ((dr6 & (1u << i)) && !(READ_ONCE(d->dr7) & (3u << (16 + i * 4))))
			tf->rflags |= FL_RF;	/* an instruction breakpoint: resume past it */
	/* Held before the debugger can see the event: its cont must find the hold. */
	hold_self();
	if (tf->trapno == T_DEBUG)
		procdbg_event(d, "trap %d %llx", t->tid, (unsigned long long)dr6);
	else
		procdbg_event(d, "break %d", t->tid);
	return true;
}

/* Would sig, delivered now with its disposition, do nothing? (racy read, a hint) */
static bool sig_would_ignore(struct proc *p, int sig)
{
	u64 h = READ_ONCE(p->sighand->action[sig - 1].handler);

	if (h == SIG_IGN)
		return true;
	return h == SIG_DFL && (sig == SIGCHLD || sig == SIGCONT || sig == SIGURG ||
				sig == SIGWINCH);
}

int procdbg_signal(struct hw_trapframe *tf, int sig)
{
	struct task *t = current();
	struct proc_dbg *d = attached_dbg(t);

	if (!d || sig == SIGKILL || sig_would_ignore(t->proc, sig))
		return sig;
	t->dbg_sig = sig;
	hold_self();
	procdbg_event(d, "signal %d %d", t->tid, sig);
	procdbg_park(tf);
	if (park_over(t))
		return sig;
	return t->dbg_sig;
}

void procdbg_new_task(struct proc *p, struct task *t)
{
	struct task *o;
	struct proc_dbg *d = READ_ONCE(p->dbg);
	bool held = false;
	u64 flags;

	if (!d || !READ_ONCE(d->owner))
		return;
	flags = spin_lock_irqsave(&p->lock);
	list_for_each_entry(o, &p->tasks, proc_link)
		if (o != t && o->dbg_hold && o != current())
			held = true;
	t->dbg_hold = held;
	spin_unlock_irqrestore(&p->lock, flags);
	procdbg_event(d, "clone %d %d", current()->tid, t->tid);
}

void procdbg_thread_gone(struct proc *p)
{
	struct proc_dbg *d = READ_ONCE(p->dbg);

	if (d)
		procdbg_bump(d);
}

void procdbg_exit(struct proc *p, int wstatus)
{
	struct proc_dbg *d = READ_ONCE(p->dbg);
	u64 flags;

	if (!d)
		return;
	procdbg_event(d, "exit %d", wstatus);
	flags = spin_lock_irqsave(&d->lock);
	d->exited = true;
	d->dr7 = 0;
	spin_unlock_irqrestore(&d->lock, flags);
	procdbg_bump(d);
}

void procdbg_exec(struct proc *p)
{
	struct proc_dbg *d = READ_ONCE(p->dbg);
	u64 flags;

	if (!d)
		return;
	/* As Linux: hardware breakpoints do not survive exec. */
	flags = spin_lock_irqsave(&d->lock);
	d->dr7 = 0;
	memset(d->dr, 0, sizeof(d->dr));
	spin_unlock_irqrestore(&d->lock, flags);
	if (!READ_ONCE(d->owner))
		return;
	hold_self();
	procdbg_event(d, "exec %d", current()->tid);
}

void procdbg_release(struct proc *p)
{
	struct proc_dbg *d = p->dbg;

	if (!d)
		return;
	p->dbg = NULL;
	procdbg_bump(d);
	procdbg_put(d);
}
