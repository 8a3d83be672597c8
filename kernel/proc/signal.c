/*
 * Signal generation and the default actions (see kern/signal.h).  The
 * handler frame and rt_sigreturn are in proc/sigframe.c.
 */
#include <kern/signal.h>
#include <kern/proc.h>
#include <kern/mcp.h>
#include <kern/sched.h>
#include <kern/kmalloc.h>
#include <kern/string.h>
#include <kern/errno.h>
#include <kern/printk.h>
#include <kern/poll.h>
#include <kern/watchdog.h>
#include <kern/procdbg.h>
#include <arch/trap.h>
#include "internal.h"

enum { ACT_TERM, ACT_CORE, ACT_IGN, ACT_STOP, ACT_CONT };

static const u8 default_action[NSIG + 1] = {
	[SIGHUP] = ACT_TERM, [SIGINT] = ACT_TERM, [SIGQUIT] = ACT_CORE, [SIGILL] = ACT_CORE,
	[SIGTRAP] = ACT_CORE, [SIGABRT] = ACT_CORE, [SIGBUS] = ACT_CORE, [SIGFPE] = ACT_CORE,
	[SIGKILL] = ACT_TERM, [SIGUSR1] = ACT_TERM, [SIGSEGV] = ACT_CORE, [SIGUSR2] = ACT_TERM,
	[SIGPIPE] = ACT_TERM, [SIGALRM] = ACT_TERM, [SIGTERM] = ACT_TERM, [SIGSTKFLT] = ACT_TERM,
	[SIGCHLD] = ACT_IGN, [SIGCONT] = ACT_CONT, [SIGSTOP] = ACT_STOP, [SIGTSTP] = ACT_STOP,
	[SIGTTIN] = ACT_STOP, [SIGTTOU] = ACT_STOP, [SIGURG] = ACT_IGN, [SIGXCPU] = ACT_CORE,
	[SIGXFSZ] = ACT_CORE, [SIGVTALRM] = ACT_TERM, [SIGPROF] = ACT_TERM, [SIGWINCH] = ACT_IGN,
	[SIGIO] = ACT_TERM, [SIGPWR] = ACT_TERM, [SIGSYS] = ACT_CORE,
};

#define STOP_SIGS	(SIGBIT(SIGSTOP) | SIGBIT(SIGTSTP) | SIGBIT(SIGTTIN) | SIGBIT(SIGTTOU))

struct sighand *sighand_alloc(void)
{
	struct sighand *sh = kzmalloc(sizeof(*sh), MEM_WAIT);

	if (!sh)
		return NULL;
	spinlock_init(&sh->lock, "sighand");
	sh->refcount = 1;
	return sh;
}

struct sighand *sighand_copy(struct sighand *old)
{
	struct sighand *sh = sighand_alloc();
	u64 flags;

	if (!sh)
		return NULL;
	flags = spin_lock_irqsave(&old->lock);
	memcpy(sh->action, old->action, sizeof(sh->action));
	spin_unlock_irqrestore(&old->lock, flags);
	return sh;
}

void sighand_put(struct sighand *sh)
{
	if (!__atomic_sub_fetch(&sh->refcount, 1, __ATOMIC_ACQ_REL))
		kfree(sh);
}

void sighand_reset_for_exec(struct sighand *sh)
{
	u64 flags = spin_lock_irqsave(&sh->lock);

	for (int s = 1; s <= NSIG; s++) {
		struct abi_sigaction *a = &sh->action[s - 1];

		if (a->handler != SIG_IGN)
			memset(a, 0, sizeof(*a));
		a->flags = 0;
		a->restorer = 0;
	}
	spin_unlock_irqrestore(&sh->lock, flags);
}

/*
 * Of the signals in set that t blocks, those that reach it anyway.  A
 * vcore task's mask is the kernel's, not the program's: it blocks every
 * blockable signal because a handler cannot run on a vcore (Akaros
 * delivers signals as events; not done here).  A signal whose action is
 * the default one that ends the process (terminate or core) needs no
 * handler, so it ends an MCP as it ends any Linux process, unless the
 * program had it blocked when it became an MCP (mcp->user_sigmask).
 * Handled, ignored and stop signals stay blocked.  Reads the actions
 * without sighand->lock: a racing sigaction decides the next check.
 */
static u64 blocked_yet_fatal(struct task *t, u64 set)
{
	struct mcp_vcore *vc = READ_ONCE(t->vcore);
	struct sighand *sh = t->proc->sighand;
	u64 fatal = 0;

	set &= t->sigmask;
	if (!vc || !set || !sh)
		return 0;
	set &= ~READ_ONCE(vc->mcp->user_sigmask);
	while (set) {
		int sig = __builtin_ctzll(set) + 1;

		set &= set - 1;
		if (READ_ONCE(sh->action[sig - 1].handler) == SIG_DFL &&
		    (default_action[sig] == ACT_TERM || default_action[sig] == ACT_CORE))
			fatal |= SIGBIT(sig);
	}
	return fatal;
}

/* The signals of set that t takes now: not blocked, or blocked_yet_fatal. */
static u64 deliverable(struct task *t, u64 set)
{
	return (set & ~t->sigmask) | blocked_yet_fatal(t, set);
}

/* Would delivering sig right now do nothing at all? (sighand->lock held) */
static bool sig_ignored(struct sighand *sh, int sig)
{
	u64 h = sh->action[sig - 1].handler;

	if (sig == SIGKILL || sig == SIGSTOP)
		return false;
	if (h == SIG_IGN)
		return true;
	return h == SIG_DFL && default_action[sig] == ACT_IGN;
}

/*
 * Does a thread of p block sig?  Blocked signals are never ignored (Linux:
 * the disposition may change before they are unblocked, and sigwait takes
 * them), so they are queued.  sighand->lock held.
 */
static bool any_blocks(struct proc *p, int sig)
{
	struct task *t;

	list_for_each_entry(t, &p->tasks, proc_link)
		if ((t->sigmask | t->real_blocked) & SIGBIT(sig))
			return true;
	return false;
}

static void queue_sig(struct sigpending *pd, int sig, const struct ksiginfo *info)
{
	pd->set |= SIGBIT(sig);
	if (info)
		pd->info[sig - 1] = *info;
	else
		memset(&pd->info[sig - 1], 0, sizeof(pd->info[0]));
}

/*
 * SIGCONT resumes stopped threads; stop signals cancel a pending SIGCONT
 * and vice versa.  A resume replaces an unreported stop by a continue
 * report for wait4; the CLD_CONTINUED notice is the resumed thread's to
 * send (do_stop), as the sender may hold proc_tree_lock.  sighand->lock
 * held.
 */
static void stop_cont_effects(struct proc *p, int sig)
{
	struct task *t;
	bool resumed = false;

	list_for_each_entry(t, &p->tasks, proc_link) {
		if (sig == SIGCONT) {
			t->pending.set &= ~STOP_SIGS;
			if (t->stopped) {
				t->stopped = false;
				resumed = true;
				task_wakeup(t);
			}
		} else if (SIGBIT(sig) & STOP_SIGS) {
			t->pending.set &= ~SIGBIT(SIGCONT);
		}
	}
	if (sig == SIGCONT)
		p->shared_pending.set &= ~STOP_SIGS;
	else if (SIGBIT(sig) & STOP_SIGS)
		p->shared_pending.set &= ~SIGBIT(SIGCONT);
	if (resumed) {
		p->stop_report = 0;
		p->cont_report = true;
		p->cont_notify = true;
	}
}

/*
 * Wake t if it sleeps interruptibly, so it notices the signal just queued
 * (uninterruptible sleeps ignore signals).  The barrier pairs with the
 * sleeper's (sched/wait.c): either t sees the signal before it sleeps, or
 * we see it sleeping.
 */
static void signal_wake(struct task *t, int sig)
{
	if (sig == SIGKILL)
		t->stopped = false;
	smp_mb();
	if (t->state == TASK_SLEEPING && !t->stopped)
		task_wakeup(t);
}

int send_signal_task(struct task *t, int sig, const struct ksiginfo *info)
{
	struct proc *p = t->proc;
	struct sighand *sh;
	bool queued;
	u64 flags;

	if (sig < 1 || sig > NSIG || !p)
		return -EINVAL;
	sh = p->sighand;
	flags = spin_lock_irqsave(&sh->lock);
	stop_cont_effects(p, sig);
	queued = !sig_ignored(sh, sig) || ((t->sigmask | t->real_blocked) & SIGBIT(sig));
	if (queued) {
		queue_sig(&t->pending, sig, info);
		signal_wake(t, sig);
	}
	spin_unlock_irqrestore(&sh->lock, flags);
	if (queued)
		poll_wake();	/* signalfd readiness */
	return 0;
}

int send_signal_proc(struct proc *p, int sig, const struct ksiginfo *info)
{
	struct sighand *sh = p->sighand;
	struct task *t;
	bool queued;
	u64 flags;

	if (sig < 1 || sig > NSIG)
		return -EINVAL;
	if (!sh || p->zombie)
		return 0;
	flags = spin_lock_irqsave(&sh->lock);
	stop_cont_effects(p, sig);
	/* As on Linux, a blocked signal is queued even if ignored (sigpending, sigwait, signalfd). */
	queued = !sig_ignored(sh, sig) || any_blocks(p, sig);
	if (queued) {
		queue_sig(&p->shared_pending, sig, info);
		list_for_each_entry(t, &p->tasks, proc_link) {
			if (sig == SIGKILL || deliverable(t, SIGBIT(sig))) {
				signal_wake(t, sig);
				if (sig != SIGKILL)
					break;
			}
		}
	}
	spin_unlock_irqrestore(&sh->lock, flags);
	if (queued)
		poll_wake();	/* signalfd readiness */
	return 0;
}

void force_signal(int sig, int code, uintptr_t addr)
{
	struct task *t = current();
	struct sighand *sh = t->proc->sighand;
	struct ksiginfo info = { .code = code, .addr = addr };
	u64 flags = spin_lock_irqsave(&sh->lock);

	/* A blocked or ignored fault signal cannot be survived: reset it to the default. */
	if ((t->sigmask & SIGBIT(sig)) || sh->action[sig - 1].handler == SIG_IGN) {
		t->sigmask &= ~SIGBIT(sig);
		sh->action[sig - 1].handler = SIG_DFL;
	}
	queue_sig(&t->pending, sig, &info);
	spin_unlock_irqrestore(&sh->lock, flags);
}

/*
 * The current task's signal frame could not be built: queue SIGSEGV with
 * its default action (a SIGSEGV handler would only fault the same way),
 * so the process dies instead of looping in do_signals.
 */
void force_fatal_sigsegv(void)
{
	struct sighand *sh = current()->proc->sighand;
	u64 flags = spin_lock_irqsave(&sh->lock);

	sh->action[SIGSEGV - 1].handler = SIG_DFL;
	spin_unlock_irqrestore(&sh->lock, flags);
	force_signal(SIGSEGV, SI_KERNEL, 0);
}

bool signal_pending(struct task *t)
{
	if (!t->proc)
		return false;
	/* A debugger's hold interrupts sleeps as a signal does (kern/procdbg.h). */
	if (READ_ONCE(t->dbg_hold) && !t->dbg_parked)
		return true;
	return deliverable(t, t->pending.set | t->proc->shared_pending.set) != 0;
}

/* Take the lowest signal of allowed off t's queues (its own first); 0 if none.  sighand->lock held. */
static int __dequeue_allowed(struct task *t, u64 allowed, struct ksiginfo *info)
{
	struct sigpending *sets[2] = { &t->pending, &t->proc->shared_pending };

	for (int i = 0; i < 2; i++) {
		u64 ready = sets[i]->set & allowed;

		if (ready) {
			int sig = __builtin_ctzll(ready) + 1;

			sets[i]->set &= ~SIGBIT(sig);
			*info = sets[i]->info[sig - 1];
			return sig;
		}
	}
	return 0;
}

/* Take the lowest deliverable signal off t's queues; 0 if none.  sighand->lock held. */
static int dequeue(struct task *t, struct ksiginfo *info)
{
	struct sigpending *sets[2] = { &t->pending, &t->proc->shared_pending };

	/* SIGKILL first, from either queue: nothing may delay it. */
	for (int i = 0; i < 2; i++) {
		if (sets[i]->set & SIGBIT(SIGKILL)) {
			sets[i]->set &= ~SIGBIT(SIGKILL);
			*info = sets[i]->info[SIGKILL - 1];
			return SIGKILL;
		}
	}
	return __dequeue_allowed(t, deliverable(t, ~0ULL), info);
}

int signal_dequeue_set(u64 set, struct ksiginfo *info)
{
	struct task *t = current();
	struct sighand *sh = t->proc->sighand;
	u64 flags = spin_lock_irqsave(&sh->lock);
	int sig = __dequeue_allowed(t, set, info);

	spin_unlock_irqrestore(&sh->lock, flags);
	return sig;
}

bool signal_pending_mask(struct task *t, u64 mask)
{
	return ((READ_ONCE(t->pending.set) | READ_ONCE(t->proc->shared_pending.set)) & mask) != 0;
}

/*
 * The current task takes stop signal sig (sighand->lock held, in the same
 * section that dequeued sig): it is stopped from here on, and its stop is
 * reported to wait4.  So a SIGCONT is either sent before, and has already
 * cancelled the pending stop signal, or after, and finds the task
 * stopped; none can fall between the dequeue and the stop.
 */
static void __stop_begin(struct task *t, int sig)
{
	t->stopped = true;
	t->proc->stop_report = (sig << 8) | 0x7f;
}

/*
 * Job-control stop of the current task, begun by __stop_begin: tell the
 * parent, sleep until SIGCONT or SIGKILL clears t->stopped, then, if a
 * SIGCONT resumed the process, tell the parent that (one thread does).
 */
static void do_stop(int sig)
{
	struct task *t = current();
	struct proc *p = t->proc;
	struct sighand *sh = p->sighand;
	bool continued;
	u64 flags;

	proc_notify_parent_stop(p, sig);
	flags = spin_lock_irqsave(&sh->lock);
	while (t->stopped && !(t->pending.set & SIGBIT(SIGKILL)) &&
	       !(p->shared_pending.set & SIGBIT(SIGKILL))) {
		t->state = TASK_SLEEPING;
		spin_unlock_irqrestore(&sh->lock, flags);
		schedule();
		flags = spin_lock_irqsave(&sh->lock);
	}
	t->stopped = false;
	continued = p->cont_notify;
	p->cont_notify = false;
	spin_unlock_irqrestore(&sh->lock, flags);
	if (continued)
		proc_notify_parent_cont(p);
}

#define ERESTARTSYS	512

void do_signals(struct hw_trapframe *tf)
{
	struct task *t = current();
	struct sighand *sh;

	if (!t->proc)
		return;
	sh = t->proc->sighand;
	for (;;) {
		struct abi_sigaction ka;
		struct ksiginfo info;
		u64 flags = spin_lock_irqsave(&sh->lock);
		int sig = dequeue(t, &info);

		if (!sig) {
			spin_unlock_irqrestore(&sh->lock, flags);
			break;
		}
		if (sig != SIGKILL && READ_ONCE(t->proc->dbg) && !t->kworker) {
			/* Traced: the debugger sees the signal first and may cancel it (not
			 * in a kernel worker: no thread of its to report, struct task.kworker). */
			spin_unlock_irqrestore(&sh->lock, flags);
			sig = procdbg_signal(tf, sig);
			if (!sig)
				continue;
			flags = spin_lock_irqsave(&sh->lock);
		}
		ka = sh->action[sig - 1];
		if (ka.handler > SIG_IGN && (ka.flags & SA_RESETHAND))
			sh->action[sig - 1].handler = SIG_DFL;
		if (default_action[sig] == ACT_STOP && (ka.handler == SIG_DFL || sig == SIGSTOP))
			__stop_begin(t, sig);	/* do_stop below */
		spin_unlock_irqrestore(&sh->lock, flags);

		if (ka.handler == SIG_IGN && sig != SIGKILL && sig != SIGSTOP)
			continue;
		if (ka.handler == SIG_DFL || sig == SIGKILL || sig == SIGSTOP) {
			switch (default_action[sig]) {
			case ACT_IGN:
			case ACT_CONT:
				continue;
			case ACT_STOP:
				do_stop(sig);
				continue;
			case ACT_CORE:
				/*
				 * No core file is ever written, so the status never
				 * says "core dumped" (Linux sets 0x80 only after a
				 * dump, and its default soft RLIMIT_CORE is 0).
				 */
			default:
				proc_exit_group(sig);
			}
		}
		/* A handler: an interrupted syscall fails with EINTR unless SA_RESTART. */
		if (tf->trapno == T_SYSCALL && (s64)tf->rax == -ERESTARTSYS) {
			if (ka.flags & SA_RESTART) {
				tf->rax = tf->err;
				tf->rip -= 2;
			} else {
				tf->rax = -EINTR;
			}
		}
		if (!setup_sigframe(tf, sig, &ka, &info)) {
			/* Like Linux's force_sigsegv: no frame, no handler. */
			force_fatal_sigsegv();
			continue;
		}
		t->restore_sigmask = false;	/* the frame holds the mask to restore */
		if (!(ka.flags & SA_NODEFER))
			t->sigmask |= SIGBIT(sig);
		t->sigmask |= ka.mask & ~SIG_UNBLOCKABLE;
		break;
	}
	/* No handler ran: a syscall interrupted only by ignored signals restarts. */
	if (tf->trapno == T_SYSCALL && (s64)tf->rax == -ERESTARTSYS) {
		tf->rax = tf->err;
		tf->rip -= 2;
	}
	if (t->restore_sigmask) {
		t->restore_sigmask = false;
		t->sigmask = t->saved_sigmask;
	}
}

void user_return_work(struct hw_trapframe *tf)
{
	struct task *t = current();

	touch_softlockup_watchdog();	/* user mode counts as scheduling */
	for (;;) {
		if (t->need_resched)
			schedule();
		if (READ_ONCE(t->dbg_hold))
			procdbg_park(tf);
		if (signal_pending(t) || t->restore_sigmask ||
		    (tf->trapno == T_SYSCALL && (s64)tf->rax == -ERESTARTSYS))
			do_signals(tf);
		if (t->vcore)
			mcp_return_to_user(tf);	/* vcore entry, notification, preemption */
		if (!t->need_resched && !signal_pending(t) && !READ_ONCE(t->dbg_hold))
			return;
	}
}
