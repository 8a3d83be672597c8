/*
 * #cons: the console.  `cons` is the serial terminal (console_tty,
 * kern/tty.h) as /dev/console (5:1); `ttyS0` is the same terminal under
 * its own name and number (4:64, bound at /dev/ttyS0); `tty` is "the
 * controlling terminal" (/dev/tty, 5:0): it opens the caller's ctty,
 * whichever terminal that is (the console or a pty), and fails with
 * ENXIO without one.  As on Linux, only opening `ttyS0` without O_NOCTTY
 * makes the console the controlling terminal of a session leader that
 * has none (console and tty never do).  Files of `tty` and `ttyS0` keep
 * their open's hangup generation (struct tty_file) and behave as hung up
 * after the session's hangup; `cons` files never do.
 *
 * Console ownership: TIOCCONS on a `cons` or `ttyS0` file (root only)
 * makes that open file the owner of the line: printk stops writing to
 * the port and holds the text for the owner instead (kern/printk.h),
 * until the owner's file is closed (termd exits or dies).  (Linux's TIOCCONS
 * redirects console output to a tty; here the owner shows the messages
 * itself.)  `kheld` reads the held text and consumes it (EAGAIN when
 * there is none; a NUL means the monitor wrote to the screen).
 *
 * `kmsg` reads the kernel log (dmesg); `kprint` writes its data as
 * kernel messages (one printk per line, root only).
 */
#include <kern/dev.h>
#include <kern/vfs.h>
#include <kern/tty.h>
#include <kern/console_in.h>
#include <kern/proc.h>
#include <kern/printk.h>
#include <kern/spinlock.h>
#include <kern/uaccess.h>
#include <kern/errno.h>
#include <abi/stat.h>
#include <abi/fcntl.h>
#include <abi/poll.h>
#include <abi/termios.h>
#include <abi/major.h>

enum { Qcons = 1, Qkmsg, Qtty, QttyS0, Qkheld, Qkprint };

static const struct dev_dirent cons_tab[] = {
	{ .name = "cons", .qid = Qcons, .mode = S_IFCHR | 0620,
	  .rdev = ABI_MKDEV(ABI_TTYAUX_MAJOR, ABI_CONSOLE_MINOR) },
	{ .name = "kmsg", .qid = Qkmsg, .mode = S_IFREG | 0444 },
	{ .name = "tty", .qid = Qtty, .mode = S_IFCHR | 0666,
	  .rdev = ABI_MKDEV(ABI_TTYAUX_MAJOR, ABI_TTY_MINOR) },
	{ .name = "ttyS0", .qid = QttyS0, .mode = S_IFCHR | 0620,
	  .rdev = ABI_MKDEV(TTY_CONSOLE_MAJOR, TTY_CONSOLE_MINOR) },
	{ .name = "kheld", .qid = Qkheld, .mode = S_IFREG | 0400 },
	{ .name = "kprint", .qid = Qkprint, .mode = S_IFREG | 0200 },
};

static struct spinlock owner_lock = SPINLOCK_INITIALIZER("console owner");
static struct file *console_owner;	/* owner_lock: the file that did TIOCCONS */

/* Is f one of the terminal files (cons, tty, ttyS0)? */
static bool is_tty(struct file *f)
{
	u64 q = dev_file_qid(f);

	return q == Qcons || q == Qtty || q == QttyS0;
}

/* tty opens the caller's ctty, ttyS0 may become one; 0, -ENXIO or -ENOMEM. */
static int cons_open(struct file *f)
{
	struct tty *tty = &console_tty;
	u64 q = dev_file_qid(f);

	switch (q) {
	case Qtty:
		tty = tty_of_proc(current_proc());
		if (!tty)
			return -ENXIO;
		return tty_file_open(f, tty, tty_hangup_gen(tty));
	case QttyS0:
		if (!(f->flags & O_NOCTTY) && (f->fmode & FMODE_READ))
			tty_open_ctty(tty, current_proc());
		return tty_file_open(f, tty, tty_hangup_gen(tty));
	case Qcons:
		return tty_file_open(f, tty, TTY_NO_HANGUP);
	default:
		return 0;
	}
}

/* Closing the owner's file gives the line back to printk. */
static void cons_close(struct file *f)
{
	u64 flags;
	bool was_owner;

	if (!is_tty(f))
		return;
	/* Under owner_lock, so a new owner's mute cannot come before this unmute. */
	flags = spin_lock_irqsave(&owner_lock);
	was_owner = console_owner == f;
	if (was_owner) {
		console_owner = NULL;
		console_set_muted(false);
	}
	spin_unlock_irqrestore(&owner_lock, flags);
	if (was_owner)
		console_release_held();
	tty_file_close(f);
}

static void cons_init(void)
{
	console_tty_init();
}

/* Bytes read (the terminal may block), or -errno (-EIO after a hangup...). */
static ssize_t cons_read(struct file *f, void *buf, size_t n, u64 off)
{
	size_t got;

	switch (dev_file_qid(f)) {
	case Qcons:
	case Qtty:
	case QttyS0:
		return tty_file_read(f, buf, n);
	case Qkmsg:
		return kmsg_read(buf, n, off);
	case Qkheld:
		got = kmsg_held_read(buf, n);
		return got || !n ? (ssize_t)got : -EAGAIN;
	default:
		return -EISDIR;
	}
}

/* kprint: each line of buf as one kernel message; n, or -EPERM for non-root. */
static ssize_t kprint_write(const char *buf, size_t n)
{
	struct proc *p = current_proc();
	size_t i = 0;

	if (p && p->euid)
		return -EPERM;
	while (i < n) {
		size_t j = i;

		while (j < n && buf[j] != '\n')
			j++;
		printk("%.*s\n", (int)MIN(j - i, (size_t)400), buf + i);
		i = j + 1;
	}
	return n;
}

/* Bytes written to the terminal or the log, or -EPERM (kmsg, kheld) and -errno from the terminal. */
static ssize_t cons_write(struct file *f, const void *buf, size_t n, u64 off)
{
	(void)off;
	if (dev_file_qid(f) == Qkprint)
		return kprint_write(buf, n);
	if (!is_tty(f))
		return -EPERM;
	return tty_file_write(f, buf, n);
}

/* TIOCCONS: f takes the console line (root); 0, -EPERM or -EBUSY (another owner). */
static long take_console(struct file *f)
{
	struct proc *p = current_proc();
	long ret = 0;
	u64 flags;

	if (dev_file_qid(f) == Qtty || (p && p->euid))
		return -EPERM;
	flags = spin_lock_irqsave(&owner_lock);
	if (console_owner && console_owner != f) {
		ret = -EBUSY;
	} else {
		console_owner = f;
		console_set_muted(true);
	}
	spin_unlock_irqrestore(&owner_lock, flags);
	return ret;
}

/* The terminal's ioctl result; -ENOTTY for the log files, -EIO (or -ENOTTY) once hung up. */
static long cons_ioctl(struct file *f, u32 cmd, unsigned long arg)
{
	if (!is_tty(f))
		return -ENOTTY;
	if (cmd == TIOCCONS && tty_file_tty(f) == &console_tty)
		return take_console(f);
	return tty_file_ioctl(f, cmd, arg);
}

/* Readiness bits (never fails). */
static u32 cons_poll(struct file *f)
{
	if (!is_tty(f))
		return POLLIN | POLLOUT;
	return tty_file_poll(f);
}

static const struct dev cons_dev = {
	.name = "cons",
	.init = cons_init,
	.open = cons_open,
	.close = cons_close,
	.read = cons_read,
	.write = cons_write,
	.ioctl = cons_ioctl,
	.poll = cons_poll,
	.tab = cons_tab,
	.ntab = ARRAY_SIZE(cons_tab),
};
DEV_REGISTER(cons_dev);
