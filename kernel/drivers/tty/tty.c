/*
 * The console terminal (model in kern/tty.h): the line discipline of
 * drivers/tty/ldisc.c on COM1, plus what needs processes and sleeping: blocking
 * reads with VMIN/VTIME, job control and the terminal ioctls.
 *
 * Controlling terminal (Linux drivers/tty/tty_jobctrl.c, ioctl_tty(2)).
 * There is one terminal, so a process's controlling tty is one flag,
 * proc->ctty, and the terminal records the session that owns it (tty.sid,
 * 0 = none) and that session's foreground group (tty.pgrp).  Invariant: a
 * process with ctty set is in session tty.sid.  Nobody owns the console at
 * boot (init has no ctty, as on Linux).  fork inherits ctty; setsid clears
 * it.  A session leader without a terminal takes a free console with
 * TIOCSCTTY or by opening /dev/ttyS0 without O_NOCTTY (not /dev/console
 * or /dev/tty); TIOCSCTTY with arg 1 as root steals it from another
 * session, whose processes all lose it.  Hangup: when the leader of the
 * owning session exits, the foreground group gets SIGHUP (Linux's
 * tty_vhangup_session for a serial line), the terminal forgets session
 * and group, and every process of the session loses its ctty (/dev/tty
 * then fails with ENXIO, /proc/PID/stat shows tty_nr 0).  TIOCNOTTY from
 * the leader does the same with SIGHUP and SIGCONT; from another process
 * it only clears that process's ctty.  Both hangups also hang up every
 * file opened on /dev/tty or /dev/ttyS0 until then (a generation number
 * per open, tty.hangups): reads return EOF, writes and ioctls EIO, poll
 * reports POLLHUP.  /dev/console files are never hung up, as on Linux,
 * so init's descriptors (which its shells inherit) keep working.
 *
 * Job control (Linux __tty_check_change): a process of the owning session
 * outside the foreground group that reads gets SIGTTIN sent to its group
 * (read fails with EIO if SIGTTIN is ignored or blocked, or the group is
 * orphaned); a write with TOSTOP, or a termios/pgrp/flush change, gets
 * SIGTTOU (allowed if SIGTTOU is ignored or blocked; EIO if orphaned).
 *
 * Locking: tty.lock (IRQ-safe) protects the ldisc and sid/pgrp/ws.  Order:
 * proc_tree_lock -> tty.lock; no signal is sent with tty.lock held (ISIG
 * signals are noted in pending_sig and sent after unlocking).  proc->ctty
 * is written under proc_tree_lock (here with tty.lock too, so that it
 * changes together with tty.sid); lockless readers use READ_ONCE.  Readers sleep on tty.readq; every input wakes it and the poll
 * wait queue.
 */
#include <kern/tty.h>
#include <kern/ldisc.h>
#include <kern/wait.h>
#include <kern/poll.h>
#include <kern/sched.h>
#include <kern/proc.h>
#include <kern/printk.h>
#include <kern/time.h>
#include <kern/uaccess.h>
#include <kern/string.h>
#include <kern/errno.h>
#include <kern/syscall.h>

static void tty_output(void *ctx, const char *s, size_t n);
static void tty_note_signal(void *ctx, int sig);
static const struct ldisc_ops tty_ops = { tty_output, tty_note_signal };

static struct {
	struct spinlock lock;
	struct wait_queue readq;
	struct ldisc ld;		/* lock */
	struct abi_winsize ws;		/* lock */
	int sid, pgrp;			/* lock: owning session, foreground group (0 = none) */
	int pending_sig;		/* lock: ISIG signal to send after unlocking */
	long hangups;			/* lock for writers: generation, bumped by each hangup */
	bool ready;
} tty = {
	.lock = SPINLOCK_INITIALIZER("tty"),
	.ws = { 24, 80, 0, 0 },
	.hangups = 1,
};

long tty_hangup_gen(void)
{
	return READ_ONCE(tty.hangups);
}

bool tty_hung_up(long gen)
{
	return gen != TTY_NO_HANGUP && gen != READ_ONCE(tty.hangups);
}

void tty_init(void)
{
	wait_queue_init(&tty.readq, "tty read");
	ldisc_init(&tty.ld, &tty_ops, NULL);
	WRITE_ONCE(tty.ready, true);
}

static void tty_output(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	console_user_write(s, n, false);
}

static void tty_note_signal(void *ctx, int sig)
{
	(void)ctx;
	tty.pending_sig = sig;
}

/* Send sig to every process of group pgrp (no tty.lock held). */
static void signal_pgrp(int pgrp, int sig)
{
	u64 flags = spin_lock_irqsave(&proc_tree_lock);

	__signal_pgrp(pgrp, sig);
	spin_unlock_irqrestore(&proc_tree_lock, flags);
}

/* Send any ISIG signal noted by the line discipline (tty.lock not held). */
static void deliver_pending(void)
{
	u64 flags = spin_lock_irqsave(&tty.lock);
	int sig = tty.pending_sig, pgrp = tty.pgrp;

	tty.pending_sig = 0;
	spin_unlock_irqrestore(&tty.lock, flags);
	if (sig)
		signal_pgrp(pgrp, sig);
}

static void wake_readers(void)
{
	if (READ_ONCE(tty.ready)) {
		wake_up(&tty.readq);
		poll_wake();
	}
}

void tty_input(u8 c)
{
	u64 flags = spin_lock_irqsave(&tty.lock);

	ldisc_input(&tty.ld, c);
	spin_unlock_irqrestore(&tty.lock, flags);
	deliver_pending();
	wake_readers();
}

bool tty_readable(void)
{
	return ldisc_readable(&tty.ld);
}

bool tty_owns_line(void)
{
	return READ_ONCE(tty.ready) && !(READ_ONCE(tty.ld.t.c_lflag) & ICANON);
}

bool tty_is_ctty(struct proc *p)
{
	return !p || (READ_ONCE(p->ctty) && READ_ONCE(tty.sid) == p->sid);
}

void tty_proc_stat(struct proc *p, int *tty_nr, int *tpgid)
{
	u64 flags = spin_lock_irqsave(&tty.lock);

	*tty_nr = 0;
	*tpgid = -1;
	if (p->ctty && tty.sid == p->sid) {
		/* Linux new_encode_dev */
		*tty_nr = (TTY_CONSOLE_MINOR & 0xff) | (TTY_CONSOLE_MAJOR << 8) |
			  ((TTY_CONSOLE_MINOR & ~0xff) << 12);
		*tpgid = tty.pgrp;
	}
	spin_unlock_irqrestore(&tty.lock, flags);
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

/* Background access check; 0 to go ahead, -EIO, or -ERESTARTSYS after signalling the group. */
static int tty_check_change(int sig)
{
	struct proc *p = current_proc();
	int pgrp, sid;
	bool orphaned;
	u64 flags;

	if (!p)
		return 0;
	flags = spin_lock_irqsave(&tty.lock);
	pgrp = tty.pgrp;
	sid = tty.sid;
	spin_unlock_irqrestore(&tty.lock, flags);
	if (!READ_ONCE(p->ctty) || p->sid != sid || !pgrp || p->pgid == pgrp)
		return 0;
	if (sig_ignored_or_blocked(p, sig))
		return sig == SIGTTIN ? -EIO : 0;
	flags = spin_lock_irqsave(&proc_tree_lock);
	orphaned = __pgrp_orphaned(p->pgid, p->sid, NULL);
	spin_unlock_irqrestore(&proc_tree_lock, flags);
	if (orphaned)
		return -EIO;
	signal_pgrp(p->pgid, sig);
	return -ERESTARTSYS;
}

static bool readable_cond(void *arg)
{
	return ldisc_readable(&tty.ld) || tty_hung_up(*(const long *)arg);
}

long tty_read(void *buf, size_t n, bool nonblock, long gen)
{
	u64 deadline = 0, timeout, flags;
	bool eof, timed_out = false;
	size_t got = 0, took;
	int err;

	if (!n)
		return 0;
	for (;;) {
		if (tty_hung_up(gen))
			return (long)got;
		err = tty_check_change(SIGTTIN);
		if (err)
			return got ? (long)got : err;
		flags = spin_lock_irqsave(&tty.lock);
		took = ldisc_read(&tty.ld, (u8 *)buf + got, n - got, &eof);
		got += took;
		if (eof || ldisc_read_done(&tty.ld, n, got, timed_out)) {
			spin_unlock_irqrestore(&tty.lock, flags);
			return got;
		}
		timeout = ldisc_read_timeout_ns(&tty.ld, got);
		spin_unlock_irqrestore(&tty.lock, flags);
		if (nonblock)
			return got ? (long)got : -EAGAIN;
		/* VMIN=0: one timer for the read; VMIN>0: restarted by each byte. */
		if (!timeout)
			deadline = 0;
		else if (took || !deadline)
			deadline = nsec_since_boot() + timeout;
		err = wait_event(&tty.readq, readable_cond, &gen, deadline);
		if (err == -ETIMEDOUT)
			timed_out = true;
		else if (err)
			return got ? (long)got : -ERESTARTSYS;
	}
}

long tty_write(const void *buf, size_t n, long gen)
{
	const char *p = buf;
	size_t done = 0;
	u64 flags;
	int err;

	if (tty_hung_up(gen))
		return -EIO;
	if (READ_ONCE(tty.ld.t.c_lflag) & TOSTOP) {
		err = tty_check_change(SIGTTOU);
		if (err)
			return err;
	}
	/* Chunks keep interrupts off for a bounded time. */
	while (done < n) {
		size_t k = MIN(n - done, (size_t)256);

		flags = spin_lock_irqsave(&tty.lock);
		ldisc_write(&tty.ld, p + done, k);
		spin_unlock_irqrestore(&tty.lock, flags);
		done += k;
	}
	return n;
}

/* Clear the ctty of every process of session sid (proc_tree_lock and tty.lock held). */
static void __session_clear_ctty(int sid)
{
	struct proc *q;
	int cursor = 0;

	while ((q = __proc_next(&cursor)))
		if (q->sid == sid)
			q->ctty = false;
}

/* Make the console p's controlling terminal (proc_tree_lock and tty.lock held). */
static void __proc_set_ctty(struct proc *p)
{
	tty.sid = p->sid;
	tty.pgrp = p->pgid;
	p->ctty = true;
}

/* TIOCSCTTY: make the console the caller's controlling terminal; 0 or -EPERM. */
static long tty_set_ctty(struct proc *p, unsigned long force)
{
	long ret = 0;
	u64 flags;

	flags = spin_lock_irqsave(&proc_tree_lock);
	spin_lock(&tty.lock);
	if (p->sid == p->pid && tty.sid == p->sid)
		goto out_unlock;	/* already ours */
	if (p->sid != p->pid || p->ctty) {
		ret = -EPERM;
		goto out_unlock;
	}
	if (tty.sid) {
		if (!(force == 1 && p->euid == 0)) {
			ret = -EPERM;
			goto out_unlock;
		}
		__session_clear_ctty(tty.sid);
	}
	__proc_set_ctty(p);
out_unlock:
	spin_unlock(&tty.lock);
	spin_unlock_irqrestore(&proc_tree_lock, flags);
	return ret;
}

void tty_open_ctty(struct proc *p)
{
	u64 flags;

	if (!p || p->sid != p->pid)
		return;
	flags = spin_lock_irqsave(&proc_tree_lock);
	spin_lock(&tty.lock);
	if (!p->ctty && !tty.sid)
		__proc_set_ctty(p);
	spin_unlock(&tty.lock);
	spin_unlock_irqrestore(&proc_tree_lock, flags);
}

/*
 * Detach the console from p's session if p leads the session that owns it:
 * the session's processes lose their ctty and the foreground group it had
 * gets SIGHUP (and SIGCONT unless the leader is exiting).  Returns false
 * (nothing done) if p is not that leader.
 */
static bool tty_hangup_session(struct proc *p, bool on_exit)
{
	int pgrp;
	u64 flags;

	if (p->sid != p->pid)
		return false;
	flags = spin_lock_irqsave(&proc_tree_lock);
	spin_lock(&tty.lock);
	if (!p->ctty || tty.sid != p->sid) {
		spin_unlock(&tty.lock);
		spin_unlock_irqrestore(&proc_tree_lock, flags);
		return false;
	}
	pgrp = tty.pgrp;
	tty.sid = 0;
	tty.pgrp = 0;
	WRITE_ONCE(tty.hangups, tty.hangups + 1);	/* files opened until now are hung up */
	__session_clear_ctty(p->sid);
	spin_unlock(&tty.lock);
	spin_unlock_irqrestore(&proc_tree_lock, flags);
	wake_readers();
	signal_pgrp(pgrp, SIGHUP);
	if (!on_exit)
		signal_pgrp(pgrp, SIGCONT);
	return true;
}

void tty_exit_session(struct proc *p)
{
	tty_hangup_session(p, true);
}

/* TIOCNOTTY: give up the controlling terminal (the whole session's, from its leader); 0 or -ENOTTY. */
static long tty_drop_ctty(struct proc *p)
{
	u64 flags;

	if (!tty_is_ctty(p))
		return -ENOTTY;
	if (tty_hangup_session(p, false))
		return 0;
	flags = spin_lock_irqsave(&proc_tree_lock);
	spin_lock(&tty.lock);
	p->ctty = false;
	spin_unlock(&tty.lock);
	spin_unlock_irqrestore(&proc_tree_lock, flags);
	return 0;
}

/* TIOCSPGRP: the group must exist in the caller's session; 0 or -errno. */
static long tty_set_pgrp(struct proc *p, int pgrp)
{
	struct proc *q;
	int cursor = 0, err;
	long ret = -ESRCH;
	u64 flags;

	if (!tty_is_ctty(p))
		return -ENOTTY;
	err = tty_check_change(SIGTTOU);
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
		flags = spin_lock_irqsave(&tty.lock);
		tty.pgrp = pgrp;
		spin_unlock_irqrestore(&tty.lock, flags);
	}
	return ret;
}

/* TCSETS, TCSETSW, TCSETSF; 0 or -errno. */
static long tty_set_termios(u32 cmd, unsigned long arg)
{
	struct abi_termios t;
	u64 flags;
	int err;

	if (copy_from_user(&t, (void *)arg, sizeof(t)))
		return -EFAULT;
	err = tty_check_change(SIGTTOU);
	if (err)
		return err;
	flags = spin_lock_irqsave(&tty.lock);
	if (cmd == TCSETSF)
		ldisc_flush_input(&tty.ld);
	ldisc_set_termios(&tty.ld, &t);
	spin_unlock_irqrestore(&tty.lock, flags);
	wake_readers();		/* leaving ICANON may have made data readable */
	return 0;
}

/* Copy an int result to user space. */
static long put_int(unsigned long arg, int v)
{
	return copy_to_user((void *)arg, &v, sizeof(v)) ? -EFAULT : 0;
}

long tty_ioctl(u32 cmd, unsigned long arg)
{
	struct proc *p = current_proc();
	struct abi_termios t;
	struct abi_winsize ws;
	int v, err, pgrp;
	u64 flags;

	switch (cmd) {
	case TCGETS:
		flags = spin_lock_irqsave(&tty.lock);
		t = tty.ld.t;
		spin_unlock_irqrestore(&tty.lock, flags);
		return copy_to_user((void *)arg, &t, sizeof(t)) ? -EFAULT : 0;
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		return tty_set_termios(cmd, arg);
	case TCFLSH:
		if (arg > TCIOFLUSH)
			return -EINVAL;
		err = tty_check_change(SIGTTOU);
		if (err)
			return err;
		flags = spin_lock_irqsave(&tty.lock);
		if (arg != TCOFLUSH)
			ldisc_flush_input(&tty.ld);
		spin_unlock_irqrestore(&tty.lock, flags);
		return 0;
	case TCSBRK:
	case TCXONC:
		return 0;	/* output is never queued or stopped */
	case TIOCGWINSZ:
		flags = spin_lock_irqsave(&tty.lock);
		ws = tty.ws;
		spin_unlock_irqrestore(&tty.lock, flags);
		return copy_to_user((void *)arg, &ws, sizeof(ws)) ? -EFAULT : 0;
	case TIOCSWINSZ:
		if (copy_from_user(&ws, (void *)arg, sizeof(ws)))
			return -EFAULT;
		flags = spin_lock_irqsave(&tty.lock);
		v = memcmp(&ws, &tty.ws, sizeof(ws));
		tty.ws = ws;
		pgrp = tty.pgrp;
		spin_unlock_irqrestore(&tty.lock, flags);
		if (v)
			signal_pgrp(pgrp, SIGWINCH);
		return 0;
	case TIOCSCTTY:
		return p ? tty_set_ctty(p, arg) : -EPERM;
	case TIOCNOTTY:
		return p ? tty_drop_ctty(p) : -ENOTTY;
	case TIOCGPGRP:
	case TIOCGSID:
		if (!tty_is_ctty(p))
			return -ENOTTY;
		v = cmd == TIOCGPGRP ? READ_ONCE(tty.pgrp) : READ_ONCE(tty.sid);
		return put_int(arg, v);
	case TIOCSPGRP:
		if (copy_from_user(&v, (void *)arg, sizeof(v)))
			return -EFAULT;
		return p ? tty_set_pgrp(p, v) : -ENOTTY;
	case FIONREAD:
		flags = spin_lock_irqsave(&tty.lock);
		v = (int)ldisc_avail(&tty.ld);
		spin_unlock_irqrestore(&tty.lock, flags);
		return put_int(arg, v);
	case TIOCOUTQ:
		return put_int(arg, 0);
	default:
		return -ENOTTY;
	}
}
