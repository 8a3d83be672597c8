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
	kfree(p);
}

void proc_remove_task(struct proc *p, struct task *t)
{
	u64 flags = spin_lock_irqsave(&p->lock);

	list_del_init(&t->proc_link);
	p->nr_tasks--;
	spin_unlock_irqrestore(&p->lock, flags);
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
	/* wait_event fails at once while we have a signal pending: yield instead of spinning. */
	while (!only_me_left(p))
		if (wait_event(&p->child_wait, only_me_left, p, 0))
			sched_yield_cpu();
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
		wake_up(&init->child_wait);
}

/* Tell the parent: exit signal with siginfo, and wake its waiters. */
static void notify_parent(struct proc *p, int code, int status)
{
	struct proc *parent = p->parent;
	struct ksiginfo info = { .code = code, .pid = p->pid, .uid = p->uid, .status = status };

	if (!parent)
		return;
	if (p->exit_signal)
		send_signal_proc(parent, p->exit_signal, &info);
	wake_up(&parent->child_wait);
}

/* Does the parent want its children auto-reaped (SIGCHLD ignored or SA_NOCLDWAIT)? */
static bool parent_autoreaps(struct proc *parent)
{
	struct abi_sigaction *a = &parent->sighand->action[SIGCHLD - 1];

	return a->handler == SIG_IGN || (a->flags & SA_NOCLDWAIT);
}

/* SIGCONT resumed p: CLD_CONTINUED to the parent (unless it asked SA_NOCLDSTOP). */
void proc_notify_parent_cont(struct proc *p)
{
	struct proc *parent = p->parent;

	if (!parent || (parent->sighand->action[SIGCHLD - 1].flags & SA_NOCLDSTOP))
		wake_up(parent ? &parent->child_wait : &p->child_wait);
	else
		notify_parent(p, 6 /* CLD_CONTINUED */, SIGCONT);
}

void proc_notify_parent_stop(struct proc *p, int sig)
{
	p->stop_report = (sig << 8) | 0x7f;
	notify_parent(p, 5 /* CLD_STOPPED */, sig);
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

static void __noreturn exit_last_thread(struct proc *p, int wstatus)
{
	struct task *t = current();
	bool autoreap;
	u64 flags;

	clear_child_tid(t);
	proc_vfork_release(p);
	release_resources(p);
	tty_exit_session(p);
	reparent_children(p);
	flags = spin_lock_irqsave(&proc_tree_lock);
	p->exit_status = wstatus;
	p->state = PROC_DYING;
	autoreap = p->parent && parent_autoreaps(p->parent);
	p->zombie = true;
	spin_unlock_irqrestore(&proc_tree_lock, flags);
	proc_remove_task(p, t);
	if (p->pid == 1)
		panic("init exited with status 0x%x", wstatus);
	notify_parent(p, (wstatus & 0x7f) ? ((wstatus & 0x80) ? 3 : 2) : 1,
		      (wstatus & 0x7f) ? (wstatus & 0x7f) : (wstatus >> 8) & 0xff);
	if (autoreap) {
		flags = spin_lock_irqsave(&proc_tree_lock);
		list_del_init(&p->sibling);
		__proc_unhash(p);
		spin_unlock_irqrestore(&proc_tree_lock, flags);
		proc_free(p);
	}
	task_exit_current();
}

/* End the current thread, which is not the last one of its process. */
static void __noreturn exit_this_thread(struct proc *p, struct task *t)
{
	clear_child_tid(t);
	proc_remove_task(p, t);
	p->utime_ns += t->utime_ns;
	p->stime_ns += t->stime_ns;
	if (t->tid != p->pid)
		tid_free(t->tid);
	wake_up(&p->child_wait);
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

	if (!proc_claim_group_exit(p))
		exit_this_thread(p, current());
	proc_kill_other_threads(p);
	exit_last_thread(p, wstatus);
}

void proc_exit_thread(int code)
{
	struct proc *p = current_proc();

	if (READ_ONCE(p->nr_tasks) <= 1)
		proc_exit_group((code & 0xff) << 8);
	exit_this_thread(p, current());
}

/* A thread killed while another one tears the process down (exec). */
void __noreturn proc_exit_killed_thread(void)
{
	exit_this_thread(current_proc(), current());
}

struct wait_scan {
	struct proc *me;
	int pid;		/* wait4 convention: -1 any, >0 pid, 0 my pgid, <-1 pgid */
	int options;
	struct proc *found;	/* zombie or stopped child to report */
	int status;
	bool have_children;
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

/* wait_event condition: something to report, or nothing to wait for. */
static bool scan_children(void *arg)
{
	struct wait_scan *ws = arg;
	struct proc *c;
	u64 flags = spin_lock_irqsave(&proc_tree_lock);

	ws->have_children = false;
	list_for_each_entry(c, &ws->me->children, sibling) {
		if (!child_matches(ws, c))
			continue;
		ws->have_children = true;
		if (c->zombie && (ws->options & WEXITED)) {
			ws->found = c;
			ws->status = c->exit_status;
			break;
		}
		if (c->cont_report && (ws->options & WCONTINUED)) {
			ws->found = c;
			ws->status = 0xffff;
			if (!(ws->options & WNOWAIT))
				c->cont_report = false;
			break;
		}
		if (c->stop_report && (ws->options & WUNTRACED)) {
			ws->found = c;
			ws->status = c->stop_report;
			if (!(ws->options & WNOWAIT))
				c->stop_report = 0;
			break;
		}
	}
	spin_unlock_irqrestore(&proc_tree_lock, flags);
	return ws->found || !ws->have_children || (ws->options & WNOHANG);
}

/* Remove a reported zombie from the tree and free it; adds its times to ours. */
static void reap(struct proc *me, struct proc *c)
{
	u64 flags = spin_lock_irqsave(&proc_tree_lock);

	list_del_init(&c->sibling);
	__proc_unhash(c);
	spin_unlock_irqrestore(&proc_tree_lock, flags);
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
	err = wait_event(&me->child_wait, scan_children, &ws, 0);
	if (err)
		return -ERESTARTSYS;
	if (!ws.found)
		return ws.have_children ? 0 : -ECHILD;
	id = ws.found->pid;
	if (wstatus)
		*wstatus = ws.status;
	if (siginfo_out) {
		struct abi_siginfo *si = siginfo_out;

		memset(si, 0, sizeof(*si));
		si->si_signo = SIGCHLD;
		si->kill.pid = id;
		si->kill.uid = ws.found->uid;
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
	if (ws.found->zombie && !(options & WNOWAIT))
		reap(me, ws.found);
	return id;
}
