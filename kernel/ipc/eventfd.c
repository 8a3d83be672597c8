/*
 * eventfd: a 64-bit counter behind a descriptor (Linux semantics).
 *
 * Model: write adds its 8-byte value to the counter, blocking (or
 * EAGAIN) while the sum would pass EVENTFD_MAX; read returns the counter
 * and resets it to 0 (EFD_SEMAPHORE: returns 1 and decrements),
 * blocking (or EAGAIN) while it is 0.  The value ~0 cannot be written
 * (EINVAL); reads need at least 8 bytes, writes exactly 8 (else EINVAL,
 * as Linux 6.x).  Readiness: POLLIN while
 * the counter is above 0, POLLOUT while a write of 1 would not block.
 *
 * Waiting uses the global poll machinery (kern/poll.h): a blocked reader
 * or writer samples poll_seq(), tries, and sleeps in poll_sleep(); every
 * change of the counter calls poll_wake(), which also wakes poll, select
 * and epoll waiters.  efd->lock protects the counter.
 */
#include <kern/syscall.h>
#include <kern/poll.h>
#include <kern/proc.h>
#include <kern/vfs.h>
#include <kern/kmalloc.h>
#include <kern/string.h>
#include <kern/errno.h>
#include <abi/eventfd.h>

#define EVENTFD_MAX	0xfffffffffffffffeULL

struct eventfd {
	struct spinlock lock;
	u64 count;		/* lock */
	bool semaphore;		/* EFD_SEMAPHORE, fixed at creation */
};

/* Last close: free the counter. */
static void eventfd_release(struct file *f)
{
	kfree(f->priv);
}

/* Take the counter (or 1 of it) if it is above 0; true if it was. */
static bool eventfd_take(void *arg, u64 *val)
{
	struct eventfd *efd = arg;
	bool got;

	spin_lock(&efd->lock);
	got = efd->count > 0;
	if (got) {
		*val = efd->semaphore ? 1 : efd->count;
		efd->count -= *val;
	}
	spin_unlock(&efd->lock);
	return got;
}

/* read: the counter (or 1), blocking while it is 0; -EINVAL under 8 bytes. */
static ssize_t eventfd_read(struct file *f, void *buf, size_t n, u64 *off)
{
	long r = poll_read_u64(buf, n, f->flags & O_NONBLOCK, eventfd_take, f->priv);

	(void)off;
	if (r > 0)
		poll_wake();	/* room for writers now */
	return r;
}

/* Add val to the counter if the sum stays within EVENTFD_MAX; true if it did. */
static bool eventfd_add(struct eventfd *efd, u64 val)
{
	bool done;

	spin_lock(&efd->lock);
	done = EVENTFD_MAX - efd->count >= val;
	if (done)
		efd->count += val;
	spin_unlock(&efd->lock);
	return done;
}

/* write: add an 8-byte value, blocking while it does not fit; -EINVAL for ~0 or n != 8. */
static ssize_t eventfd_write(struct file *f, const void *buf, size_t n, u64 *off)
{
	struct eventfd *efd = f->priv;
	u64 val;

	(void)off;
	if (n != sizeof(val))
		return -EINVAL;
	memcpy(&val, buf, sizeof(val));
	if (val == ~0ULL)
		return -EINVAL;
	for (;;) {
		u64 seq = poll_seq();

		if (eventfd_add(efd, val))
			break;
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		if (poll_sleep(seq, 0))
			return -ERESTARTSYS;
	}
	if (val)
		poll_wake();
	return sizeof(val);
}

/* POLLIN above 0, POLLOUT while 1 more fits. */
static u32 eventfd_poll(struct file *f)
{
	struct eventfd *efd = f->priv;
	u32 mask = 0;

	spin_lock(&efd->lock);
	if (efd->count > 0)
		mask |= POLLIN;
	if (efd->count < EVENTFD_MAX)
		mask |= POLLOUT;
	spin_unlock(&efd->lock);
	return mask;
}

static const struct file_ops eventfd_file_ops = {
	.release = eventfd_release,
	.read = eventfd_read,
	.write = eventfd_write,
	.poll = eventfd_poll,
	.nonseekable = true,
};

/* eventfd2 core: a new eventfd with counter initval; fd or -errno. */
static long do_eventfd(unsigned int initval, int flags)
{
	struct eventfd *efd;
	struct file *f;
	int err, fd;

	if (flags & ~(EFD_SEMAPHORE | EFD_NONBLOCK | EFD_CLOEXEC))
		return -EINVAL;
	efd = kzmalloc(sizeof(*efd), MEM_WAIT);
	if (!efd)
		return -ENOMEM;
	spinlock_init(&efd->lock, "eventfd");
	efd->count = initval;
	efd->semaphore = flags & EFD_SEMAPHORE;
	err = anon_file_open("eventfd", &eventfd_file_ops, efd, flags, &f);
	if (err) {
		kfree(efd);
		return err;
	}
	fd = fdt_install(current_proc()->fdt, f, 0, flags & EFD_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}

SYSCALL_DEFINE2(eventfd2, unsigned int, initval, int, flags)
{
	return do_eventfd(initval, flags);
}

SYSCALL_DEFINE1(eventfd, unsigned int, initval)
{
	return do_eventfd(initval, 0);
}
