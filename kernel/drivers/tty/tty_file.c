/*
 * Terminal files (model in kern/tty.h): the read, write, ioctl and poll
 * of a file opened on a tty, shared by #cons (console, /dev/tty) and
 * #pts (pty slaves).  Each open gets a struct tty_file in f->priv naming
 * the tty and the hangup generation of the open; once the tty has been
 * hung up since, reads give EOF, writes EIO, ioctls EIO (ENOTTY for
 * TIOCSPGRP, Linux's hung_up_tty_ioctl) and poll everything plus POLLHUP.
 */
#include <kern/tty.h>
#include <kern/vfs.h>
#include <kern/kmalloc.h>
#include <kern/errno.h>
#include <abi/fcntl.h>
#include <abi/poll.h>

int tty_file_open(struct file *f, struct tty *tty, long gen)
{
	struct tty_file *tf = kmalloc(sizeof(*tf), MEM_WAIT);
	bool first;
	u64 flags;

	if (!tf)
		return -ENOMEM;
	tf->tty = tty;
	tf->gen = gen;
	f->priv = tf;
	flags = spin_lock_irqsave(&tty->lock);
	first = !tty->opens++;
	spin_unlock_irqrestore(&tty->lock, flags);
	if (first && tty->driver->open)
		tty->driver->open(tty);
	return 0;
}

void tty_file_close(struct file *f)
{
	struct tty_file *tf = f->priv;
	bool last;
	u64 flags;

	if (tf) {
		flags = spin_lock_irqsave(&tf->tty->lock);
		last = !--tf->tty->opens;
		spin_unlock_irqrestore(&tf->tty->lock, flags);
		if (last && tf->tty->driver->close)
			tf->tty->driver->close(tf->tty);
	}
	kfree(f->priv);
	f->priv = NULL;
}

struct tty *tty_file_tty(struct file *f)
{
	struct tty_file *tf = f->priv;

	return tf ? tf->tty : NULL;
}

/* Bytes read (blocking per termios unless O_NONBLOCK), 0 after a hangup, or -errno. */
ssize_t tty_file_read(struct file *f, void *buf, size_t n)
{
	struct tty_file *tf = f->priv;

	return tty_read(tf->tty, buf, n, f->flags & O_NONBLOCK, tf->gen);
}

/* Bytes written, or -errno (-EIO once hung up, -EAGAIN). */
ssize_t tty_file_write(struct file *f, const void *buf, size_t n)
{
	struct tty_file *tf = f->priv;

	return tty_write(tf->tty, buf, n, f->flags & O_NONBLOCK, tf->gen);
}

/* The terminal's ioctl result; -EIO (or -ENOTTY) once hung up. */
long tty_file_ioctl(struct file *f, u32 cmd, unsigned long arg)
{
	struct tty_file *tf = f->priv;

	if (tty_hung_up(tf->tty, tf->gen))
		return cmd == TIOCSPGRP ? -ENOTTY : -EIO;
	return tty_ioctl(tf->tty, cmd, arg);
}

/* Readiness bits (never fails). */
u32 tty_file_poll(struct file *f)
{
	struct tty_file *tf = f->priv;
	struct tty *tty = tf->tty;
	u32 m = 0;

	if (tty_hung_up(tty, tf->gen))
		return POLLIN | POLLOUT | POLLERR | POLLHUP | POLLRDNORM | POLLWRNORM;
	if (tty_readable(tty))
		m |= POLLIN | POLLRDNORM;
	if ((!READ_ONCE(tty->ld.stopped) || tty->driver->stop) &&
	    (!tty->driver->write_room || tty->driver->write_room(tty) >= 2))
		m |= POLLOUT | POLLWRNORM;
	return m;
}
