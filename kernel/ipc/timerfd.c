/*
 * timerfd: a timer whose expirations are read from a descriptor (Linux
 * semantics).
 *
 * Model: a timerfd counts expirations of a one-shot or periodic timer
 * (ticks); read returns the count as 8 bytes and resets it, blocking (or
 * EAGAIN) while it is 0; poll reports POLLIN while it is above 0.  The
 * timer is a ktimer on the boot clock (kern/ktimer.h, one tick of
 * resolution).  CLOCK_MONOTONIC and CLOCK_BOOTTIME are that clock (this
 * kernel never suspends); CLOCK_REALTIME deadlines given with
 * TFD_TIMER_ABSTIME are converted at settime, so a later change of the
 * wall clock does not move them, and TFD_TIMER_CANCEL_ON_SET is accepted
 * but never cancels.  The *_ALARM clocks need root (EPERM) and then
 * behave as their base clock.
 *
 * The ktimer callback runs in interrupt context: it counts the
 * expiration (overruns of a periodic timer included), re-arms the next
 * period and calls poll_wake(), on which blocked readers wait
 * (kern/poll.h).  tfd->lock (irqsave) protects every field; a callback
 * that fires for a stale deadline finds next_ns changed and does nothing
 * but re-arm for the current one.
 */
#include <kern/syscall.h>
#include <kern/poll.h>
#include <kern/proc.h>
#include <kern/vfs.h>
#include <kern/ktimer.h>
#include <kern/time.h>
#include <kern/clock.h>
#include <kern/kmalloc.h>
#include <kern/string.h>
#include <kern/errno.h>
#include <kern/uaccess.h>
#include <abi/time.h>
#include <abi/timerfd.h>

#define NSEC_PER_SEC		1000000000ULL

struct timerfd {
	struct spinlock lock;
	int clockid;		/* fixed at creation */
	struct ktimer timer;
	u64 next_ns;		/* boot-clock deadline of the next expiration, 0: disarmed; lock */
	u64 interval_ns;	/* period, 0: one-shot; lock */
	u64 ticks;		/* expirations not yet read; lock */
	bool dying;		/* released: the callback must not re-arm; lock */
};

static const struct file_ops timerfd_file_ops;

/* ktimer callback (IRQ context): count expirations up to now, re-arm a periodic timer. */
static void timerfd_fire(struct ktimer *kt)
{
	struct timerfd *tfd = container_of(kt, struct timerfd, timer);
	u64 flags = spin_lock_irqsave(&tfd->lock), now = nsec_since_boot();
	bool fired = false;

	if (tfd->dying || !tfd->next_ns)
		goto out_unlock;
	if (now < tfd->next_ns) {
		ktimer_arm(&tfd->timer, tfd->next_ns);
		goto out_unlock;
	}
	fired = true;
	if (tfd->interval_ns) {
		u64 periods = (now - tfd->next_ns) / tfd->interval_ns + 1;

		tfd->ticks += periods;
		tfd->next_ns += periods * tfd->interval_ns;
		ktimer_arm(&tfd->timer, tfd->next_ns);
	} else {
		tfd->ticks++;
		tfd->next_ns = 0;
	}
out_unlock:
	spin_unlock_irqrestore(&tfd->lock, flags);
	if (fired)
		poll_wake();
}

/* Last close: stop the timer for good, then free. */
static void timerfd_release(struct file *f)
{
	struct timerfd *tfd = f->priv;
	u64 flags = spin_lock_irqsave(&tfd->lock);

	tfd->dying = true;
	spin_unlock_irqrestore(&tfd->lock, flags);
	ktimer_cancel(&tfd->timer);
	kfree(tfd);
}

/* Take the expiration count if it is above 0; true if it was. */
static bool timerfd_take(void *arg, u64 *val)
{
	struct timerfd *tfd = arg;
	u64 flags = spin_lock_irqsave(&tfd->lock);
	bool got = tfd->ticks > 0;

	*val = tfd->ticks;
	tfd->ticks = 0;
	spin_unlock_irqrestore(&tfd->lock, flags);
	return got;
}

/* read: the 8-byte expiration count, blocking while it is 0; -EINVAL under 8 bytes. */
static ssize_t timerfd_read(struct file *f, void *buf, size_t n, u64 *off)
{
	(void)off;
	return poll_read_u64(buf, n, f->flags & O_NONBLOCK, timerfd_take, f->priv);
}

/* POLLIN while expirations wait to be read. */
static u32 timerfd_poll(struct file *f)
{
	struct timerfd *tfd = f->priv;

	return READ_ONCE(tfd->ticks) ? POLLIN : 0;
}

static const struct file_ops timerfd_file_ops = {
	.release = timerfd_release,
	.read = timerfd_read,
	.poll = timerfd_poll,
	.nonseekable = true,
};

SYSCALL_DEFINE2(timerfd_create, int, clockid, int, flags)
{
	struct timerfd *tfd;
	struct file *f;
	int err, fd;

	if (flags & ~(TFD_NONBLOCK | TFD_CLOEXEC))
		return -EINVAL;
	if (clockid != CLOCK_REALTIME && clockid != CLOCK_MONOTONIC && clockid != CLOCK_BOOTTIME &&
	    clockid != CLOCK_REALTIME_ALARM && clockid != CLOCK_BOOTTIME_ALARM)
		return -EINVAL;
	if ((clockid == CLOCK_REALTIME_ALARM || clockid == CLOCK_BOOTTIME_ALARM) &&
	    current_proc()->euid != 0)
		return -EPERM;
	tfd = kzmalloc(sizeof(*tfd), MEM_WAIT);
	if (!tfd)
		return -ENOMEM;
	spinlock_init(&tfd->lock, "timerfd");
	ktimer_init(&tfd->timer, timerfd_fire);
	tfd->clockid = clockid;
	err = anon_file_open("timerfd", &timerfd_file_ops, tfd, flags, &f);
	if (err) {
		kfree(tfd);
		return err;
	}
	fd = fdt_install(current_proc()->fdt, f, 0, flags & TFD_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}

/* The timerfd at fd with a reference, or NULL with *err = -EBADF/-EINVAL. */
static struct file *timerfd_get(int fd, long *err)
{
	struct file *f = fd_file(fd);

	*err = -EBADF;
	if (!f)
		return NULL;
	if (!file_is_anon(f, &timerfd_file_ops)) {
		file_put(f);
		*err = -EINVAL;
		return NULL;
	}
	return f;
}

/* A valid timespec as nanoseconds. */
static u64 ts_ns(const struct abi_timespec *ts)
{
	return (u64)ts->tv_sec * NSEC_PER_SEC + (u64)ts->tv_nsec;
}

/* Nanoseconds as a timespec. */
static struct abi_timespec ns_ts(u64 ns)
{
	return (struct abi_timespec){ (s64)(ns / NSEC_PER_SEC), (s64)(ns % NSEC_PER_SEC) };
}

/* Current setting of tfd as an itimerspec (time left, period); lock held. */
static struct abi_itimerspec __timerfd_setting(struct timerfd *tfd)
{
	u64 now = nsec_since_boot();
	struct abi_itimerspec cur = { .it_interval = ns_ts(tfd->interval_ns) };

	if (tfd->next_ns)
		cur.it_value = ns_ts(tfd->next_ns > now ? tfd->next_ns - now : 1);
	return cur;
}

/* True if ts is a valid non-negative time (tv_nsec below one second). */
static bool timespec_ok(const struct abi_timespec *ts)
{
	return ts->tv_sec >= 0 && ts->tv_nsec >= 0 && (u64)ts->tv_nsec < NSEC_PER_SEC;
}

SYSCALL_DEFINE4(timerfd_settime, int, fd, int, flags, const struct abi_itimerspec *, unew,
		struct abi_itimerspec *, uold)
{
	struct abi_itimerspec nv, old;
	struct timerfd *tfd;
	struct file *f;
	u64 lock_flags, value, now;
	long err;

	if (copy_from_user(&nv, unew, sizeof(nv)))
		return -EFAULT;
	if ((flags & ~(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET)) ||
	    !timespec_ok(&nv.it_value) || !timespec_ok(&nv.it_interval))
		return -EINVAL;
	f = timerfd_get(fd, &err);
	if (!f)
		return err;
	tfd = f->priv;
	value = ts_ns(&nv.it_value);
	lock_flags = spin_lock_irqsave(&tfd->lock);
	now = nsec_since_boot();
	old = __timerfd_setting(tfd);
	tfd->ticks = 0;
	tfd->interval_ns = ts_ns(&nv.it_interval);
	if (!value) {
		tfd->next_ns = 0;
	} else if (flags & TFD_TIMER_ABSTIME) {
		s64 boot = (s64)value;

		if (tfd->clockid == CLOCK_REALTIME || tfd->clockid == CLOCK_REALTIME_ALARM)
			boot -= clock_realtime_ns() - (s64)now;
		tfd->next_ns = boot > 0 ? (u64)boot : 1;
	} else {
		tfd->next_ns = now + value;
	}
	if (tfd->next_ns)
		ktimer_arm(&tfd->timer, tfd->next_ns);
	spin_unlock_irqrestore(&tfd->lock, lock_flags);
	file_put(f);
	poll_wake();	/* the expiration count was reset */
	if (uold && copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE2(timerfd_gettime, int, fd, struct abi_itimerspec *, ucur)
{
	struct abi_itimerspec cur;
	struct timerfd *tfd;
	long err;
	struct file *f = timerfd_get(fd, &err);
	u64 flags;

	if (!f)
		return err;
	tfd = f->priv;
	flags = spin_lock_irqsave(&tfd->lock);
	cur = __timerfd_setting(tfd);
	spin_unlock_irqrestore(&tfd->lock, flags);
	file_put(f);
	return copy_to_user(ucur, &cur, sizeof(cur)) ? -EFAULT : 0;
}
