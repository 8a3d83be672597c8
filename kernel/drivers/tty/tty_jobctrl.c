/*
 * Controlling terminals and job control (Linux drivers/tty/tty_jobctrl.c,
 * ioctl_tty(2)), for every struct tty.
 *
 * A process's controlling tty is proc->ctty (a pointer; ttys are never
 * freed, kern/tty.h), and the tty records the session that owns it
 * (tty->sid, 0 = none) and that session's foreground group (tty->pgrp).
 * Invariant: a process whose ctty is T is in session T->sid.  Nobody
 * owns a terminal at first (init has no ctty, as on Linux).  fork
 * inherits ctty; setsid clears it.  A session leader without a terminal
 * takes a free one with TIOCSCTTY or by opening it without O_NOCTTY (not
 * /dev/console or /dev/tty); TIOCSCTTY with arg 1 as root steals it from
 * another session, whose processes all lose it.  Hangup: when the leader
 * of the owning session exits, the foreground group gets SIGHUP (Linux's
 * tty_vhangup_session for a serial line), the terminal forgets session
 * and group, and every process of the session loses its ctty (/dev/tty
 * then fails with ENXIO, /proc/PID/stat shows tty_nr 0).  TIOCNOTTY from
 * the leader does the same with SIGHUP and SIGCONT; from another process
 * it only clears that process's ctty.  A pty whose master closes is hung
 * up the same way (tty_vhangup).  Every hangup also hangs up the files
 * opened on the terminal until then (tty->hangups): reads return EOF,
 * writes and ioctls EIO, poll reports POLLHUP.  /dev/console files are
 * never hung up, as on Linux, so init's descriptors keep working.
 *
 * Job control (Linux __tty_check_change): a process of the owning session
 * outside the foreground group that reads gets SIGTTIN sent to its group
 * (read fails with EIO if SIGTTIN is ignored or blocked, or the group is
 * orphaned); a write with TOSTOP, or a termios/pgrp/flush change, gets
 * SIGTTOU (allowed if SIGTTOU is ignored or blocked; EIO if orphaned).
 *
 * Locking: proc->ctty is written under proc_tree_lock and the tty's lock
 * (so it changes together with tty->sid); lockless readers use READ_ONCE.
 */
#include <kern/tty.h>
#include <kern/proc.h>
#include <kern/sched.h>
#include <kern/uaccess.h>
#include <kern/errno.h>
#include <kern/syscall.h>
#include <abi/stat.h>
#include "internal.h"

void tty_signal_pgrp(int pgrp, int sig)
{
	u64 flags = spin_lock_irqsave(&proc_tree_lock);

	__signal_pgrp(pgrp, sig);
	spin_unlock_irqrestore(&proc_tree_lock, flags);
}

bool tty_is_ctty(struct tty *tty, struct proc *p)
{
	return !p || (READ_ONCE(p->ctty) == tty && READ_ONCE(tty->sid) == p->sid);
}

struct tty *tty_of_proc(struct proc *p)
{
	struct tty *tty = p ? READ_ONCE(p->ctty) : NULL;

	return tty && READ_ONCE(tty->sid) == p->sid ? tty : NULL;
}

void tty_proc_stat(struct proc *p, int *tty_nr, int *tpgid)
{
	struct tty *tty = p->ctty;
	u64 flags;

	*tty_nr = 0;
	*tpgid = -1;
	if (!tty)
		return;
	flags = spin_lock_irqsave(&tty->lock);
	if (tty->sid == p->sid) {
		u32 major = ABI_MAJOR(tty->rdev), minor = ABI_MINOR(tty->rdev);

		/* Linux new_encode_dev */
		*tty_nr = (int)((minor & 0xff) | (major << 8) | ((minor & ~0xffu) << 12));
		*tpgid = tty->pgrp;
	}
	spin_unlock_irqrestore(&tty->lock, flags);
}

/* Signal sig ignored (or blocked, when the current task is p's) by process p. */
static bool sig_ignored_or_blocked(struct proc *p, int sig)
{
	bool ign;
	u64 flags = spin_lock_irqsave(&p->sighand->lock);

	ign = p->sighand->action[sig - 1].handler == SIG_IGN;
	spin_unlock_irqrestore(&p->sighand->lock, flags);
	return ign || (current()->sigmask & SIGBIT(sig));
}

int tty_check_change(struct tty *tty, int sig)
{
	struct proc *p = current_proc();
	int pgrp, sid;
	bool orphaned;
	u64 flags;

	if (!p)
		return 0;
	flags = spin_lock_irqsave(&tty->lock);
	pgrp = tty->pgrp;
	sid = tty->sid;
	spin_unlock_irqrestore(&tty->lock, flags);
	if (READ_ONCE(p->ctty) != tty || p->sid != sid || !pgrp || p->pgid == pgrp)
		return 0;
	if (sig_ignored_or_blocked(p, sig))
		return sig == SIGTTIN ? -EIO : 0;
	flags = spin_lock_irqsave(&proc_tree_lock);
	orphaned = __pgrp_orphaned(p->pgid, p->sid, NULL);
	spin_unlock_irqrestore(&proc_tree_lock, flags);
	if (orphaned)
		return -EIO;
	tty_signal_pgrp(p->pgid, sig);
	return -ERESTARTSYS;
}

/* Clear the ctty of every process of session sid whose ctty is tty (both locks held). */
static void __session_clear_ctty(struct tty *tty, int sid)
{
	struct proc *q;
	int cursor = 0;

	while ((q = __proc_next(&cursor)))
		if (q->sid == sid && q->ctty == tty)
			WRITE_ONCE(q->ctty, NULL);
}

/* Make tty p's controlling terminal (proc_tree_lock and tty->lock held). */
static void __proc_set_ctty(struct tty *tty, struct proc *p)
{
	tty->sid = p->sid;
	tty->pgrp = p->pgid;
	WRITE_ONCE(p->ctty, tty);
}

/* TIOCSCTTY: make tty the caller's controlling terminal; 0 or -EPERM. */
static long tty_set_ctty(struct tty *tty, struct proc *p, unsigned long force)
{
	long ret = 0;
	u64 flags;

	flags = spin_lock_irqsave(&proc_tree_lock);
	spin_lock(&tty->lock);
	if (p->sid == p->pid && tty->sid == p->sid)
		goto out_unlock;	/* already ours */
	if (p->sid != p->pid || p->ctty) {
		ret = -EPERM;
		goto out_unlock;
	}
	if (tty->sid) {
		if (!(force == 1 && p->euid == 0)) {
			ret = -EPERM;
			goto out_unlock;
		}
		__session_clear_ctty(tty, tty->sid);
	}
	__proc_set_ctty(tty, p);
out_unlock:
	spin_unlock(&tty->lock);
	spin_unlock_irqrestore(&proc_tree_lock, flags);
	return ret;
}

void tty_open_ctty(struct tty *tty, struct proc *p)
{
	u64 flags;

	if (!p || p->sid != p->pid)
		return;
	flags = spin_lock_irqsave(&proc_tree_lock);
	spin_lock(&tty->lock);
	if (!p->ctty && !tty->sid)
		__proc_set_ctty(tty, p);
	spin_unlock(&tty->lock);
	spin_unlock_irqrestore(&proc_tree_lock, flags);
}

/*
 * Detach tty from its session (if sid is nonzero, only if sid owns it):
 * the session's processes lose their ctty, files opened until now are
 * hung up, and the foreground group it had gets SIGHUP (and SIGCONT
 * unless cont is false).  Returns false if nothing was done.
 */
static bool hangup_session(struct tty *tty, int sid, bool cont)
{
	int pgrp, owner;
	u64 flags;

	flags = spin_lock_irqsave(&proc_tree_lock);
	spin_lock(&tty->lock);
	owner = tty->sid;
	if (!owner || (sid && owner != sid)) {
		spin_unlock(&tty->lock);
		spin_unlock_irqrestore(&proc_tree_lock, flags);
		return false;
	}
	pgrp = tty->pgrp;
	tty->sid = 0;
	tty->pgrp = 0;
	WRITE_ONCE(tty->hangups, tty->hangups + 1);	/* files opened until now are hung up */
	__session_clear_ctty(tty, owner);
	spin_unlock(&tty->lock);
	spin_unlock_irqrestore(&proc_tree_lock, flags);
	tty_wake(tty);
	if (pgrp) {
		tty_signal_pgrp(pgrp, SIGHUP);
		if (cont)
			tty_signal_pgrp(pgrp, SIGCONT);
	}
	return true;
}

void tty_exit_session(struct proc *p)
{
	struct tty *tty = READ_ONCE(p->ctty);

	if (tty && p->sid == p->pid)
		hangup_session(tty, p->sid, false);
}

void tty_vhangup(struct tty *tty)
{
	if (!hangup_session(tty, 0, true))
		tty_hangup(tty);
}

/* TIOCNOTTY: give up the controlling terminal (the whole session's, from its leader); 0 or -ENOTTY. */
static long tty_drop_ctty(struct tty *tty, struct proc *p)
{
	u64 flags;

	if (!tty_is_ctty(tty, p))
		return -ENOTTY;
	if (p->sid == p->pid && hangup_session(tty, p->sid, true))
		return 0;
	flags = spin_lock_irqsave(&proc_tree_lock);
	spin_lock(&tty->lock);
	WRITE_ONCE(p->ctty, NULL);
	spin_unlock(&tty->lock);
	spin_unlock_irqrestore(&proc_tree_lock, flags);
	return 0;
}

/* TIOCSPGRP: the group must exist in the caller's session; 0 or -errno. */
static long tty_set_pgrp(struct tty *tty, struct proc *p, int pgrp)
{
	struct proc *q;
	int cursor = 0, err;
	long ret = -ESRCH;
	u64 flags;

	if (!tty_is_ctty(tty, p))
		return -ENOTTY;
	err = tty_check_change(tty, SIGTTOU);
	if (err)
		return err;
	if (pgrp < 0)
		return -EINVAL;
	flags = spin_lock_irqsave(&proc_tree_lock);
	while ((q = __proc_next(&cursor))) {
		if (q->pgid != pgrp || q->zombie)
			continue;
		ret = q->sid == p->sid ? 0 : -EPERM;
		if (ret)
			break;
	}
	spin_unlock_irqrestore(&proc_tree_lock, flags);
	if (!ret) {
		flags = spin_lock_irqsave(&tty->lock);
		tty->pgrp = pgrp;
		spin_unlock_irqrestore(&tty->lock, flags);
	}
	return ret;
}

long tty_jobctrl_ioctl(struct tty *tty, u32 cmd, unsigned long arg)
{
	struct proc *p = current_proc();
	int v;

	switch (cmd) {
	case TIOCSCTTY:
		return p ? tty_set_ctty(tty, p, arg) : -EPERM;
	case TIOCNOTTY:
		return p ? tty_drop_ctty(tty, p) : -ENOTTY;
	case TIOCGPGRP:
	case TIOCGSID:
		if (!tty_is_ctty(tty, p))
			return -ENOTTY;
		v = cmd == TIOCGPGRP ? READ_ONCE(tty->pgrp) : READ_ONCE(tty->sid);
		return copy_to_user((void *)arg, &v, sizeof(v)) ? -EFAULT : 0;
	case TIOCSPGRP:
		if (copy_from_user(&v, (void *)arg, sizeof(v)))
			return -EFAULT;
		return p ? tty_set_pgrp(tty, p, v) : -ENOTTY;
	default:
		return TTY_NOIOCTL;
	}
}
