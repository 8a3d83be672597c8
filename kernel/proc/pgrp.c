/*
 * Process groups and sessions seen as sets of processes.  A group or a
 * session has no object of its own: it is the processes whose pgid/sid
 * equal its id, found by walking the pid table under proc_tree_lock.
 *
 * Orphaned groups (POSIX, Linux kernel/exit.c): a process group is
 * orphaned when no member has a parent that is in another group of the
 * same session (init does not count as a parent), i.e. no job-control
 * shell can resume it any more.  When an exit orphans a group that has
 * stopped members, the group gets SIGHUP then SIGCONT: the exiting
 * process's own group, and the groups of the children it hands to init.
 * The terminal uses the same test (reads and writes from orphaned
 * background groups fail with EIO instead of stopping, drivers/tty/tty.c).
 *
 * Locking: every function here runs under proc_tree_lock (the __ prefix);
 * task stop states are read under each proc->lock (proc_tree_lock ->
 * proc->lock).
 */
#include <kern/proc.h>
#include <kern/sched.h>

void __signal_pgrp(int pgrp, int sig)
{
	struct proc *p;
	int cursor = 0;

	if (pgrp <= 0)
		return;
	while ((p = __proc_next(&cursor)))
		if (p->pgid == pgrp && !p->zombie)
			send_signal_proc(p, sig, NULL);
}

bool __pgrp_orphaned(int pgrp, int sid, struct proc *ignore)
{
	struct proc *p;
	int cursor = 0;

	while ((p = __proc_next(&cursor))) {
		if (p->pgid != pgrp || p == ignore || p->zombie || !p->parent ||
		    p->parent->pid == 1)
			continue;
		if (p->parent->pgid != pgrp && p->parent->sid == sid)
			return false;
	}
	return true;
}

/* Has a live member of group pgrp a thread stopped by job control? */
static bool __pgrp_has_stopped(int pgrp)
{
	struct proc *p;
	struct task *t;
	int cursor = 0;
	bool stopped = false;

	while (!stopped && (p = __proc_next(&cursor))) {
		if (p->pgid != pgrp || p->zombie)
			continue;
		spin_lock(&p->lock);
		list_for_each_entry(t, &p->tasks, proc_link)
			stopped |= READ_ONCE(t->stopped);
		spin_unlock(&p->lock);
	}
	return stopped;
}

void __kill_orphaned_pgrp(struct proc *q, struct proc *parent, struct proc *ignore)
{
	if (!parent || parent->pgid == q->pgid || parent->sid != q->sid)
		return;
	if (!__pgrp_orphaned(q->pgid, q->sid, ignore) || !__pgrp_has_stopped(q->pgid))
		return;
	__signal_pgrp(q->pgid, SIGHUP);
	__signal_pgrp(q->pgid, SIGCONT);
}
