/*
 * Signal system calls: sigaction, masks, sending (kill, tkill, tgkill),
 * waiting (pause, rt_sigsuspend, rt_sigtimedwait), sigaltstack and
 * rt_sigreturn.  The sigset size argument must be 8, as on Linux.
 */
#include <kern/syscall.h>
#include <kern/proc.h>
#include <kern/sched.h>
#include <kern/uaccess.h>
#include <kern/errno.h>
#include <kern/string.h>
#include <kern/time.h>
#include <arch/trap.h>
#include "internal.h"

SYSCALL_DEFINE4(rt_sigaction, int, sig, const struct abi_sigaction *, uact,
		struct abi_sigaction *, uold, size_t, setsize)
{
	struct sighand *sh = current_proc()->sighand;
	struct abi_sigaction nact, oact;
	u64 flags;

	if (setsize != 8 || sig < 1 || sig > NSIG)
		return -EINVAL;
	if (uact && copy_from_user(&nact, uact, sizeof(nact)))
		return -EFAULT;
	if (uact && (sig == SIGKILL || sig == SIGSTOP))
		return -EINVAL;
	flags = spin_lock_irqsave(&sh->lock);
	oact = sh->action[sig - 1];
	if (uact) {
		nact.mask &= ~SIG_UNBLOCKABLE;
		sh->action[sig - 1] = nact;
	}
	spin_unlock_irqrestore(&sh->lock, flags);
	if (uold && copy_to_user(uold, &oact, sizeof(oact)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE4(rt_sigprocmask, int, how, const u64 *, uset, u64 *, uold, size_t, setsize)
{
	struct task *t = current();
	u64 set, old = t->sigmask;

	if (setsize != 8)
		return -EINVAL;
	if (uset) {
		if (copy_from_user(&set, uset, sizeof(set)))
			return -EFAULT;
		if (how == SIG_BLOCK)
			t->sigmask |= set;
		else if (how == SIG_UNBLOCK)
			t->sigmask &= ~set;
		else if (how == SIG_SETMASK)
			t->sigmask = set;
		else
			return -EINVAL;
		t->sigmask &= ~SIG_UNBLOCKABLE;
	}
	if (uold && copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE2(rt_sigpending, u64 *, uset, size_t, setsize)
{
	struct task *t = current();
	u64 set;

	if (setsize > 8)
		return -EINVAL;
	set = (t->pending.set | t->proc->shared_pending.set) & t->sigmask;
	return copy_to_user(uset, &set, setsize) ? -EFAULT : 0;
}

/* Condition of the signal waits: only a signal (or the deadline) ends them. */
static bool never(void *arg)
{
	(void)arg;
	return false;
}

/* Sleep until a signal is delivered; always -EINTR (handlers run on the way out). */
static long wait_for_signal(void)
{
	struct wait_queue wq;

	wait_queue_init(&wq, "pause");
	while (wait_event(&wq, never, NULL, 0) != -EINTR)
		;
	return -EINTR;
}

SYSCALL_DEFINE0(pause)
{
	return wait_for_signal();
}

SYSCALL_DEFINE2(rt_sigsuspend, const u64 *, uset, size_t, setsize)
{
	struct task *t = current();
	u64 set;

	if (setsize != 8)
		return -EINVAL;
	if (copy_from_user(&set, uset, sizeof(set)))
		return -EFAULT;
	t->saved_sigmask = t->sigmask;
	t->restore_sigmask = true;
	t->sigmask = set & ~SIG_UNBLOCKABLE;
	return wait_for_signal();
}

#define NSEC_PER_SEC	1000000000LL

/*
 * Wait for one of the blocked signals in uset: it is taken off the queue
 * (the thread's own first, then the process's) and returned with its
 * siginfo.  While waiting the set is unblocked so that its signals wake
 * us, and real_blocked keeps them counted as blocked.  A zero timeout
 * only polls; EAGAIN when the time runs out, EINTR when another signal's
 * handler is to run (never restarted, as on Linux).
 */
SYSCALL_DEFINE4(rt_sigtimedwait, const u64 *, uset, struct abi_siginfo *, uinfo,
		const struct abi_timespec *, uts, size_t, setsize)
{
	struct task *t = current();
	struct abi_timespec ts;
	struct abi_siginfo si;
	struct ksiginfo info;
	struct wait_queue wq;
	u64 set, deadline = 0;
	int sig, err = -EAGAIN;

	if (setsize != 8)
		return -EINVAL;
	if (copy_from_user(&set, uset, sizeof(set)))
		return -EFAULT;
	if (uts && copy_from_user(&ts, uts, sizeof(ts)))
		return -EFAULT;
	if (uts && (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= NSEC_PER_SEC))
		return -EINVAL;
	set &= ~SIG_UNBLOCKABLE;
	sig = signal_dequeue_set(set, &info);
	if (!sig && (!uts || ts.tv_sec || ts.tv_nsec)) {
		if (uts)
			deadline = nsec_since_boot() + (u64)ts.tv_sec * NSEC_PER_SEC + (u64)ts.tv_nsec;
		wait_queue_init(&wq, "sigtimedwait");
		t->real_blocked = t->sigmask;
		t->sigmask &= ~set;
		err = wait_event(&wq, never, NULL, deadline) == -ETIMEDOUT ? -EAGAIN : -EINTR;
		t->sigmask = t->real_blocked;
		t->real_blocked = 0;
		sig = signal_dequeue_set(set, &info);
	}
	if (!sig)
		return err;
	siginfo_fill(&si, sig, &info);
	if (uinfo && copy_to_user(uinfo, &si, sizeof(si)))
		return -EFAULT;
	return sig;
}

/* kill(2) targets: >0 pid, 0 own group, -1 everyone we may signal, <-1 group -pid. */
SYSCALL_DEFINE2(kill, int, pid, int, sig)
{
	struct proc *me = current_proc(), *p;
	struct ksiginfo info = { .code = SI_USER, .pid = me->pid, .uid = me->uid };
	int cursor = 0, found = 0, err = 0;
	u64 flags;

	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	flags = spin_lock_irqsave(&proc_tree_lock);
	if (pid > 0) {
		p = __pid_lookup(pid);
		if (p && p->pid == pid) {
			found = 1;	/* a zombie still exists: signals to it succeed and do nothing */
			if (me->euid && me->euid != p->uid && me->uid != p->uid)
				err = -EPERM;
			else if (sig)
				err = send_signal_proc(p, sig, &info);
		}
	} else {
		while ((p = __proc_next(&cursor))) {
			if (p->zombie || p->pid == 1)
				continue;
			if (pid == 0 && p->pgid != me->pgid)
				continue;
			if (pid < -1 && p->pgid != -pid)
				continue;
			if (pid == -1 && p == me)
				continue;
			found++;
			if (sig && (!me->euid || me->uid == p->uid))
				send_signal_proc(p, sig, &info);
		}
	}
	spin_unlock_irqrestore(&proc_tree_lock, flags);
	return found ? err : -ESRCH;
}

static long do_tkill(int tgid, int tid, int sig)
{
	struct proc *me = current_proc();
	struct ksiginfo info = { .code = SI_TKILL, .pid = me->pid, .uid = me->uid };
	struct task *t;
	long ret = 0;
	u64 flags;

	if (tid <= 0 || sig < 0 || sig > NSIG || (tgid != -1 && tgid <= 0))
		return -EINVAL;
	flags = spin_lock_irqsave(&proc_tree_lock);
	t = __thread_lookup(tgid, tid);
	if (!t)
		ret = -ESRCH;
	else if (sig)
		ret = send_signal_task(t, sig, &info);
	spin_unlock_irqrestore(&proc_tree_lock, flags);
	return ret;
}

SYSCALL_DEFINE3(tgkill, int, tgid, int, tid, int, sig)
{
	return do_tkill(tgid, tid, sig);
}

SYSCALL_DEFINE2(tkill, int, tid, int, sig)
{
	return do_tkill(-1, tid, sig);
}

SYSCALL_DEFINE2(sigaltstack, const struct abi_stack *, uss, struct abi_stack *, uoss)
{
	struct task *t = current();
	struct abi_stack ss, old = t->altstack;
	uintptr_t sp = t->utf->rsp;
	bool on = old.ss_size && sp > old.ss_sp && sp - old.ss_sp <= old.ss_size;

	old.ss_flags = !old.ss_size ? SS_DISABLE : (on ? SS_ONSTACK : 0);
	if (uss) {
		if (copy_from_user(&ss, uss, sizeof(ss)))
			return -EFAULT;
		if (on)
			return -EPERM;
		if ((u32)ss.ss_flags & ~(SS_DISABLE | (1U << 31)))	/* SS_AUTODISARM */
			return -EINVAL;
		if (ss.ss_flags & SS_DISABLE) {
			t->altstack = (struct abi_stack){ 0, SS_DISABLE, 0, 0 };
		} else {
			if (ss.ss_size < MINSIGSTKSZ)
				return -ENOMEM;
			t->altstack = ss;
			t->altstack.ss_flags = 0;
		}
	}
	if (uoss && copy_to_user(uoss, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE0(rt_sigreturn)
{
	return sys_rt_sigreturn_frame(__a->tf);
}
