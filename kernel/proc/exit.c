/*
 * Process and thread exit, and waiting for children.
 *
 * exit_group: the other threads are killed, then the process releases
 * its descriptors, filesystem context and address space, hangs up the
 * console if it leads the session that owns it (drivers/tty/tty.c), hands its
 * children to init (pid 1), becomes a zombie holding only its wait
 * status, and tells its parent (exit signal + child_wait wakeup).  The
 * last task then exits; the zombie struct proc lives until wait4/waitid
 * reaps it (or at once if the parent ignores SIGCHLD).
 */
#include <kern/proc.h>
#include <kern/mcp.h>
#include <kern/sched.h>
#include <kern/uvm.h>
#include <kern/vm.h>
#include <kern/kmalloc.h>
#include <kern/uaccess.h>
#include <kern/string.h>
#include <kern/errno.h>
#include <kern/printk.h>
#include <kern/syscall.h>
#include <kern/futex.h>
#include <kern/tty.h>
#include <kern/ttrace.h>
#include <kern/procdbg.h>
#include <arch/x86.h>
#include <abi/wait.h>
#include "internal.h"

void fdt_put(struct fd_table *t)
{
	if (__atomic_fetch_sub(&t->sharers, 1, __ATOMIC_ACQ_REL) > 0)
		return;
	fdt_destroy(t);
	kfree(t);
}

/* Free a process structure that is no longer in the pid table. */
void proc_free(struct proc *p)
{
	if (p->mm)
		mm_put(p->mm);
	if (p->fdt)
		fdt_put(p->fdt);
	vfs_ctx_put(&p->fs);
	if (p->sighand)
		sighand_put(p->sighand);
	procdbg_release(p);
	mcp_free(p);
	kfree(p);
}

void proc_remove_task(struct proc *p, struct task *t)
{
	u64 flags = spin_lock_irqsave(&p->lock);

	spin_lock(&p->sighand->lock);	/* signal code walks the list under it */
	list_del_init(&t->proc_link);
	spin_unlock(&p->sighand->lock);
	p->nr_tasks--;
	spin_unlock_irqrestore(&p->lock, flags);
	mcp_task_exit(p, t);	/* a vcore gives its core back */
}

static bool only_me_left(void *arg)
{
	return READ_ONCE(((struct proc *)arg)->nr_tasks) <= 1;
}

void proc_kill_other_threads(struct proc *p)
{
	struct task *t, *me = current();
	u64 flags = spin_lock_irqsave(&p->lock);

	list_for_each_entry(t, &p->tasks, proc_link)
		if (t != me)
			send_signal_task(t, SIGKILL, NULL);
	spin_unlock_irqrestore(&p->lock, flags);
	/* They all have SIGKILL; our own pending signals must not end the wait. */
	wait_event_uninterruptible(&p->child_wait, only_me_left, p);
}

/*
 * Something a wait4 of parent may report has changed (the caller changed
 * it first): count the event and wake parent's waiters.
 */
static void child_event(struct proc *parent)
{
	__atomic_add_fetch(&parent->child_events, 1, __ATOMIC_RELEASE);
	wake_up(&parent->child_wait);
}

/*
 * Give p's children to init; wake init if any of them is already a zombie.
 * Groups that this orphans (p's own, its children's) get SIGHUP + SIGCONT
 * if they have stopped members (proc/pgrp.c).
 */
static void reparent_children(struct proc *p)
{
	struct proc *init, *c, *n;
	bool zombies = false;
	LIST_HEAD(moved);
	u64 flags = spin_lock_irqsave(&proc_tree_lock);

	init = __pid_lookup(1);
	list_for_each_entry_safe(c, n, &p->children, sibling) {
		list_del_init(&c->sibling);
		c->parent = init;
		if (init && init != p) {
			list_add_tail(&c->sibling, &moved);
			zombies |= c->zombie;
		}
	}
	list_for_each_entry(c, &moved, sibling)
		if (!c->zombie)
			__kill_orphaned_pgrp(c, p, NULL);
	__kill_orphaned_pgrp(p, p->parent, p);
	list_for_each_entry_safe(c, n, &moved, sibling) {
		list_del_init(&c->sibling);
		list_add_tail(&c->sibling, &init->children);
	}
	spin_unlock_irqrestore(&proc_tree_lock, flags);
	if (zombies)
		child_event(init);
}

/* Tell the parent: exit signal with siginfo, and wake its waiters (proc_tree_lock held). */
static void notify_parent(struct proc *p, int code, int status)
{
	struct proc *parent = p->parent;
	struct ksiginfo info = { .code = code, .pid = p->pid, .uid = p->uid, .status = status };

	if (!parent)
		return;
	if (p->exit_signal)
		send_signal_proc(parent, p->exit_signal, &info);
	child_event(parent);
}

/* Does the parent want its children auto-reaped (SIGCHLD ignored or SA_NOCLDWAIT)? */
static bool parent_autoreaps(struct proc *parent)
{
	struct abi_sigaction *a = &parent->sighand->action[SIGCHLD - 1];

	return a->handler == SIG_IGN || (a->flags & SA_NOCLDWAIT);
}

/*
 * p stopped or was continued (code CLD_STOPPED or CLD_CONTINUED, status
 * the signal): SIGCHLD to the parent unless it asked SA_NOCLDSTOP, and
 * wake its wait4.  Called by the task that stopped or resumed, holding no
 * lock; proc_tree_lock keeps the parent from going away meanwhile.
 */
static void notify_parent_job(struct proc *p, int code, int status)
{
	u64 flags = spin_lock_irqsave(&proc_tree_lock);
	struct proc *parent = p->parent;

	if (parent && (parent->sighand->action[SIGCHLD - 1].flags & SA_NOCLDSTOP))
		child_event(parent);
	else
		notify_parent(p, code, status);
	spin_unlock_irqrestore(&proc_tree_lock, flags);
}

void proc_notify_parent_cont(struct proc *p)
{
	notify_parent_job(p, 6 /* CLD_CONTINUED */, SIGCONT);
}

void proc_notify_parent_stop(struct proc *p, int sig)
{
	notify_parent_job(p, 5 /* CLD_STOPPED */, sig);
}

/* Release everything but the wait status; the last thread calls it. */
static void release_resources(struct proc *p)
{
	p->itimer_real_interval_ns = 0;
	ktimer_cancel(&p->itimer_real);
	struct mm *mm;
	struct fd_table *fdt;
	struct vfs_ctx fs;
	u64 flags;

	/* Detach under p->lock so #proc never sees freed parts (wt-procfs). */
	flags = spin_lock_irqsave(&p->lock);
	mm = p->mm;
	fdt = p->fdt;
	fs = p->fs;
	p->mm = NULL;
	p->fdt = NULL;
	memset(&p->fs, 0, sizeof(p->fs));
	spin_unlock_irqrestore(&p->lock, flags);
	fdt_put(fdt);
	vfs_ctx_put(&fs);
	write_cr3(kern_pml4_pa);
	mm_put(mm);
}

/* Release robust futexes, clear and wake the CLONE_CHILD_CLEARTID word (ipc/futex.c). */
static void clear_child_tid(struct task *t)
{
	futex_thread_exit(t);
}

/*
 * Finish the process: the current task is its last thread.  The parent may
 * reap and free p the moment it is a zombie, so everything that needs p
 * (leaving its thread list included) is done first; p becomes a zombie,
 * the parent is told and an auto-reaped p leaves the tree in one
 * proc_tree_lock section (which also keeps the parent from going away);
 * only an auto-reaped p, ours to free, is touched after it.
 */
static void __noreturn exit_last_thread(struct proc *p, int wstatus)
{
	struct task *t = current();
	bool autoreap;
	u64 flags;

	ttrace_proc_exit(t, wstatus);
	clear_child_tid(t);
	proc_vfork_release(p);
	release_resources(p);
	tty_exit_session(p);
	reparent_children(p);
	if (p->pid == 1)
		panic("init exited with status 0x%x", wstatus);
	proc_remove_task(p, t);
	procdbg_exit(p, wstatus);
	flags = spin_lock_irqsave(&proc_tree_lock);
	p->exit_status = wstatus;
	spin_lock(&p->lock);
	p->state = PROC_DYING;
	spin_unlock(&p->lock);
	p->zombie = true;
	autoreap = p->parent && parent_autoreaps(p->parent);
	notify_parent(p, (wstatus & 0x7f) ? ((wstatus & 0x80) ? 3 : 2) : 1,
		      (wstatus & 0x7f) ? (wstatus & 0x7f) : (wstatus >> 8) & 0xff);
	if (autoreap) {
		list_del_init(&p->sibling);
		__proc_unhash(p);
	}
	spin_unlock_irqrestore(&proc_tree_lock, flags);
	if (autoreap)
		proc_free(p);
	task_exit_current();
}

/*
 * End the current thread t of p, unless it is p's last thread: then
 * return at once, and the caller finishes the process.  Deciding "not the
 * last", leaving the thread list and waking child_wait (an exit_group
 * waits there for the others to go) happen under p->lock: two threads
 * exiting at once cannot both think the other is the last, and the thread
 * that finishes p takes p->lock (proc_remove_task) before p can become a
 * zombie and be freed, so t is done with p when it lets go of the lock.
 */
static void exit_this_thread(struct proc *p, struct task *t)
{
	bool own_tid = t->tid != p->pid;
	u64 flags;

	/* Before the CLEARTID wake: a joiner may call change_to_m at once. */
	__atomic_store_n(&t->thread_exiting, true, __ATOMIC_RELEASE);
	clear_child_tid(t);
	mcp_task_exit(p, t);	/* a vcore gives its core back */
	flags = spin_lock_irqsave(&p->lock);
	if (p->nr_tasks <= 1) {
		spin_unlock_irqrestore(&p->lock, flags);
		return;
	}
	ttrace_proc_exit(t, 0);
	/*
	 * Leave the address space before we stop counting: once nr_tasks
	 * drops, an exec'ing or exiting sibling may free p->mm's page tables,
	 * and this CPU must not walk them on its way to schedule() (a reused
	 * PML4 page made the next interrupt triple-fault).
	 */
	write_cr3(kern_pml4_pa);
	spin_lock(&p->sighand->lock);	/* signal code walks the list under it */
	list_del_init(&t->proc_link);
	spin_unlock(&p->sighand->lock);
	p->nr_tasks--;
	p->utime_ns += t->utime_ns;
	p->stime_ns += t->stime_ns;
	wake_up(&p->child_wait);
	procdbg_thread_gone(p);
	spin_unlock_irqrestore(&p->lock, flags);
	if (own_tid)
		tid_free(t->tid);
	task_exit_current();
}

/*
 * Become the one thread that tears the process down (exit_group, or
 * execve killing its siblings); false if another thread already is, in
 * which case the caller must just end itself: it has been sent SIGKILL.
 */
bool proc_claim_group_exit(struct proc *p)
{
	bool expected = false;

	return __atomic_compare_exchange_n(&p->exiting, &expected, true, false,
					   __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}

void proc_exit_group(int wstatus)
{
	struct proc *p = current_proc();

	/* Never the last thread if the claim fails: the claimer is still listed. */
	if (!proc_claim_group_exit(p))
		exit_this_thread(p, current());
	proc_kill_other_threads(p);
	exit_last_thread(p, wstatus);
}

void proc_exit_thread(int code)
{
	exit_this_thread(current_proc(), current());
	/* The last thread: its exit code is the process's. */
	proc_exit_group((code & 0xff) << 8);
}

/* A thread killed while another one tears the process down (exec). */
void __noreturn proc_exit_killed_thread(void)
{
	exit_this_thread(current_proc(), current());
	/* Not reached: the exec'ing thread is still listed. */
	proc_exit_group(SIGKILL);
}

struct wait_scan {
	struct proc *me;
	int pid;		/* wait4 convention: -1 any, >0 pid, 0 my pgid, <-1 pgid */
	int options;
	bool found;		/* a child to report: */
	int found_pid;		/* its pid, */
	u32 found_uid;		/* uid, */
	int status;		/* and wait status */
	struct proc *reaped;	/* the zombie found, out of the tree, to free (unless WNOWAIT) */
	bool have_children;
	u32 events;		/* me->child_events when the scan ran */
};

static bool child_matches(const struct wait_scan *ws, const struct proc *c)
{
	if (ws->pid == -1)
		return true;
	if (ws->pid > 0)
		return c->pid == ws->pid;
	if (ws->pid == 0)
		return c->pgid == ws->me->pgid;
	return c->pgid == -ws->pid;
}

/*
 * A continue (0xffff) or stop report of c that options ask for, consumed
 * unless WNOWAIT; 0 if none.  The reports change with the stops and
 * continues themselves, under c's sighand->lock (proc/signal.c).
 */
static int take_job_report(struct proc *c, int options)
{
	struct sighand *sh = c->sighand;
	u64 flags = spin_lock_irqsave(&sh->lock);
	int status = 0;

	if (c->cont_report && (options & WCONTINUED)) {
		status = 0xffff;
		if (!(options & WNOWAIT))
			c->cont_report = false;
	} else if (c->stop_report && (options & WUNTRACED)) {
		status = c->stop_report;
		if (!(options & WNOWAIT))
			c->stop_report = 0;
	}
	spin_unlock_irqrestore(&sh->lock, flags);
	return status;
}

/*
 * Look for something to report, under proc_tree_lock only: never as a
 * wait_event condition, which runs under child_wait's lock, because lock
 * order puts proc_tree_lock first and notifiers wake child_wait holding
 * it (exit_last_thread, notify_parent_job).  A zombie that will be reaped
 * is taken out of the tree here, so two threads waiting at once cannot
 * both reap it.  Notes me->child_events as of the scan.  True when wait4
 * is done: something found, nothing to wait for, or WNOHANG.
 */
static bool scan_children(struct wait_scan *ws)
{
	struct proc *c;
	u64 flags = spin_lock_irqsave(&proc_tree_lock);

	ws->events = __atomic_load_n(&ws->me->child_events, __ATOMIC_ACQUIRE);
	ws->have_children = false;
	list_for_each_entry(c, &ws->me->children, sibling) {
		if (!child_matches(ws, c))
			continue;
		ws->have_children = true;
		if (c->zombie && (ws->options & WEXITED)) {
			ws->status = c->exit_status;
			if (!(ws->options & WNOWAIT)) {
				list_del_init(&c->sibling);
				__proc_unhash(c);
				ws->reaped = c;
			}
		} else if (!c->zombie && (ws->options & (WCONTINUED | WUNTRACED))) {
			ws->status = take_job_report(c, ws->options);
			if (!ws->status)
				continue;
		} else {
			continue;
		}
		ws->found = true;
		ws->found_pid = c->pid;
		ws->found_uid = c->uid;
		break;
	}
	spin_unlock_irqrestore(&proc_tree_lock, flags);
	return ws->found || !ws->have_children || (ws->options & WNOHANG);
}

/* wait_event condition: a child event since the last scan (reads one counter, takes no lock). */
static bool child_event_since(void *arg)
{
	struct wait_scan *ws = arg;

	return __atomic_load_n(&ws->me->child_events, __ATOMIC_ACQUIRE) != ws->events;
}

/* Free a reported zombie that scan_children took out of the tree; adds its times to ours. */
static void reap(struct proc *me, struct proc *c)
{
	me->cutime_ns += c->utime_ns + c->cutime_ns;
	me->cstime_ns += c->stime_ns + c->cstime_ns;
	proc_free(c);
}

long proc_wait(int pid, int *wstatus, int options, bool waitid_style, void *siginfo_out)
{
	struct proc *me = current_proc();
	struct wait_scan ws = { .me = me, .pid = pid, .options = options };
	int err, id;

	if (!waitid_style)
		ws.options |= WEXITED;
	while (!scan_children(&ws)) {
		err = wait_event(&me->child_wait, child_event_since, &ws, 0);
		if (err)
			return -ERESTARTSYS;
	}
	if (!ws.found)
		return ws.have_children ? 0 : -ECHILD;
	id = ws.found_pid;
	if (wstatus)
		*wstatus = ws.status;
	if (siginfo_out) {
		struct abi_siginfo *si = siginfo_out;

		memset(si, 0, sizeof(*si));
		si->si_signo = SIGCHLD;
		si->kill.pid = id;
		si->kill.uid = ws.found_uid;
		if (ws.status == 0xffff) {
			si->si_code = 6;	/* CLD_CONTINUED */
			si->kill.status = SIGCONT;
		} else if ((ws.status & 0xff) == 0x7f) {
			si->si_code = 5;	/* CLD_STOPPED */
			si->kill.status = (ws.status >> 8) & 0xff;
		} else if (ws.status & 0x7f) {
			si->si_code = (ws.status & 0x80) ? CLD_DUMPED : CLD_KILLED;
			si->kill.status = ws.status & 0x7f;
		} else {
			si->si_code = CLD_EXITED;
			si->kill.status = (ws.status >> 8) & 0xff;
		}
	}
	if (ws.reaped)
		reap(me, ws.reaped);
	return id;
}
