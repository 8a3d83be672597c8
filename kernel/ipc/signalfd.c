/*
 * signalfd: pending signals read from a descriptor (Linux semantics).
 *
 * Model: a signalfd holds a signal mask (SIGKILL and SIGSTOP silently
 * left out).  read takes pending signals of that mask off the reading
 * thread's queue, then its process's (signal_dequeue_set in
 * proc/signal.c), and returns one struct signalfd_siginfo (128 bytes)
 * per signal, as many as fit; it blocks (or EAGAIN) while none is
 * pending, and buffers under 128 bytes are EINVAL.  poll reports POLLIN
 * while a signal of the mask is pending for the polling thread.  The
 * signals are normally blocked, so they stay pending until read; a
 * blocked reader waits on the global poll queue, which send_signal_*
 * wake with poll_wake().  signalfd4 on an existing signalfd replaces
 * its mask.  The mask is read and written atomically (no lock).
 */
#include <kern/syscall.h>
#include <kern/poll.h>
#include <kern/proc.h>
#include <kern/sched.h>
#include <kern/signal.h>
#include <kern/vfs.h>
#include <kern/kmalloc.h>
#include <kern/string.h>
#include <kern/errno.h>
#include <kern/uaccess.h>
#include <abi/signalfd.h>

struct signalfd_ctx {
	u64 mask;		/* atomic */
};

static const struct file_ops signalfd_file_ops;

/* Last close: free the mask. */
static void signalfd_release(struct file *f)
{
	kfree(f->priv);
}

/* read: a signalfd_siginfo per dequeued signal, waiting for the first; -EINVAL under 128. */
static ssize_t signalfd_read(struct file *f, void *buf, size_t n, u64 *off)
{
	struct signalfd_ctx *ctx = f->priv;
	struct abi_signalfd_siginfo *out = buf;
	size_t got = 0;

	(void)off;
	if (n < sizeof(*out))
		return -EINVAL;
	while (got < n / sizeof(*out)) {
		u64 seq = poll_seq();
		struct ksiginfo info;
		int sig = signal_dequeue_set(__atomic_load_n(&ctx->mask, __ATOMIC_RELAXED), &info);

		if (sig) {
			memset(&out[got], 0, sizeof(out[got]));
			out[got].ssi_signo = (u32)sig;
			out[got].ssi_code = info.code;
			out[got].ssi_pid = (u32)info.pid;
			out[got].ssi_uid = info.uid;
			out[got].ssi_status = info.status;
			out[got].ssi_addr = info.addr;
			got++;
			continue;
		}
		/* Only the first signal is waited for. */
		if (got)
			break;
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		if (poll_sleep(seq, 0))
			return -ERESTARTSYS;
	}
	poll_wake();	/* the pending set shrank */
	return (ssize_t)(got * sizeof(*out));
}

/* POLLIN while a signal of the mask is pending for the polling thread. */
static u32 signalfd_poll(struct file *f)
{
	struct signalfd_ctx *ctx = f->priv;

	return signal_pending_mask(current(), __atomic_load_n(&ctx->mask, __ATOMIC_RELAXED)) ?
		POLLIN : 0;
}

static const struct file_ops signalfd_file_ops = {
	.release = signalfd_release,
	.read = signalfd_read,
	.poll = signalfd_poll,
	.nonseekable = true,
};

/* signalfd4 core: new signalfd (fd == -1) or new mask for fd; fd or -errno. */
static long do_signalfd4(int fd, const u64 *umask, size_t size, int flags)
{
	struct signalfd_ctx *ctx;
	struct file *f;
	u64 mask;
	int err;

	if (flags & ~(SFD_NONBLOCK | SFD_CLOEXEC))
		return -EINVAL;
	if (size != sizeof(mask))
		return -EINVAL;
	if (copy_from_user(&mask, umask, sizeof(mask)))
		return -EFAULT;
	mask &= ~SIG_UNBLOCKABLE;
	if (fd != -1) {
		f = fd_file(fd);
		if (!f)
			return -EBADF;
		err = -EINVAL;
		if (file_is_anon(f, &signalfd_file_ops)) {
			ctx = f->priv;
			__atomic_store_n(&ctx->mask, mask, __ATOMIC_RELAXED);
			err = fd;
			poll_wake();	/* readiness follows the new mask */
		}
		file_put(f);
		return err;
	}
	ctx = kzmalloc(sizeof(*ctx), MEM_WAIT);
	if (!ctx)
		return -ENOMEM;
	ctx->mask = mask;
	err = anon_file_open("signalfd", &signalfd_file_ops, ctx, flags, &f);
	if (err) {
		kfree(ctx);
		return err;
	}
	fd = fdt_install(current_proc()->fdt, f, 0, flags & SFD_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}

SYSCALL_DEFINE4(signalfd4, int, fd, const u64 *, umask, size_t, size, int, flags)
{
	return do_signalfd4(fd, umask, size, flags);
}

SYSCALL_DEFINE3(signalfd, int, fd, const u64 *, umask, size_t, size)
{
	return do_signalfd4(fd, umask, size, 0);
}
