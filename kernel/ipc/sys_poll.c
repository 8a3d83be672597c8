/*
 * poll, ppoll, select, pselect6 and the global readiness wakeup.
 *
 * Model (kern/poll.h): a poller samples poll_events, scans its files'
 * poll hooks, and if nothing is ready sleeps on poll_wq until the
 * counter moves (some file's readiness may have changed), the deadline
 * passes or a signal arrives; then it rescans.  Timeouts are absolute
 * deadlines on the boot clock.  ppoll/pselect6 install the caller's
 * signal mask for the wait and leave the old one in saved_sigmask with
 * restore_sigmask set, so it comes back on the way to user space after
 * any handler ran (as rt_sigsuspend does).  An interrupted call returns
 * EINTR (Linux's ERESTARTNOHAND, seen from user space).
 */
#include <kern/syscall.h>
#include <kern/poll.h>
#include <kern/proc.h>
#include <kern/sched.h>
#include <kern/signal.h>
#include <kern/vfs.h>
#include <kern/wait.h>
#include <kern/time.h>
#include <kern/clock.h>
#include <kern/uaccess.h>
#include <kern/kmalloc.h>
#include <kern/string.h>
#include <kern/errno.h>
#include <abi/poll.h>

#define FAR_FUTURE_NS	(1ll << 62)	/* timeouts longer than this are forever-ish */

static struct wait_queue poll_wq = {
	.lock = SPINLOCK_INITIALIZER("poll"),
	.waiters = LIST_HEAD_INIT(poll_wq.waiters),
};
static u64 poll_events;		/* atomic */

/*
 * Always through wake_up, which takes poll_wq.lock: a poller checks the
 * counter and queues itself in one section under that lock, so an unlocked
 * "any waiters?" test here could run between the two, see none and lose
 * the wakeup (a shell blocked in poll with its input already queued).
 */
void poll_wake(void)
{
	__atomic_fetch_add(&poll_events, 1, __ATOMIC_SEQ_CST);
	wake_up(&poll_wq);
}

u32 file_poll(struct file *f)
{
	u32 m = f->fops && f->fops->poll ? f->fops->poll(f) : POLLIN | POLLOUT;

	if (m & POLLIN)
		m |= POLLRDNORM;
	if (m & POLLOUT)
		m |= POLLWRNORM;
	return m;
}

u64 poll_seq(void)
{
	return __atomic_load_n(&poll_events, __ATOMIC_SEQ_CST);
}

static bool poll_moved(void *arg)
{
	return __atomic_load_n(&poll_events, __ATOMIC_SEQ_CST) != *(u64 *)arg;
}

int poll_sleep(u64 seq, u64 deadline)
{
	return wait_event(&poll_wq, poll_moved, &seq, deadline);
}

long poll_read_u64(void *buf, size_t n, bool nonblock, bool (*take)(void *arg, u64 *val),
		   void *arg)
{
	u64 val;

	if (n < sizeof(val))
		return -EINVAL;
	for (;;) {
		u64 seq = poll_seq();

		if (take(arg, &val))
			break;
		if (nonblock)
			return -EAGAIN;
		if (poll_sleep(seq, 0))
			return -ERESTARTSYS;
	}
	memcpy(buf, &val, sizeof(val));
	return sizeof(val);
}

/* Scan pfd[0..n): fill revents, return how many are nonzero. */
static int poll_scan(struct abi_pollfd *pfd, unsigned int n)
{
	int ready = 0;

	for (unsigned int i = 0; i < n; i++) {
		struct file *f;
		u32 m;

		pfd[i].revents = 0;
		if (pfd[i].fd < 0)
			continue;
		f = fd_file(pfd[i].fd);
		if (!f) {
			m = POLLNVAL;
		} else {
			m = file_poll(f) & ((u16)pfd[i].events | POLLERR | POLLHUP);
			file_put(f);
		}
		pfd[i].revents = (s16)m;
		if (m)
			ready++;
	}
	return ready;
}

/* poll core: deadline 0 = forever, POLL_ONCE = don't wait. */
static long do_poll(struct abi_pollfd *upfd, unsigned int n, u64 deadline)
{
	struct abi_pollfd *pfd;
	long r;

	if (n > (unsigned int)current_proc()->fdt->max)
		return -EINVAL;
	pfd = kmalloc(n ? n * sizeof(*pfd) : 1, MEM_WAIT);
	if (!pfd)
		return -ENOMEM;
	if (copy_from_user(pfd, upfd, n * sizeof(*pfd))) {
		r = -EFAULT;
		goto out;
	}
	for (;;) {
		u64 seq = __atomic_load_n(&poll_events, __ATOMIC_SEQ_CST);
		int err;

		r = poll_scan(pfd, n);
		if (r || deadline == POLL_ONCE)
			break;
		err = poll_sleep(seq, deadline);
		if (err == -EINTR) {
			r = -EINTR;
			goto out;
		}
		if (err == -ETIMEDOUT) {
			r = poll_scan(pfd, n);
			break;
		}
	}
	for (unsigned int i = 0; i < n; i++) {
		if (copy_to_user(&upfd[i].revents, &pfd[i].revents, sizeof(pfd[i].revents))) {
			r = -EFAULT;
			break;
		}
	}
out:
	kfree(pfd);
	return r;
}

u64 poll_deadline_after(s64 ns)
{
	if (ns < 0)
		return 0;
	if (ns == 0)
		return POLL_ONCE;
	return nsec_since_boot() + (u64)ns;
}

SYSCALL_DEFINE3(poll, struct abi_pollfd *, pfd, unsigned int, n, int, timeout_ms)
{
	s64 ns = timeout_ms < 0 ? -1 : (s64)timeout_ms * 1000000;

	return do_poll(pfd, n, poll_deadline_after(ns));
}

int poll_get_timespec_ns(const struct abi_timespec *uts, s64 *ns)
{
	struct abi_timespec ts;

	if (!uts) {
		*ns = -1;
		return 0;
	}
	if (copy_from_user(&ts, uts, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
		return -EINVAL;
	*ns = ts.tv_sec > 1000000000000l ? FAR_FUTURE_NS : ts.tv_sec * 1000000000 + ts.tv_nsec;
	return 0;
}

int poll_set_temp_sigmask(const u64 *uset, size_t size)
{
	struct task *t = current();
	u64 set;

	if (!uset)
		return 0;
	if (size != 8)
		return -EINVAL;
	if (copy_from_user(&set, uset, sizeof(set)))
		return -EFAULT;
	t->saved_sigmask = t->sigmask;
	t->restore_sigmask = true;
	t->sigmask = set & ~SIG_UNBLOCKABLE;
	return 0;
}

/*
 * Write the time left until deadline back to a user timespec/timeval.
 * Like Linux, a fault here is ignored (the call already succeeded).
 */
static void put_remaining(void *uts, u64 deadline, bool timeval)
{
	u64 now = nsec_since_boot(), left = deadline > now ? deadline - now : 0;

	if (deadline == POLL_ONCE)
		left = 0;
	if (timeval) {
		struct abi_timeval tv = { (s64)(left / 1000000000), (s64)(left % 1000000000 / 1000) };

		if (copy_to_user(uts, &tv, sizeof(tv)))
			return;
	} else {
		struct abi_timespec ts = { (s64)(left / 1000000000), (s64)(left % 1000000000) };

		if (copy_to_user(uts, &ts, sizeof(ts)))
			return;
	}
}

SYSCALL_DEFINE5(ppoll, struct abi_pollfd *, pfd, unsigned int, n, struct abi_timespec *, uts,
		const u64 *, uset, size_t, setsize)
{
	u64 deadline;
	s64 ns;
	long r;
	int err = poll_get_timespec_ns(uts, &ns);

	if (err)
		return err;
	deadline = poll_deadline_after(ns);
	err = poll_set_temp_sigmask(uset, setsize);
	if (err)
		return err;
	r = do_poll(pfd, n, deadline);
	if (uts && ns > 0)
		put_remaining(uts, deadline, false);
	return r;
}

/* select over kernel copies of the three sets (NULL = absent); count or -errno. */
static long do_select(int nfds, u64 *in, u64 *out, u64 *ex, u64 deadline)
{
	size_t words = ((size_t)nfds + 63) / 64;
	u64 *res = kzmalloc(3 * words * sizeof(u64) + 1, MEM_WAIT);
	u64 *sets[3] = { in, out, ex };
	static const u32 want[3] = {
		POLLIN | POLLRDNORM | POLLHUP | POLLERR,
		POLLOUT | POLLWRNORM | POLLERR,
		POLLPRI,
	};
	long r = 0;

	if (!res)
		return -ENOMEM;
	/* Any bad descriptor in any set is EBADF, before waiting. */
	for (int fd = 0; fd < nfds; fd++) {
		u64 bit = 1ull << (fd % 64);
		struct file *f;

		if (!(((in ? in[fd / 64] : 0) | (out ? out[fd / 64] : 0) |
		       (ex ? ex[fd / 64] : 0)) & bit))
			continue;
		f = fd_file(fd);
		if (!f) {
			r = -EBADF;
			goto out;
		}
		file_put(f);
	}
	for (;;) {
		u64 seq = __atomic_load_n(&poll_events, __ATOMIC_SEQ_CST);
		int err;

		memset(res, 0, 3 * words * sizeof(u64));
		r = 0;
		for (int fd = 0; fd < nfds; fd++) {
			u64 bit = 1ull << (fd % 64);
			struct file *f;
			u32 m;

			if (!(((in ? in[fd / 64] : 0) | (out ? out[fd / 64] : 0) |
			       (ex ? ex[fd / 64] : 0)) & bit))
				continue;
			f = fd_file(fd);
			if (!f) {
				r = -EBADF;
				goto out;
			}
			m = file_poll(f);
			file_put(f);
			for (int k = 0; k < 3; k++) {
				if (sets[k] && (sets[k][fd / 64] & bit) && (m & want[k])) {
					res[k * words + fd / 64] |= bit;
					r++;
				}
			}
		}
		if (r || deadline == POLL_ONCE)
			break;
		err = poll_sleep(seq, deadline);
		if (err == -EINTR) {
			r = -EINTR;
			goto out;
		}
		if (err == -ETIMEDOUT)
			deadline = POLL_ONCE;	/* one last scan */
	}
	for (int k = 0; k < 3; k++) {
		if (sets[k])
			memcpy(sets[k], res + k * words, words * sizeof(u64));
	}
out:
	kfree(res);
	return r;
}

/* select/pselect6 core: user sets in and out, deadline as for do_poll. */
static long select_user(int nfds, u64 *uin, u64 *uout, u64 *uex, u64 deadline)
{
	u64 *usets[3] = { uin, uout, uex }, *k[3] = { NULL, NULL, NULL };
	size_t bytes;
	long r;

	if (nfds < 0)
		return -EINVAL;
	/* Like Linux, descriptors past the current table size are not looked at. */
	if (nfds > __atomic_load_n(&current_proc()->fdt->size, __ATOMIC_RELAXED))
		nfds = __atomic_load_n(&current_proc()->fdt->size, __ATOMIC_RELAXED);
	bytes = ((size_t)nfds + 63) / 64 * sizeof(u64);
	for (int i = 0; i < 3; i++) {
		if (!usets[i])
			continue;
		k[i] = kmalloc(bytes + 1, MEM_WAIT);
		if (!k[i]) {
			r = -ENOMEM;
			goto out;
		}
		/* Copy whole words: bits above nfds are ignored by the scan. */
		if (copy_from_user(k[i], usets[i], ((size_t)nfds + 7) / 8)) {
			r = -EFAULT;
			goto out;
		}
		if (nfds % 64)
			k[i][nfds / 64] &= (1ull << (nfds % 64)) - 1;
	}
	r = do_select(nfds, k[0], k[1], k[2], deadline);
	for (int i = 0; r >= 0 && i < 3; i++) {
		if (k[i] && copy_to_user(usets[i], k[i], ((size_t)nfds + 7) / 8))
			r = -EFAULT;
	}
out:
	for (int i = 0; i < 3; i++)
		kfree(k[i]);
	return r;
}

SYSCALL_DEFINE5(select, int, nfds, u64 *, in, u64 *, out, u64 *, ex,
		struct abi_timeval *, utv)
{
	struct abi_timeval tv;
	s64 ns = -1;
	u64 deadline;
	long r;

	if (utv) {
		if (copy_from_user(&tv, utv, sizeof(tv)))
			return -EFAULT;
		if (tv.tv_sec < 0 || tv.tv_usec < 0)
			return -EINVAL;
		/* Linux normalises tv_usec >= 1000000 into seconds. */
		ns = tv.tv_sec > 1000000000000l ? FAR_FUTURE_NS
			: tv.tv_sec * 1000000000 + tv.tv_usec * 1000;
	}
	deadline = poll_deadline_after(ns);
	r = select_user(nfds, in, out, ex, deadline);
	if (utv)
		put_remaining(utv, deadline, true);
	return r;
}

SYSCALL_DEFINE6(pselect6, int, nfds, u64 *, in, u64 *, out, u64 *, ex,
		struct abi_timespec *, uts, const struct abi_sigset_arg *, usig)
{
	struct abi_sigset_arg sa = { 0, 0 };
	u64 deadline;
	s64 ns;
	long r;
	int err = poll_get_timespec_ns(uts, &ns);

	if (err)
		return err;
	deadline = poll_deadline_after(ns);
	if (usig && copy_from_user(&sa, usig, sizeof(sa)))
		return -EFAULT;
	err = poll_set_temp_sigmask((const u64 *)sa.set, sa.size);
	if (err)
		return err;
	r = select_user(nfds, in, out, ex, deadline);
	if (uts)
		put_remaining(uts, deadline, false);
	return r;
}
