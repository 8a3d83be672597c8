/*
 * #cons: the console.  `cons` is the serial terminal (line discipline in
 * drivers/tty/tty.c) as /dev/console (5:1); `ttyS0` is the same terminal under
 * its own name and number (4:64, bound at /dev/ttyS0); `tty` is the same
 * terminal as "the controlling terminal" (/dev/tty, 5:0): opening it
 * fails with ENXIO without one.  As on Linux, only opening `ttyS0`
 * without O_NOCTTY makes the console the controlling terminal of a
 * session leader that has none (console and tty never do).  Files of
 * `tty` and `ttyS0` keep their open's hangup generation in f->priv and
 * behave as hung up after the session's hangup (drivers/tty/tty.c); `cons`
 * files never do.  `kmsg` reads the kernel log (dmesg).
 */
#include <kern/dev.h>
#include <kern/vfs.h>
#include <kern/tty.h>
#include <kern/console_in.h>
#include <kern/poll.h>
#include <kern/proc.h>
#include <kern/printk.h>
#include <kern/errno.h>
#include <abi/stat.h>
#include <abi/fcntl.h>
#include <abi/termios.h>
#include <abi/major.h>

enum { Qcons = 1, Qkmsg, Qtty, QttyS0 };

static const struct dev_dirent cons_tab[] = {
	{ .name = "cons", .qid = Qcons, .mode = S_IFCHR | 0620,
	  .rdev = ABI_MKDEV(ABI_TTYAUX_MAJOR, ABI_CONSOLE_MINOR) },
	{ .name = "kmsg", .qid = Qkmsg, .mode = S_IFREG | 0444 },
	{ .name = "tty", .qid = Qtty, .mode = S_IFCHR | 0666,
	  .rdev = ABI_MKDEV(ABI_TTYAUX_MAJOR, ABI_TTY_MINOR) },
	{ .name = "ttyS0", .qid = QttyS0, .mode = S_IFCHR | 0620,
	  .rdev = ABI_MKDEV(TTY_CONSOLE_MAJOR, TTY_CONSOLE_MINOR) },
};

/* Is f one of the terminal files (cons, tty, ttyS0)? */
static bool is_tty(struct file *f)
{
	u64 q = dev_file_qid(f);

	return q == Qcons || q == Qtty || q == QttyS0;
}

/* The hangup generation f was opened at (kept in f->priv); TTY_NO_HANGUP for cons. */
static long file_gen(struct file *f)
{
	return dev_file_qid(f) == Qcons ? TTY_NO_HANGUP : (long)(uintptr_t)f->priv;
}

/* /dev/tty: -ENXIO without a controlling terminal; ttyS0 may become one.  0 or -ENXIO. */
static int cons_open(struct file *f)
{
	u64 q = dev_file_qid(f);

	if (q == Qtty && !tty_is_ctty(current_proc()))
		return -ENXIO;
	if (q == QttyS0 && !(f->flags & O_NOCTTY) && (f->fmode & FMODE_READ))
		tty_open_ctty(current_proc());
	if (q == Qtty || q == QttyS0)
		f->priv = (void *)(uintptr_t)tty_hangup_gen();
	return 0;
}

/* Start the terminal and route console input to it. */
static void cons_init(void)
{
	tty_init();
	WRITE_ONCE(tty_attached, true);
}

/* Bytes read (the terminal may block), or -errno (-EIO after a hangup...). */
static ssize_t cons_read(struct file *f, void *buf, size_t n, u64 off)
{
	switch (dev_file_qid(f)) {
	case Qcons:
	case Qtty:
	case QttyS0:
		return tty_read(buf, n, f->flags & O_NONBLOCK, file_gen(f));
	case Qkmsg:
		return kmsg_read(buf, n, off);
	default:
		return -EISDIR;
	}
}

/* Bytes written to the terminal, or -EPERM for kmsg and -errno from the terminal. */
static ssize_t cons_write(struct file *f, const void *buf, size_t n, u64 off)
{
	(void)off;
	if (!is_tty(f))
		return -EPERM;
	return tty_write(buf, n, file_gen(f));
}

/* The terminal's ioctl result; -ENOTTY for kmsg, -EIO (or -ENOTTY) once hung up. */
static long cons_ioctl(struct file *f, u32 cmd, unsigned long arg)
{
	if (!is_tty(f))
		return -ENOTTY;
	if (tty_hung_up(file_gen(f)))
		return cmd == TIOCSPGRP ? -ENOTTY : -EIO;	/* Linux's hung_up_tty_ioctl */
	return tty_ioctl(cmd, arg);
}

/* Readiness bits (never fails). */
static u32 cons_poll(struct file *f)
{
	if (!is_tty(f))
		return POLLIN | POLLOUT;
	if (tty_hung_up(file_gen(f)))
		return POLLIN | POLLOUT | POLLERR | POLLHUP | POLLRDNORM | POLLWRNORM;
	return (tty_readable() ? POLLIN : 0) | POLLOUT;
}

static const struct dev cons_dev = {
	.name = "cons",
	.init = cons_init,
	.open = cons_open,
	.read = cons_read,
	.write = cons_write,
	.ioctl = cons_ioctl,
	.poll = cons_poll,
	.tab = cons_tab,
	.ntab = ARRAY_SIZE(cons_tab),
};
DEV_REGISTER(cons_dev);
