/*
 * epoll: an interest list of (descriptor, open file) pairs whose
 * readiness epoll_wait reports (Linux semantics, level-triggered by
 * default).
 *
 * Model: an eventpoll hangs off an anonymous file "anon_inode:[eventpoll]".
 * Each registration is a struct epitem naming the file by pointer (no
 * reference, as in Linux: closing the last descriptor of a file still
 * closes it) and the fd it was added under.  Every file keeps a chain of
 * its epitems (file->ep_items); when its last reference goes, file_put
 * calls eventpoll_release(), which removes them from their interest
 * lists, so a registration lives exactly as long as the open file
 * description.  There is no ready list: epoll_wait scans every item
 * through the files' poll hooks and, when none is ready, sleeps on the
 * global poll wait queue like poll() (kern/poll.h), rescanning after
 * every poll_wake().
 *
 * A scan takes a snapshot of the items under epoll_lock (a reference on
 * each item and, if it is still alive, on its file), calls the poll hooks
 * unlocked (a nested epoll scans its own items), then re-takes the lock
 * to report and update the items still registered.  Reported
 * level-triggered items move to the end of the list, so a small
 * maxevents cannot starve the others.  EPOLLONESHOT clears an item's
 * events after one report, until EPOLL_CTL_MOD.  EPOLLET reports a ready
 * item again only after a poll_wake() (some readiness change, anywhere)
 * following its last report: an edge is never missed, but a change of
 * another file or a partial read of this one can cause an extra report,
 * where Linux reports only new activity on the file itself.
 * EPOLLEXCLUSIVE is checked as on Linux and otherwise has no effect
 * (every waiter wakes); EPOLLWAKEUP is ignored.
 *
 * Locking: epoll_lock (global) protects every interest list, every
 * epitem and every file's ep_items chain; it is never held across a
 * poll hook or a sleep.
 */
#include <kern/syscall.h>
#include <kern/poll.h>
#include <kern/proc.h>
#include <kern/vfs.h>
#include <kern/list.h>
#include <kern/kmalloc.h>
#include <kern/string.h>
#include <kern/errno.h>
#include <kern/uaccess.h>
#include <abi/epoll.h>

#define EP_PRIVATE_BITS	(EPOLLWAKEUP | EPOLLONESHOT | EPOLLET | EPOLLEXCLUSIVE)
#define EPOLLEXCLUSIVE_OK_BITS	(POLLIN | POLLOUT | POLLERR | POLLHUP | EPOLLWAKEUP | \
				 EPOLLET | EPOLLEXCLUSIVE)
#define EP_MAX_NESTS	4		/* epoll instances below the one being added to */
#define EP_MAX_EVENTS	(0x7fffffff / 12)
#define EP_CHUNK	256		/* events reported by one epoll_wait at most */

struct eventpoll {
	struct list_head items;		/* struct epitem.link; epoll_lock */
	int nitems;			/* epoll_lock */
};

/* One registration; every field is under epoll_lock. */
struct epitem {
	struct list_head link;		/* in ep->items */
	struct eventpoll *ep;
	struct file *file;		/* not referenced: eventpoll_release unlinks us first */
	struct epitem *file_next;	/* chain from file->ep_items */
	int fd;
	u32 events;			/* requested, with POLLERR | POLLHUP; ONESHOT fired: 0 */
	u64 data;
	u64 reported_seq;		/* EPOLLET: poll_seq() before the scan that reported it */
	bool reported;			/* EPOLLET: reported since ADD/MOD */
	bool dead;			/* unregistered; freed with the last reference */
	int refcnt;			/* the interest list + scans in progress */
};

static struct spinlock epoll_lock = SPINLOCK_INITIALIZER("epoll");

static const struct file_ops eventpoll_file_ops;

/* True if f is an epoll instance. */
static bool file_is_epoll(const struct file *f)
{
	return file_is_anon(f, &eventpoll_file_ops);
}

/* Drop a reference on it, freeing it with the last; epoll_lock held. */
static void __epi_put(struct epitem *it)
{
	if (!--it->refcnt)
		kfree(it);
}

/* Remove it from its interest list and its file's chain; epoll_lock held. */
static void __epi_unlink(struct epitem *it)
{
	struct epitem **pp = &it->file->ep_items;

	while (*pp && *pp != it)
		pp = &(*pp)->file_next;
	if (*pp)
		*pp = it->file_next;
	list_del_init(&it->link);
	it->ep->nitems--;
	it->dead = true;
	__epi_put(it);
}

void eventpoll_release(struct file *f)
{
	spin_lock(&epoll_lock);
	while (f->ep_items)
		__epi_unlink(f->ep_items);
	spin_unlock(&epoll_lock);
}

/* A new reference on f unless its last one is already gone; false then. */
static bool file_tryget(struct file *f)
{
	int r = __atomic_load_n(&f->refcnt, __ATOMIC_RELAXED);

	while (r > 0) {
		if (__atomic_compare_exchange_n(&f->refcnt, &r, r + 1, false, __ATOMIC_ACQ_REL,
						__ATOMIC_RELAXED))
			return true;
	}
	return false;
}

/*
 * Snapshot of ep's enabled items whose files are still open, each with a
 * reference on the item and its file: a kmalloc'd array (*n entries), or
 * NULL (*n = 0) if there are none or memory ran out.
 */
static struct epitem **ep_snapshot(struct eventpoll *ep, int *n)
{
	struct epitem **snap = NULL, *it;
	int cap = 0;

	*n = 0;
	for (;;) {
		spin_lock(&epoll_lock);
		if (ep->nitems <= cap)
			break;
		cap = ep->nitems;
		spin_unlock(&epoll_lock);
		kfree(snap);
		snap = kmalloc((size_t)cap * sizeof(*snap), MEM_WAIT);
		if (!snap)
			return NULL;
	}
	list_for_each_entry(it, &ep->items, link) {
		if (*n == cap)
			break;
		if (!(it->events & ~EP_PRIVATE_BITS) || !file_tryget(it->file))
			continue;
		it->refcnt++;
		snap[(*n)++] = it;
	}
	spin_unlock(&epoll_lock);
	return snap;
}

/* Would an item with readiness mask be reported by a scan that sampled seq? epoll_lock held. */
static u32 __epi_revents(const struct epitem *it, u32 mask, u64 seq)
{
	u32 rev = mask & it->events & ~EP_PRIVATE_BITS;

	if (it->dead || !rev)
		return 0;
	if ((it->events & EPOLLET) && it->reported && it->reported_seq == seq)
		return 0;
	return rev;
}

/*
 * Scan ep's items (poll_seq() was seq before the scan).  With out, report
 * up to max ready items there and update them (ONESHOT, ET, rotation);
 * without, only count whether any is ready.  Returns the number found.
 */
static int ep_scan(struct eventpoll *ep, struct abi_epoll_event *out, int max, u64 seq)
{
	int n, found = 0;
	struct epitem **snap = ep_snapshot(ep, &n);
	u32 *masks = n ? kmalloc((size_t)n * sizeof(*masks), MEM_WAIT) : NULL;

	for (int i = 0; i < n; i++) {
		if (masks)
			masks[i] = file_poll(snap[i]->file);
		file_put(snap[i]->file);
	}
	spin_lock(&epoll_lock);
	for (int i = 0; i < n; i++) {
		struct epitem *it = snap[i];
		u32 rev = masks && found < max ? __epi_revents(it, masks[i], seq) : 0;

		if (rev && out) {
			out[found].events = rev;
			out[found].data = it->data;
			if (it->events & EPOLLONESHOT)
				it->events &= EP_PRIVATE_BITS;
			if (it->events & EPOLLET) {
				it->reported = true;
				it->reported_seq = seq;
			} else {
				list_del_init(&it->link);
				list_add_tail(&it->link, &ep->items);
			}
		}
		if (rev)
			found++;
		__epi_put(it);
	}
	spin_unlock(&epoll_lock);
	kfree(masks);
	kfree(snap);
	return found;
}

/* Is tgt (an epoll being added to into) or anything below it into, or too deep? epoll_lock held. */
static bool __ep_loop(struct eventpoll *into, struct eventpoll *tgt, int depth)
{
	struct epitem *it;

	if (tgt == into || depth > EP_MAX_NESTS)
		return true;
	list_for_each_entry(it, &tgt->items, link) {
		if (file_is_epoll(it->file) && __ep_loop(into, it->file->priv, depth + 1))
			return true;
	}
	return false;
}

/* The registration of (f, fd) in ep, or NULL; epoll_lock held. */
static struct epitem *__ep_find(struct eventpoll *ep, struct file *f, int fd)
{
	struct epitem *it;

	list_for_each_entry(it, &ep->items, link) {
		if (it->file == f && it->fd == fd)
			return it;
	}
	return NULL;
}

/* Last close of an epoll file: drop every registration, free the instance. */
static void eventpoll_release_file(struct file *f)
{
	struct eventpoll *ep = f->priv;

	spin_lock(&epoll_lock);
	while (!list_empty(&ep->items))
		__epi_unlink(list_first_entry(&ep->items, struct epitem, link));
	spin_unlock(&epoll_lock);
	kfree(ep);
}

/* POLLIN while some item would be reported (nested epoll, poll on an epoll fd). */
static u32 eventpoll_poll(struct file *f)
{
	return ep_scan(f->priv, NULL, 1, poll_seq()) ? POLLIN : 0;
}

static const struct file_ops eventpoll_file_ops = {
	.release = eventpoll_release_file,
	.poll = eventpoll_poll,
	.nonseekable = true,
};

/* epoll_create1 core: fd of a new epoll instance, or -errno. */
static long do_epoll_create(int flags)
{
	struct eventpoll *ep;
	struct file *f;
	int err, fd;

	if (flags & ~EPOLL_CLOEXEC)
		return -EINVAL;
	ep = kzmalloc(sizeof(*ep), MEM_WAIT);
	if (!ep)
		return -ENOMEM;
	INIT_LIST_HEAD(&ep->items);
	err = anon_file_open("eventpoll", &eventpoll_file_ops, ep, 0, &f);
	if (err) {
		kfree(ep);
		return err;
	}
	fd = fdt_install(current_proc()->fdt, f, 0, flags & EPOLL_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}

SYSCALL_DEFINE1(epoll_create1, int, flags)
{
	return do_epoll_create(flags);
}

SYSCALL_DEFINE1(epoll_create, int, size)
{
	return size <= 0 ? -EINVAL : do_epoll_create(0);
}

/* ADD/MOD/DEL of (tf, fd) in ep with event ev, arguments checked; 0 or -errno.  Takes fresh. */
static long ep_ctl_op(struct eventpoll *ep, int op, struct file *tf, int fd,
		      const struct abi_epoll_event *ev, struct epitem *fresh)
{
	struct epitem *it;
	long err = 0;

	spin_lock(&epoll_lock);
	if (op == EPOLL_CTL_ADD && file_is_epoll(tf) && __ep_loop(ep, tf->priv, 1)) {
		err = -ELOOP;
		goto out_unlock;
	}
	it = __ep_find(ep, tf, fd);
	if (op == EPOLL_CTL_ADD) {
		if (it) {
			err = -EEXIST;
			goto out_unlock;
		}
		fresh->ep = ep;
		fresh->file = tf;
		fresh->fd = fd;
		fresh->events = ev->events | POLLERR | POLLHUP;
		fresh->data = ev->data;
		fresh->refcnt = 1;
		fresh->file_next = tf->ep_items;
		tf->ep_items = fresh;
		list_add_tail(&fresh->link, &ep->items);
		ep->nitems++;
		fresh = NULL;
	} else if (!it) {
		err = -ENOENT;
	} else if (op == EPOLL_CTL_DEL) {
		__epi_unlink(it);
	} else if (it->events & EPOLLEXCLUSIVE) {
		err = -EINVAL;
	} else {
		it->events = ev->events | POLLERR | POLLHUP;
		it->data = ev->data;
		it->reported = false;
	}
out_unlock:
	spin_unlock(&epoll_lock);
	kfree(fresh);
	if (!err)
		poll_wake();	/* waiters on ep (or on an epoll holding it) rescan */
	return err;
}

SYSCALL_DEFINE4(epoll_ctl, int, epfd, int, op, int, fd, const struct abi_epoll_event *, uev)
{
	struct abi_epoll_event ev = { 0, 0 };
	struct epitem *fresh = NULL;
	struct file *f, *tf;
	long err;

	if (op != EPOLL_CTL_DEL && copy_from_user(&ev, uev, sizeof(ev)))
		return -EFAULT;
	f = fd_file(epfd);
	if (!f)
		return -EBADF;
	tf = fd_file(fd);
	err = -EBADF;
	if (!tf)
		goto out_f;
	/* Files without a poll hook (regular files, directories) cannot be watched. */
	err = -EPERM;
	if (!tf->fops || !tf->fops->poll)
		goto out_tf;
	err = -EINVAL;
	if (f == tf || !file_is_epoll(f))
		goto out_tf;
	if (op != EPOLL_CTL_DEL && (ev.events & EPOLLEXCLUSIVE)) {
		if (op == EPOLL_CTL_MOD)
			goto out_tf;
		if (op == EPOLL_CTL_ADD &&
		    (file_is_epoll(tf) || (ev.events & ~EPOLLEXCLUSIVE_OK_BITS)))
			goto out_tf;
	}
	if (op != EPOLL_CTL_ADD && op != EPOLL_CTL_DEL && op != EPOLL_CTL_MOD)
		goto out_tf;
	if (op == EPOLL_CTL_ADD) {
		err = -ENOMEM;
		fresh = kzmalloc(sizeof(*fresh), MEM_WAIT);
		if (!fresh)
			goto out_tf;
		INIT_LIST_HEAD(&fresh->link);
	}
	err = ep_ctl_op(f->priv, op, tf, fd, &ev, fresh);
out_tf:
	if (tf)
		file_put(tf);
out_f:
	file_put(f);
	return err;
}

/* epoll_wait core: up to maxevents events into uev by deadline (as poll); count or -errno. */
static long do_epoll_wait(int epfd, struct abi_epoll_event *uev, int maxevents, u64 deadline)
{
	struct abi_epoll_event *kev;
	struct file *f;
	int max;
	long r;

	if (maxevents <= 0 || maxevents > EP_MAX_EVENTS)
		return -EINVAL;
	if (!user_range_ok((uintptr_t)uev, (size_t)maxevents * sizeof(*uev)))
		return -EFAULT;
	f = fd_file(epfd);
	if (!f)
		return -EBADF;
	r = -EINVAL;
	if (!file_is_epoll(f))
		goto out_f;
	max = MIN(maxevents, EP_CHUNK);
	r = -ENOMEM;
	kev = kmalloc((size_t)max * sizeof(*kev), MEM_WAIT);
	if (!kev)
		goto out_f;
	for (;;) {
		u64 seq = poll_seq();
		int err;

		r = ep_scan(f->priv, kev, max, seq);
		if (r || deadline == POLL_ONCE)
			break;
		err = poll_sleep(seq, deadline);
		if (err == -EINTR) {
			r = -EINTR;
			break;
		}
		if (err == -ETIMEDOUT)
			deadline = POLL_ONCE;	/* one last scan */
	}
	if (r > 0 && copy_to_user(uev, kev, (size_t)r * sizeof(*kev)))
		r = -EFAULT;
	kfree(kev);
out_f:
	file_put(f);
	return r;
}

SYSCALL_DEFINE4(epoll_wait, int, epfd, struct abi_epoll_event *, uev, int, maxevents,
		int, timeout_ms)
{
	s64 ns = timeout_ms < 0 ? -1 : (s64)timeout_ms * 1000000;

	return do_epoll_wait(epfd, uev, maxevents, poll_deadline_after(ns));
}

SYSCALL_DEFINE6(epoll_pwait, int, epfd, struct abi_epoll_event *, uev, int, maxevents,
		int, timeout_ms, const u64 *, uset, size_t, setsize)
{
	s64 ns = timeout_ms < 0 ? -1 : (s64)timeout_ms * 1000000;
	u64 deadline = poll_deadline_after(ns);
	int err = poll_set_temp_sigmask(uset, setsize);

	if (err)
		return err;
	return do_epoll_wait(epfd, uev, maxevents, deadline);
}

SYSCALL_DEFINE6(epoll_pwait2, int, epfd, struct abi_epoll_event *, uev, int, maxevents,
		const struct abi_timespec *, uts, const u64 *, uset, size_t, setsize)
{
	s64 ns;
	int err = poll_get_timespec_ns(uts, &ns);

	if (err)
		return err;
	err = poll_set_temp_sigmask(uset, setsize);
	if (err)
		return err;
	return do_epoll_wait(epfd, uev, maxevents, poll_deadline_after(ns));
}
