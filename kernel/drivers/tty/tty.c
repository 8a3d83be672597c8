/*
 * The terminal core (model in kern/tty.h): the line discipline of
 * drivers/tty/ldisc.c on one struct tty per terminal, plus what needs
 * sleeping: blocking reads with VMIN/VTIME, writers that wait for the
 * driver's room and for output to be started again (IXON, TCXONC), and
 * the termios ioctls (TCGETS/TCSETS* and the termios2 variants, TCFLSH,
 * TCXONC, TCSBRK/tcdrain, window size, FIONREAD, TIOCOUTQ).  Job control
 * and the controlling terminal are in tty_jobctrl.c.
 *
 * Flow control: under IXON a received STOP stops writers until START
 * (ld.stopped; echo is not held back); a driver with a stop hook (a
 * serial port) instead halts its transmit ring and writers fill it, so
 * O_NONBLOCK writers see EAGAIN, TIOCOUTQ the queued bytes and poll no
 * POLLOUT once it is full, as on Linux's 8250.  Under IXOFF a serial
 * terminal (driver->ixoff) sends STOP when its input queue is three
 * quarters full and START once a reader has taken it below half.  A pty
 * sends neither, as Linux's (no throttle operation): its master writer
 * waits for input room (tty_input_room) itself.
 *
 * Locking: tty->lock as in kern/tty.h.  ISIG signals are noted in
 * tty->pending_sig under the lock and sent after unlocking.
 */
#include <kern/tty.h>
#include <kern/ldisc.h>
#include <kern/wait.h>
#include <kern/poll.h>
#include <kern/sched.h>
#include <kern/proc.h>
#include <kern/time.h>
#include <kern/uaccess.h>
#include <kern/string.h>
#include <kern/errno.h>
#include <kern/syscall.h>
#include "internal.h"

#define TTY_WRITE_CHUNK	256	/* bytes processed per lock hold */

static void ld_output(void *ctx, const char *s, size_t n)
{
	struct tty *tty = ctx;

	tty->driver->output(tty, s, n);
}

static void ld_note_signal(void *ctx, int sig)
{
	struct tty *tty = ctx;

	tty->pending_sig = sig;
}

static const struct ldisc_ops tty_ld_ops = { ld_output, ld_note_signal };

/* Line speed in bits/s of a termios CBAUD code (0 for B0 or unknown). */
static u32 baud_of(u32 cflag)
{
	static const u32 low[16] = { 0, 50, 75, 110, 134, 150, 200, 300, 600, 1200, 1800,
				     2400, 4800, 9600, 19200, 38400 };
	static const u32 high[] = { 0, 57600, 115200, 230400, 460800, 500000, 576000,
				    921600, 1000000, 1152000, 1500000, 2000000, 2500000,
				    3000000, 3500000, 4000000 };
	u32 code = cflag & CBAUD;

	if (!(code & BOTHER))
		return low[code & 017];
	return high[code & 017];
}

void tty_init(struct tty *tty, const struct tty_driver *d, void *data, u64 rdev)
{
	u64 flags = spin_lock_irqsave(&tty->lock);

	ldisc_init(&tty->ld, &tty_ld_ops, tty);
	tty->ws = (struct abi_winsize){ 24, 80, 0, 0 };
	tty->ispeed = tty->ospeed = baud_of(tty->ld.t.c_cflag);
	tty->sid = tty->pgrp = tty->pending_sig = 0;
	tty->ixoff_sent = false;
	if (!tty->hangups)
		tty->hangups = 1;
	tty->rdev = rdev;
	tty->driver = d;
	tty->driver_data = data;
	spin_unlock_irqrestore(&tty->lock, flags);
	if (!READ_ONCE(tty->ready)) {
		wait_queue_init(&tty->readq, "tty read");
		wait_queue_init(&tty->writeq, "tty write");
	}
	WRITE_ONCE(tty->ready, true);
}

long tty_hangup_gen(struct tty *tty)
{
	return READ_ONCE(tty->hangups);
}

bool tty_hung_up(struct tty *tty, long gen)
{
	return gen != TTY_NO_HANGUP && gen != READ_ONCE(tty->hangups);
}

void tty_wake(struct tty *tty)
{
	if (READ_ONCE(tty->ready)) {
		wake_up(&tty->readq);
		wake_up(&tty->writeq);
		poll_wake();
	}
}

void tty_hangup(struct tty *tty)
{
	u64 flags = spin_lock_irqsave(&tty->lock);

	WRITE_ONCE(tty->hangups, tty->hangups + 1);
	spin_unlock_irqrestore(&tty->lock, flags);
	tty_wake(tty);
}

/* Send a START or STOP character for IXOFF (tty->lock held). */
static void __send_flow_char(struct tty *tty, int idx)
{
	char c = (char)tty->ld.t.c_cc[idx];

	if (c)
		tty->driver->output(tty, &c, 1);
}

/* Send any ISIG signal noted by the line discipline (tty->lock not held). */
static void deliver_pending(struct tty *tty)
{
	u64 flags = spin_lock_irqsave(&tty->lock);
	int sig = tty->pending_sig, pgrp = tty->pgrp;

	tty->pending_sig = 0;
	spin_unlock_irqrestore(&tty->lock, flags);
	if (sig && pgrp)
		tty_signal_pgrp(pgrp, sig);
}

/* Tell the driver when ld.stopped changed from was (tty->lock held). */
static void __sync_stop(struct tty *tty, bool was)
{
	if (tty->ld.stopped != was && tty->driver->stop)
		tty->driver->stop(tty, tty->ld.stopped);
}

/* IXOFF: send STOP once the input queue is three quarters full (tty->lock held). */
static void __check_throttle(struct tty *tty)
{
	if (tty->driver->ixoff && (tty->ld.t.c_iflag & IXOFF) && !tty->ixoff_sent &&
	    ldisc_room(&tty->ld) < LDISC_BUF / 4) {
		__send_flow_char(tty, VSTOP);
		tty->ixoff_sent = true;
	}
}

void tty_input(struct tty *tty, u8 c)
{
	u64 flags = spin_lock_irqsave(&tty->lock);
	bool was = tty->ld.stopped;

	ldisc_input(&tty->ld, c);
	__sync_stop(tty, was);
	__check_throttle(tty);
	spin_unlock_irqrestore(&tty->lock, flags);
	deliver_pending(tty);
	tty_wake(tty);
}

size_t tty_receive(struct tty *tty, const u8 *buf, const u8 *rxflags, size_t n)
{
	u64 flags = spin_lock_irqsave(&tty->lock);
	bool was = tty->ld.stopped;
	size_t i = 0;

	/* A full line with nothing to read is fed on: the ldisc drops all but line ends. */
	while (i < n && !tty->pending_sig &&
	       (ldisc_room(&tty->ld) || !ldisc_readable(&tty->ld))) {
		ldisc_input_flag(&tty->ld, buf[i], rxflags ? rxflags[i] : LDISC_RX_NORMAL);
		i++;
	}
	__check_throttle(tty);
	__sync_stop(tty, was);
	spin_unlock_irqrestore(&tty->lock, flags);
	deliver_pending(tty);
	if (i)
		tty_wake(tty);
	return i;
}

size_t tty_input_room(struct tty *tty)
{
	u64 flags = spin_lock_irqsave(&tty->lock);
	size_t room = ldisc_room(&tty->ld);

	spin_unlock_irqrestore(&tty->lock, flags);
	return room;
}

bool tty_readable(struct tty *tty)
{
	return ldisc_readable(&tty->ld);
}

bool tty_owns_line(struct tty *tty)
{
	return READ_ONCE(tty->ready) && !(READ_ONCE(tty->ld.t.c_lflag) & ICANON);
}

struct read_wait {
	struct tty *tty;
	long gen;
};

static bool readable_cond(void *arg)
{
	struct read_wait *rw = arg;

	return ldisc_readable(&rw->tty->ld) || tty_hung_up(rw->tty, rw->gen);
}

/* A reader took input: send START if IXOFF had stopped the sender, tell the driver. */
static void after_read(struct tty *tty)
{
	u64 flags = spin_lock_irqsave(&tty->lock);

	if (tty->ixoff_sent && ldisc_room(&tty->ld) > LDISC_BUF / 2) {
		__send_flow_char(tty, VSTART);
		tty->ixoff_sent = false;
	}
	spin_unlock_irqrestore(&tty->lock, flags);
	if (tty->driver->unthrottle)
		tty->driver->unthrottle(tty);
}

long tty_read(struct tty *tty, void *buf, size_t n, bool nonblock, long gen)
{
	struct read_wait rw = { tty, gen };
	u64 deadline = 0, timeout, flags;
	bool eof, timed_out = false;
	size_t got = 0, took;
	int err;

	if (!n)
		return 0;
	for (;;) {
		if (tty_hung_up(tty, gen))
			return (long)got;
		err = tty_check_change(tty, SIGTTIN);
		if (err)
			return got ? (long)got : err;
		flags = spin_lock_irqsave(&tty->lock);
		took = ldisc_read(&tty->ld, (u8 *)buf + got, n - got, &eof);
		got += took;
		if (eof || ldisc_read_done(&tty->ld, n, got, timed_out)) {
			spin_unlock_irqrestore(&tty->lock, flags);
			if (took || eof)
				after_read(tty);
			return got;
		}
		timeout = ldisc_read_timeout_ns(&tty->ld, got);
		spin_unlock_irqrestore(&tty->lock, flags);
		if (took)
			after_read(tty);
		if (nonblock)
			return got ? (long)got : -EAGAIN;
		/* VMIN=0: one timer for the read; VMIN>0: restarted by each byte. */
		if (!timeout)
			deadline = 0;
		else if (took || !deadline)
			deadline = nsec_since_boot() + timeout;
		err = wait_event(&tty->readq, readable_cond, &rw, deadline);
		if (err == -ETIMEDOUT)
			timed_out = true;
		else if (err)
			return got ? (long)got : -ERESTARTSYS;
	}
}

/*
 * Bytes of raw output that fit now (tty->lock held): 0 when full, or
 * while stopped if the driver cannot hold output back itself (a pty); a
 * serial port (stop hook) keeps queueing into its halted ring, as Linux.
 */
static size_t __write_fits(struct tty *tty, size_t want)
{
	size_t room;

	if (tty->ld.stopped && !tty->driver->stop)
		return 0;
	want = MIN(want, (size_t)TTY_WRITE_CHUNK);
	if (!tty->driver->write_room)
		return want;
	room = tty->driver->write_room(tty);
	/* OPOST may double every byte (ONLCR). */
	if (tty->ld.t.c_oflag & OPOST)
		room /= 2;
	return MIN(want, room);
}

static bool writable_cond(void *arg)
{
	struct read_wait *rw = arg;
	struct tty *tty = rw->tty;
	u64 flags;
	bool ok;

	if (tty_hung_up(tty, rw->gen))
		return true;
	flags = spin_lock_irqsave(&tty->lock);
	ok = __write_fits(tty, 1) > 0;
	spin_unlock_irqrestore(&tty->lock, flags);
	return ok;
}

long tty_write(struct tty *tty, const void *buf, size_t n, bool nonblock, long gen)
{
	struct read_wait rw = { tty, gen };
	const char *p = buf;
	size_t done = 0, k;
	u64 flags;
	int err;

	if (tty_hung_up(tty, gen))
		return -EIO;
	if (READ_ONCE(tty->ld.t.c_lflag) & TOSTOP) {
		err = tty_check_change(tty, SIGTTOU);
		if (err)
			return err;
	}
	while (done < n) {
		flags = spin_lock_irqsave(&tty->lock);
		k = __write_fits(tty, n - done);
		if (k)
			ldisc_write(&tty->ld, p + done, k);
		spin_unlock_irqrestore(&tty->lock, flags);
		done += k;
		if (k)
			continue;
		if (nonblock)
			return done ? (long)done : -EAGAIN;
		err = wait_event(&tty->writeq, writable_cond, &rw, 0);
		if (err)
			return done ? (long)done : -ERESTARTSYS;
		if (tty_hung_up(tty, gen))
			return done ? (long)done : -EIO;
	}
	return n;
}

void tty_get_winsize(struct tty *tty, struct abi_winsize *ws)
{
	u64 flags = spin_lock_irqsave(&tty->lock);

	*ws = tty->ws;
	spin_unlock_irqrestore(&tty->lock, flags);
}

void tty_set_winsize(struct tty *tty, const struct abi_winsize *ws)
{
	u64 flags = spin_lock_irqsave(&tty->lock);
	bool changed = memcmp(ws, &tty->ws, sizeof(*ws)) != 0;
	int pgrp = tty->pgrp;

	tty->ws = *ws;
	spin_unlock_irqrestore(&tty->lock, flags);
	if (changed && pgrp)
		tty_signal_pgrp(pgrp, SIGWINCH);
}

static bool drained_cond(void *arg)
{
	struct read_wait *rw = arg;

	return !rw->tty->driver->chars_in_buffer(rw->tty) || tty_hung_up(rw->tty, rw->gen);
}

/* tcdrain: wait until the driver has sent everything; 0 or -ERESTARTSYS. */
static int tty_drain(struct tty *tty)
{
	struct read_wait rw = { tty, TTY_NO_HANGUP };

	if (tty->driver->chars_in_buffer && wait_event(&tty->writeq, drained_cond, &rw, 0))
		return -ERESTARTSYS;
	if (tty->driver->wait_until_sent && tty->driver->wait_until_sent(tty))
		return -ERESTARTSYS;
	return 0;
}

/* TCSETS* and TCSETS2*: the termios (and speeds for termios2) from user arg; 0 or -errno. */
static long tty_set_termios(struct tty *tty, u32 cmd, unsigned long arg)
{
	bool v2 = cmd == TCSETS2 || cmd == TCSETSW2 || cmd == TCSETSF2;
	struct abi_termios2 t2;
	struct abi_termios t;
	bool was;
	u64 flags;
	int err;

	if (v2) {
		if (copy_from_user(&t2, (void *)arg, sizeof(t2)))
			return -EFAULT;
		memcpy(&t, &t2, sizeof(t));
	} else if (copy_from_user(&t, (void *)arg, sizeof(t))) {
		return -EFAULT;
	}
	err = tty_check_change(tty, SIGTTOU);
	if (err)
		return err;
	if (cmd != TCSETS && cmd != TCSETS2) {
		err = tty_drain(tty);
		if (err)
			return err;
	}
	flags = spin_lock_irqsave(&tty->lock);
	if (cmd == TCSETSF || cmd == TCSETSF2)
		ldisc_flush_input(&tty->ld);
	was = tty->ld.stopped;
	ldisc_set_termios(&tty->ld, &t);
	if (!(t.c_iflag & IXON))
		tty->ld.stopped = false;
	__sync_stop(tty, was);
	if (v2 && (t.c_cflag & CBAUD) == BOTHER) {
		tty->ospeed = t2.c_ospeed;
		tty->ispeed = t2.c_ispeed ? t2.c_ispeed : t2.c_ospeed;
	} else {
		tty->ispeed = tty->ospeed = baud_of(t.c_cflag);
	}
	spin_unlock_irqrestore(&tty->lock, flags);
	if (tty->driver->set_termios)
		tty->driver->set_termios(tty);
	tty_wake(tty);		/* leaving ICANON may have made data readable */
	return 0;
}

/* Copy an int result to user space. */
static long put_int(unsigned long arg, int v)
{
	return copy_to_user((void *)arg, &v, sizeof(v)) ? -EFAULT : 0;
}

/* TCXONC: stop/start output, or send STOP/START; 0 or -errno. */
static long tty_flow(struct tty *tty, unsigned long arg)
{
	u64 flags;
	int err;

	if (arg > TCION)
		return -EINVAL;
	err = tty_check_change(tty, SIGTTOU);
	if (err)
		return err;
	flags = spin_lock_irqsave(&tty->lock);
	if (arg == TCOOFF || arg == TCOON) {
		bool was = tty->ld.stopped;

		tty->ld.stopped = arg == TCOOFF;
		__sync_stop(tty, was);
	} else
		__send_flow_char(tty, arg == TCIOFF ? VSTOP : VSTART);
	spin_unlock_irqrestore(&tty->lock, flags);
	tty_wake(tty);
	return 0;
}

long tty_ioctl(struct tty *tty, u32 cmd, unsigned long arg)
{
	struct abi_termios2 t2;
	struct abi_winsize ws;
	long ret;
	u64 flags;
	int v, err;

	switch (cmd) {
	case TCGETS:
	case TCGETS2:
		flags = spin_lock_irqsave(&tty->lock);
		memcpy(&t2, &tty->ld.t, sizeof(tty->ld.t));
		t2.c_ispeed = tty->ispeed;
		t2.c_ospeed = tty->ospeed;
		spin_unlock_irqrestore(&tty->lock, flags);
		return copy_to_user((void *)arg, &t2, cmd == TCGETS ? sizeof(struct abi_termios) :
				    sizeof(t2)) ? -EFAULT : 0;
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
	case TCSETS2:
	case TCSETSW2:
	case TCSETSF2:
		return tty_set_termios(tty, cmd, arg);
	case TCFLSH:
		if (arg > TCIOFLUSH)
			return -EINVAL;
		err = tty_check_change(tty, SIGTTOU);
		if (err)
			return err;
		flags = spin_lock_irqsave(&tty->lock);
		if (arg != TCOFLUSH)
			ldisc_flush_input(&tty->ld);
		spin_unlock_irqrestore(&tty->lock, flags);
		after_read(tty);
		return 0;
	case TCXONC:
		return tty_flow(tty, arg);
	case TCSBRK:
		/* tcdrain() is TCSBRK 1; tcsendbreak() (0) drains too: no break is sent. */
		return tty_drain(tty);
	case TIOCGWINSZ:
		tty_get_winsize(tty, &ws);
		return copy_to_user((void *)arg, &ws, sizeof(ws)) ? -EFAULT : 0;
	case TIOCSWINSZ:
		if (copy_from_user(&ws, (void *)arg, sizeof(ws)))
			return -EFAULT;
		tty_set_winsize(tty, &ws);
		return 0;
	case FIONREAD:
		flags = spin_lock_irqsave(&tty->lock);
		v = (int)ldisc_avail(&tty->ld);
		spin_unlock_irqrestore(&tty->lock, flags);
		return put_int(arg, v);
	case TIOCOUTQ:
		v = tty->driver->chars_in_buffer ? (int)tty->driver->chars_in_buffer(tty) : 0;
		return put_int(arg, v);
	default:
		ret = tty_jobctrl_ioctl(tty, cmd, arg);
		return ret == TTY_NOIOCTL ? -ENOTTY : ret;
	}
}
