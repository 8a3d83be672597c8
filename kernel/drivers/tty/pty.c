/*
 * Pseudo-terminals (model in kern/pty.h): a pty is a struct tty (the
 * slave, /dev/pts/N) whose driver is a ring that the master reads, and
 * whose input is what the master writes.
 *
 *   slave output   the slave's line discipline (echo, OPOST) calls
 *                  pty_output, which appends to obuf; the master's read
 *                  takes it.  A slave writer waits while obuf is full
 *                  (write_room), echo beyond it is dropped.
 *   master writes  go through the slave's line discipline as received
 *                  bytes (tty_receive); the master writer waits while
 *                  the slave's input queue is full.
 *   hangup         closing the master hangs the slave up (its session
 *                  gets SIGHUP, its files EOF/EIO); once the slave has
 *                  been opened and all its files are closed, master
 *                  reads return EIO and poll reports POLLHUP, as Linux.
 *
 * Slots are allocated on first use and never freed, so ttys live forever
 * (kern/tty.h); a slot is reused only when its master and every slave
 * file are closed.  New ptys start locked (TIOCSPTLCK 0 unlocks, what
 * unlockpt does); opening a locked slave fails with EIO.
 *
 * Locking: pty_lock protects the slot table and each slot's in_use,
 * slave_opens and owner; obuf and the packet state are under the
 * slave's tty->lock (the output callback runs with it held).  Master
 * readers sleep on mreadq, master writers on mwriteq.
 */
#include <kern/pty.h>
#include <kern/tty.h>
#include <kern/kmalloc.h>
#include <kern/poll.h>
#include <kern/uaccess.h>
#include <kern/errno.h>
#include <kern/string.h>
#include <kern/syscall.h>
#include <abi/stat.h>
#include <abi/major.h>
#include <abi/poll.h>
#include <abi/termios.h>

#define PTY_OBUF	8192	/* slave output waiting for the master */

struct pty {
	struct tty tty;			/* the slave */
	u8 obuf[PTY_OBUF];		/* tty.lock: ring, ohead - otail bytes */
	u32 ohead, otail;
	bool pkt;			/* tty.lock: TIOCPKT packet mode */
	bool locked;			/* pty_lock: TIOCSPTLCK */
	bool in_use;			/* pty_lock: the master is open */
	bool slave_seen;		/* pty_lock: a slave was opened since allocation */
	int slave_opens;		/* pty_lock: open slave files */
	u32 uid;			/* pty_lock: owner of /dev/pts/N */
	int index;
	struct wait_queue mreadq, mwriteq;
};

static struct spinlock pty_lock = SPINLOCK_INITIALIZER("pty");
static struct pty *ptys[PTY_MAX];	/* pty_lock; slots are never freed */

static void pty_output(struct tty *tty, const char *s, size_t n)
{
	struct pty *pty = tty->driver_data;

	for (size_t i = 0; i < n && pty->ohead - pty->otail < PTY_OBUF; i++)
		pty->obuf[pty->ohead++ % PTY_OBUF] = (u8)s[i];
	wake_up(&pty->mreadq);
	poll_wake();
}

static size_t pty_write_room(struct tty *tty)
{
	struct pty *pty = tty->driver_data;

	return PTY_OBUF - (READ_ONCE(pty->ohead) - READ_ONCE(pty->otail));
}

static void pty_unthrottle(struct tty *tty)
{
	struct pty *pty = tty->driver_data;

	wake_up(&pty->mwriteq);
	poll_wake();
}

static const struct tty_driver pty_driver = {
	.output = pty_output,
	.write_room = pty_write_room,
	.unthrottle = pty_unthrottle,
};

struct pty *pty_alloc(u32 uid)
{
	struct pty *pty = NULL, *fresh = NULL;
	u64 flags;
	int i;

	for (;;) {
		flags = spin_lock_irqsave(&pty_lock);
		for (i = 0; i < PTY_MAX; i++) {
			if (!ptys[i] && fresh) {
				fresh->index = i;
				ptys[i] = fresh;
				fresh = NULL;
			}
			if (ptys[i] && !ptys[i]->in_use && !ptys[i]->slave_opens) {
				pty = ptys[i];
				pty->in_use = true;
				pty->locked = true;
				pty->slave_seen = false;
				pty->uid = uid;
				break;
			}
		}
		spin_unlock_irqrestore(&pty_lock, flags);
		if (pty || i < PTY_MAX || fresh)
			break;
		/* Every slot busy: make a new one (outside the lock) and retry. */
		fresh = kzmalloc(sizeof(*fresh), MEM_WAIT);
		if (!fresh)
			return NULL;
		spinlock_init(&fresh->tty.lock, "pty tty");
		wait_queue_init(&fresh->mreadq, "pty master read");
		wait_queue_init(&fresh->mwriteq, "pty master write");
	}
	kfree(fresh);	/* a slot was freed meanwhile, or the table is full */
	if (!pty)
		return NULL;
	tty_init(&pty->tty, &pty_driver, pty,
		 ABI_MKDEV(ABI_UNIX98_PTY_SLAVE_MAJOR, pty->index));
	flags = spin_lock_irqsave(&pty->tty.lock);
	pty->tty.ws = (struct abi_winsize){ 0 };	/* Linux: a new pty has no size */
	pty->ohead = pty->otail = 0;
	pty->pkt = false;
	spin_unlock_irqrestore(&pty->tty.lock, flags);
	return pty;
}

void pty_master_close(struct pty *pty)
{
	u64 flags;

	tty_vhangup(&pty->tty);
	flags = spin_lock_irqsave(&pty_lock);
	pty->in_use = false;
	spin_unlock_irqrestore(&pty_lock, flags);
}

struct pty *pty_lookup(int index)
{
	struct pty *pty = NULL;
	u64 flags;

	if (index < 0 || index >= PTY_MAX)
		return NULL;
	flags = spin_lock_irqsave(&pty_lock);
	if (ptys[index] && ptys[index]->in_use)
		pty = ptys[index];
	spin_unlock_irqrestore(&pty_lock, flags);
	return pty;
}

bool pty_slot_info(int index, u32 *uid)
{
	bool used = false;
	u64 flags = spin_lock_irqsave(&pty_lock);

	if (index >= 0 && index < PTY_MAX && ptys[index] && ptys[index]->in_use) {
		used = true;
		*uid = ptys[index]->uid;
	}
	spin_unlock_irqrestore(&pty_lock, flags);
	return used;
}

int pty_index(struct pty *pty)
{
	return pty->index;
}

struct tty *pty_tty(struct pty *pty)
{
	return &pty->tty;
}

int pty_slave_open(struct pty *pty)
{
	int ret = 0;
	u64 flags = spin_lock_irqsave(&pty_lock);

	if (!pty->in_use)
		ret = -EIO;
	else if (pty->locked)
		ret = -EIO;
	else {
		pty->slave_opens++;
		pty->slave_seen = true;
	}
	spin_unlock_irqrestore(&pty_lock, flags);
	return ret;
}

void pty_slave_close(struct pty *pty)
{
	u64 flags = spin_lock_irqsave(&pty_lock);

	pty->slave_opens--;
	spin_unlock_irqrestore(&pty_lock, flags);
	wake_up(&pty->mreadq);
	poll_wake();
}

/* Every slave file was closed after one was opened: master reads give EIO. */
static bool slave_gone(struct pty *pty)
{
	return READ_ONCE(pty->slave_seen) && !READ_ONCE(pty->slave_opens);
}

static bool master_readable_cond(void *arg)
{
	struct pty *pty = arg;

	return READ_ONCE(pty->ohead) != READ_ONCE(pty->otail) || slave_gone(pty);
}

ssize_t pty_master_read(struct pty *pty, void *buf, size_t n, bool nonblock)
{
	u8 *dst = buf;
	size_t got = 0;
	u64 flags;

	if (!n)
		return 0;
	for (;;) {
		flags = spin_lock_irqsave(&pty->tty.lock);
		if (pty->ohead != pty->otail) {
			if (pty->pkt)
				dst[got++] = TIOCPKT_DATA;
			while (got < n && pty->ohead != pty->otail)
				dst[got++] = pty->obuf[pty->otail++ % PTY_OBUF];
		}
		spin_unlock_irqrestore(&pty->tty.lock, flags);
		if (got) {
			tty_wake(&pty->tty);	/* room for slave writers */
			return got;
		}
		if (slave_gone(pty))
			return -EIO;
		if (nonblock)
			return -EAGAIN;
		if (wait_event(&pty->mreadq, master_readable_cond, pty, 0))
			return -ERESTARTSYS;
	}
}

static bool master_writable_cond(void *arg)
{
	struct pty *pty = arg;

	return tty_input_room(&pty->tty) > 0 || !tty_readable(&pty->tty);
}

ssize_t pty_master_write(struct pty *pty, const void *buf, size_t n, bool nonblock)
{
	size_t done = 0;

	while (done < n) {
		size_t k = tty_receive(&pty->tty, (const u8 *)buf + done, NULL, n - done);

		done += k;
		if (k)
			continue;
		if (nonblock)
			return done ? (ssize_t)done : -EAGAIN;
		if (wait_event(&pty->mwriteq, master_writable_cond, pty, 0))
			return done ? (ssize_t)done : -ERESTARTSYS;
	}
	return n;
}

u32 pty_master_poll(struct pty *pty)
{
	u32 m = 0;

	if (READ_ONCE(pty->ohead) != READ_ONCE(pty->otail))
		m |= POLLIN | POLLRDNORM;
	if (slave_gone(pty))
		m |= POLLHUP;
	if (master_writable_cond(pty))
		m |= POLLOUT | POLLWRNORM;
	return m;
}

/* Copy an int to user space; 0 or -EFAULT. */
static long put_int(unsigned long arg, int v)
{
	return copy_to_user((void *)arg, &v, sizeof(v)) ? -EFAULT : 0;
}

long pty_master_ioctl(struct pty *pty, u32 cmd, unsigned long arg)
{
	int v;
	u64 flags;

	switch (cmd) {
	case TIOCGPTN:
		return put_int(arg, pty->index);
	case TIOCSPTLCK:
		if (copy_from_user(&v, (void *)arg, sizeof(v)))
			return -EFAULT;
		flags = spin_lock_irqsave(&pty_lock);
		pty->locked = v != 0;
		spin_unlock_irqrestore(&pty_lock, flags);
		return 0;
	case TIOCGPTLCK:
		return put_int(arg, READ_ONCE(pty->locked));
	case TIOCPKT:
		if (copy_from_user(&v, (void *)arg, sizeof(v)))
			return -EFAULT;
		flags = spin_lock_irqsave(&pty->tty.lock);
		pty->pkt = v != 0;
		spin_unlock_irqrestore(&pty->tty.lock, flags);
		return 0;
	case TIOCGPKT:
		return put_int(arg, READ_ONCE(pty->pkt));
	case FIONREAD:
		return put_int(arg, (int)(READ_ONCE(pty->ohead) - READ_ONCE(pty->otail)));
	case TIOCSCTTY:
	case TIOCNOTTY:
	case TIOCGPGRP:
	case TIOCSPGRP:
	case TIOCGSID:
	case TIOCOUTQ:
	case TCSBRK:
	case TCXONC:
	case TCFLSH:
		return -ENOTTY;	/* job control and flow belong to the slave here */
	default:
		/* termios and window size are the slave's (Linux pty_unix98_ioctl falls through). */
		return tty_ioctl(&pty->tty, cmd, arg);
	}
}
