/*
 * Time system calls on the clocks of time/clock.c: clock_gettime/getres/
 * settime, gettimeofday/settimeofday, time, nanosleep, clock_nanosleep,
 * times.  Sleeps are interruptible: they return -EINTR with the remaining
 * time when a handler runs (nanosleep is not restarted, as on Linux with a
 * handler).
 */
#include <kern/syscall.h>
#include <kern/clock.h>
#include <kern/time.h>
#include <kern/proc.h>
#include <kern/sched.h>
#include <kern/uaccess.h>
#include <kern/errno.h>
#include <kern/ktimer.h>
#include <abi/time.h>

#define NSEC_PER_SEC	1000000000LL
#define TICK_NS		4000000LL	/* scheduler tick: the sleep resolution */

/* Current value of clock id in ns; -EINVAL for unknown clocks. */
static int clock_read(int id, s64 *ns)
{
	struct task *t = current();

	switch (id) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
		*ns = clock_realtime_ns();
		return 0;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
		*ns = nsec_since_boot();
		return 0;
	case CLOCK_PROCESS_CPUTIME_ID: {
		struct proc *p = t->proc;
		struct task *q;
		/* The thread list under p->lock: threads leave it as they exit. */
		u64 flags = spin_lock_irqsave(&p->lock);
		s64 sum = p->utime_ns + p->stime_ns;

		list_for_each_entry(q, &p->tasks, proc_link)
			sum += q->utime_ns + q->stime_ns;
		spin_unlock_irqrestore(&p->lock, flags);
		*ns = sum + (nsec_since_boot() - t->last_switch_ns);
		return 0;
	}
	case CLOCK_THREAD_CPUTIME_ID:
		*ns = t->utime_ns + t->stime_ns + (nsec_since_boot() - t->last_switch_ns);
		return 0;
	default:
		return -EINVAL;
	}
}

static struct abi_timespec ns_to_ts(s64 ns)
{
	struct abi_timespec ts = { ns / NSEC_PER_SEC, ns % NSEC_PER_SEC };

	if (ts.tv_nsec < 0) {
		ts.tv_sec--;
		ts.tv_nsec += NSEC_PER_SEC;
	}
	return ts;
}

static bool ts_valid(const struct abi_timespec *ts)
{
	return ts->tv_sec >= 0 && ts->tv_nsec >= 0 && ts->tv_nsec < NSEC_PER_SEC;
}

SYSCALL_DEFINE2(clock_gettime, int, id, struct abi_timespec *, uts)
{
	struct abi_timespec ts;
	s64 ns;
	int err = clock_read(id, &ns);

	if (err)
		return err;
	ts = ns_to_ts(ns);
	return copy_to_user(uts, &ts, sizeof(ts)) ? -EFAULT : 0;
}

SYSCALL_DEFINE2(clock_getres, int, id, struct abi_timespec *, uts)
{
	struct abi_timespec ts = { 0, 1 };
	s64 ns;

	if (clock_read(id, &ns))
		return -EINVAL;
	if (id == CLOCK_REALTIME_COARSE || id == CLOCK_MONOTONIC_COARSE)
		ts.tv_nsec = TICK_NS;
	if (uts && copy_to_user(uts, &ts, sizeof(ts)))
		return -EFAULT;
	return 0;
}

static bool privileged(void)
{
	return current_proc()->euid == 0;
}

SYSCALL_DEFINE2(clock_settime, int, id, const struct abi_timespec *, uts)
{
	struct abi_timespec ts;

	if (copy_from_user(&ts, uts, sizeof(ts)))
		return -EFAULT;
	if (id != CLOCK_REALTIME)
		return -EINVAL;
	if (!ts_valid(&ts))
		return -EINVAL;
	if (!privileged())
		return -EPERM;
	clock_set_realtime_ns(ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec);
	return 0;
}

SYSCALL_DEFINE2(gettimeofday, struct abi_timeval *, utv, void *, utz)
{
	s64 ns = clock_realtime_ns();
	struct abi_timeval tv = { ns / NSEC_PER_SEC, (ns % NSEC_PER_SEC) / 1000 };

	if (utv && copy_to_user(utv, &tv, sizeof(tv)))
		return -EFAULT;
	if (utz && clear_user(utz, 8))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE2(settimeofday, const struct abi_timeval *, utv, const void *, utz)
{
	struct abi_timeval tv;

	if (!utv)
		return 0;
	if (copy_from_user(&tv, utv, sizeof(tv)))
		return -EFAULT;
	if (tv.tv_sec < 0 || tv.tv_usec < 0 || tv.tv_usec >= 1000000)
		return -EINVAL;
	if (!privileged())
		return -EPERM;
	clock_set_realtime_ns(tv.tv_sec * NSEC_PER_SEC + tv.tv_usec * 1000);
	return 0;
}

SYSCALL_DEFINE1(time, s64 *, ut)
{
	s64 t = clock_realtime_ns() / NSEC_PER_SEC;

	if (ut && copy_to_user(ut, &t, sizeof(t)))
		return -EFAULT;
	return t;
}

/* Sleep until clock id reaches deadline; on a signal, report the remainder. */
static long sleep_until(int id, s64 deadline, struct abi_timespec *urem)
{
	for (;;) {
		s64 now, left;
		int err;

		clock_read(id, &now);
		left = deadline - now;
		if (left <= 0)
			return 0;
		err = sleep_ns(left);
		if (err == -EINTR) {
			clock_read(id, &now);
			if (urem) {
				struct abi_timespec rem = ns_to_ts(deadline > now ? deadline - now : 0);

				if (copy_to_user(urem, &rem, sizeof(rem)))
					return -EFAULT;
			}
			return -EINTR;
		}
	}
}

SYSCALL_DEFINE2(nanosleep, const struct abi_timespec *, ureq, struct abi_timespec *, urem)
{
	struct abi_timespec req;
	s64 now;

	if (copy_from_user(&req, ureq, sizeof(req)))
		return -EFAULT;
	if (!ts_valid(&req))
		return -EINVAL;
	clock_read(CLOCK_MONOTONIC, &now);
	return sleep_until(CLOCK_MONOTONIC, now + req.tv_sec * NSEC_PER_SEC + req.tv_nsec, urem);
}

SYSCALL_DEFINE4(clock_nanosleep, int, id, int, flags, const struct abi_timespec *, ureq,
		struct abi_timespec *, urem)
{
	struct abi_timespec req;
	s64 now, deadline;

	if (id == CLOCK_THREAD_CPUTIME_ID)
		return -EINVAL;
	if (clock_read(id, &now))
		return -EINVAL;
	if (copy_from_user(&req, ureq, sizeof(req)))
		return -EFAULT;
	if (!ts_valid(&req))
		return -EINVAL;
	deadline = req.tv_sec * NSEC_PER_SEC + req.tv_nsec;
	if (!(flags & TIMER_ABSTIME))
		deadline += now;
	return sleep_until(id, deadline, (flags & TIMER_ABSTIME) ? NULL : urem);
}

SYSCALL_DEFINE1(times, struct abi_tms *, ubuf)
{
	struct proc *p = current_proc();
	struct task *t;
	struct abi_tms tms;
	u64 flags = spin_lock_irqsave(&p->lock);	/* the thread list: threads leave it at exit */
	s64 u = p->utime_ns, s = p->stime_ns;

	list_for_each_entry(t, &p->tasks, proc_link) {
		u += t->utime_ns;
		s += t->stime_ns;
	}
	spin_unlock_irqrestore(&p->lock, flags);
	tms.utime = u / 10000000;
	tms.stime = s / 10000000;
	tms.cutime = p->cutime_ns / 10000000;
	tms.cstime = p->cstime_ns / 10000000;
	if (ubuf && copy_to_user(ubuf, &tms, sizeof(tms)))
		return -EFAULT;
	return nsec_since_boot() / 10000000;
}

/* Interval timers.  ITIMER_REAL is a kernel timer sending SIGALRM; the
 * virtual and profiling timers are accepted but never fire (documented
 * as partial in docs/syscalls.md). */

static s64 tv_to_ns(const struct abi_timeval *tv)
{
	return tv->tv_sec * NSEC_PER_SEC + tv->tv_usec * 1000;
}

static struct abi_timeval ns_to_tv(u64 ns)
{
	/* Round up so a pending timer never reads as zero. */
	u64 us = (ns + 999) / 1000;

	return (struct abi_timeval){ us / 1000000, us % 1000000 };
}

/* Current ITIMER_REAL of p as an itimerval (reads without disarming). */
static struct abi_itimerval real_timer_value(struct proc *p)
{
	struct abi_itimerval v = { ns_to_tv(p->itimer_real_interval_ns), { 0, 0 } };
	u64 now = nsec_since_boot(), dl = READ_ONCE(p->itimer_real.deadline_ns);

	if (READ_ONCE(p->itimer_real.armed) && dl > now)
		v.value = ns_to_tv(dl - now);
	return v;
}

SYSCALL_DEFINE2(getitimer, int, which, struct abi_itimerval *, uval)
{
	struct abi_itimerval v = { { 0, 0 }, { 0, 0 } };

	if (which == ITIMER_REAL)
		v = real_timer_value(current_proc());
	else if (which != ITIMER_VIRTUAL && which != ITIMER_PROF)
		return -EINVAL;
	return copy_to_user(uval, &v, sizeof(v)) ? -EFAULT : 0;
}

/* Arm (or with value 0 disarm) ITIMER_REAL; returns the old setting in *old. */
static void set_real_timer(struct proc *p, s64 value_ns, s64 interval_ns,
			   struct abi_itimerval *old)
{
	*old = real_timer_value(p);
	ktimer_cancel(&p->itimer_real);
	p->itimer_real_interval_ns = interval_ns;
	if (value_ns > 0)
		ktimer_arm(&p->itimer_real, nsec_since_boot() + value_ns);
}

SYSCALL_DEFINE3(setitimer, int, which, const struct abi_itimerval *, unew,
		struct abi_itimerval *, uold)
{
	struct abi_itimerval nv = { { 0, 0 }, { 0, 0 } }, ov = { { 0, 0 }, { 0, 0 } };

	if (unew && copy_from_user(&nv, unew, sizeof(nv)))
		return -EFAULT;
	if (nv.value.tv_sec < 0 || nv.value.tv_usec < 0 || nv.value.tv_usec >= 1000000 ||
	    nv.interval.tv_sec < 0 || nv.interval.tv_usec < 0 || nv.interval.tv_usec >= 1000000)
		return -EINVAL;
	if (which == ITIMER_REAL)
		set_real_timer(current_proc(), tv_to_ns(&nv.value), tv_to_ns(&nv.interval), &ov);
	else if (which != ITIMER_VIRTUAL && which != ITIMER_PROF)
		return -EINVAL;
	if (uold && copy_to_user(uold, &ov, sizeof(ov)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE1(alarm, unsigned int, seconds)
{
	struct abi_itimerval ov;

	set_real_timer(current_proc(), (s64)seconds * NSEC_PER_SEC, 0, &ov);
	/* Remaining whole seconds, rounded like Linux (at least 1 if pending). */
	return ov.value.tv_sec + (ov.value.tv_usec >= 500000 || (!ov.value.tv_sec && ov.value.tv_usec));
}
