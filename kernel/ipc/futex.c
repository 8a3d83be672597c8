/*
 * Futexes: user-space words the kernel can sleep on.
 *
 * A waiter is a struct futex_q on the caller's kernel stack, queued in
 * one of FUTEX_HASH buckets chosen by its key.  The key names the word
 * independently of the address it is reached through: (mm, uaddr) for a
 * word in a private mapping (every thread of a process shares the mm),
 * (physical address of the word, 0) for a word in a shared mapping, so
 * processes mapping the same page at different addresses meet.  The key
 * depends only on the mapping, not on FUTEX_PRIVATE_FLAG, which is
 * therefore just a hint (as it is on Linux for anonymous memory).
 *
 * FUTEX_WAIT reads the word under the bucket lock and queues itself only
 * if the word still holds the expected value; a waker changes the word
 * first and then takes the same lock, so no wakeup is lost.  Each
 * futex_q carries its own wait queue: the waker sets q->woken and wakes
 * that queue while holding the bucket lock, and the sleeper re-takes its
 * bucket lock before returning, so q is never used after it is gone.
 * REQUEUE moves waiters between buckets with both bucket locks held
 * (lower address first) and updates q->bucket.
 *
 * Lock order: bucket lock(s), then mm->lock (reading the word), then the
 * futex_q's wait queue lock, then the run queue lock.
 *
 * Also here: robust futex lists (set_robust_list/get_robust_list and the
 * walk at thread exit) and the CLONE_CHILD_CLEARTID wakeup.
 */
#include <kern/syscall.h>
#include <kern/proc.h>
#include <kern/sched.h>
#include <kern/uvm.h>
#include <kern/wait.h>
#include <kern/time.h>
#include <kern/clock.h>
#include <kern/uaccess.h>
#include <kern/errno.h>
#include <kern/futex.h>
#include <abi/stat.h>
#include <abi/futex.h>

#define FUTEX_CMD_MASK		(~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME))

#define FUTEX_HASH		256

struct futex_key {
	uintptr_t a;		/* mm pointer (private) or physical address (shared) */
	uintptr_t b;		/* user address (private) or 0 (shared) */
};

struct futex_bucket {
	struct spinlock lock;
	struct list_head queue;	/* struct futex_q.link, under lock */
};

struct futex_q {
	struct futex_key key;		/* under bucket lock (requeue changes it) */
	u32 bitset;
	struct futex_bucket *bucket;	/* changes only with both bucket locks held */
	struct list_head link;
	bool woken;			/* set under the bucket lock */
	struct wait_queue wq;		/* the sleeper's own queue */
};

static struct futex_bucket buckets[FUTEX_HASH];
static bool buckets_ready;
static struct spinlock init_lock = SPINLOCK_INITIALIZER("futex_init");

static void buckets_init(void)
{
	u64 flags;

	if (__atomic_load_n(&buckets_ready, __ATOMIC_ACQUIRE))
		return;
	flags = spin_lock_irqsave(&init_lock);
	if (!buckets_ready) {
		for (int i = 0; i < FUTEX_HASH; i++) {
			spinlock_init(&buckets[i].lock, "futex");
			INIT_LIST_HEAD(&buckets[i].queue);
		}
		__atomic_store_n(&buckets_ready, true, __ATOMIC_RELEASE);
	}
	spin_unlock_irqrestore(&init_lock, flags);
}

static struct futex_bucket *key_bucket(const struct futex_key *k)
{
	u64 h = (k->a ^ (k->b * 0x9e3779b97f4a7c15ull)) * 0xff51afd7ed558ccdull;

	return &buckets[(h >> 40) % FUTEX_HASH];
}

static bool key_eq(const struct futex_key *x, const struct futex_key *y)
{
	return x->a == y->a && x->b == y->b;
}

static u32 word_read(volatile u32 *w, void *arg)
{
	(void)arg;
	return __atomic_load_n(w, __ATOMIC_SEQ_CST);
}

/* Key for uaddr in mm and its current value; 0 or -EFAULT/-EINVAL. */
static int futex_key_of(struct mm *mm, uintptr_t uaddr, struct futex_key *k, u32 *val)
{
	physaddr_t pa = 0;
	u32 v;
	int err;

	if (uaddr & 3)
		return -EINVAL;
	err = uvm_user_word(mm, uaddr, false, word_read, NULL, &v, &pa);
	if (err)
		return -EFAULT;
	if (pa) {
		k->a = pa;
		k->b = 0;
	} else {
		k->a = (uintptr_t)mm;
		k->b = uaddr;
	}
	if (val)
		*val = v;
	return 0;
}

/* Wake q (bucket lock held): unqueue, mark, wake its sleeper. */
static void futex_wake_q(struct futex_q *q)
{
	list_del_init(&q->link);
	WRITE_ONCE(q->woken, true);
	wake_up(&q->wq);
}

static bool q_woken(void *arg)
{
	return READ_ONCE(((struct futex_q *)arg)->woken);
}

/* Lock the bucket q is queued in, following requeues. */
static struct futex_bucket *lock_q_bucket(struct futex_q *q, u64 *flags)
{
	for (;;) {
		struct futex_bucket *b = READ_ONCE(q->bucket);

		*flags = spin_lock_irqsave(&b->lock);
		if (READ_ONCE(q->bucket) == b)
			return b;
		spin_unlock_irqrestore(&b->lock, *flags);
	}
}

/* Sleep while *uaddr == val; 0 when woken, -EAGAIN, -ETIMEDOUT, -ERESTARTSYS/-EINTR. */
static long futex_wait(uintptr_t uaddr, u32 val, u32 bitset, u64 deadline_ns, bool restartable)
{
	struct mm *mm = current_proc()->mm;
	struct futex_q q = { .bitset = bitset };
	struct futex_bucket *b;
	u32 cur;
	u64 flags;
	int err;

	if (!bitset)
		return -EINVAL;
	err = futex_key_of(mm, uaddr, &q.key, NULL);
	if (err)
		return err;
	wait_queue_init(&q.wq, "futex_q");
	INIT_LIST_HEAD(&q.link);
	b = key_bucket(&q.key);
	flags = spin_lock_irqsave(&b->lock);
	/* Re-read under the bucket lock: a waker changes the word before locking. */
	{
		physaddr_t pa;

		err = uvm_user_word(mm, uaddr, false, word_read, NULL, &cur, &pa);
	}
	if (err || cur != val) {
		spin_unlock_irqrestore(&b->lock, flags);
		return err ? -EFAULT : -EAGAIN;
	}
	q.bucket = b;
	list_add_tail(&q.link, &b->queue);
	spin_unlock_irqrestore(&b->lock, flags);

	err = wait_event(&q.wq, q_woken, &q, deadline_ns);

	b = lock_q_bucket(&q, &flags);
	if (q.woken)
		err = 0;
	else
		list_del_init(&q.link);
	spin_unlock_irqrestore(&b->lock, flags);
	if (err == -EINTR)
		return restartable ? -ERESTARTSYS : -EINTR;
	return err;
}

/* Wake up to n waiters on key k whose bitset meets bitset (bucket lock held); the count. */
static int wake_key(struct futex_bucket *b, const struct futex_key *k, int n, u32 bitset)
{
	struct futex_q *q, *tmp;
	int woken = 0;

	list_for_each_entry_safe(q, tmp, &b->queue, link) {
		if (woken >= n)
			break;
		if (!key_eq(&q->key, k) || !(q->bitset & bitset))
			continue;
		futex_wake_q(q);
		woken++;
	}
	return woken;
}

/* Wake up to n waiters on uaddr of mm; the number woken or -errno. */
long futex_wake_mm(struct mm *mm, uintptr_t uaddr, int n, u32 bitset)
{
	struct futex_key k;
	struct futex_bucket *b;
	u64 flags;
	int err, woken;

	if (!bitset)
		return -EINVAL;
	buckets_init();
	err = futex_key_of(mm, uaddr, &k, NULL);
	if (err)
		return err;
	b = key_bucket(&k);
	flags = spin_lock_irqsave(&b->lock);
	woken = wake_key(b, &k, n, bitset);
	spin_unlock_irqrestore(&b->lock, flags);
	return woken;
}

/* Lock two buckets in address order; returns the flags of the first. */
static u64 lock_two(struct futex_bucket *x, struct futex_bucket *y)
{
	u64 flags;

	if (x == y)
		return spin_lock_irqsave(&x->lock);
	if (x > y) {
		struct futex_bucket *t = x;

		x = y;
		y = t;
	}
	flags = spin_lock_irqsave(&x->lock);
	spin_lock(&y->lock);
	return flags;
}

static void unlock_two(struct futex_bucket *x, struct futex_bucket *y, u64 flags)
{
	if (x != y) {
		if (x > y)
			spin_unlock(&x->lock);
		else
			spin_unlock(&y->lock);
		spin_unlock_irqrestore(x < y ? &x->lock : &y->lock, flags);
		return;
	}
	spin_unlock_irqrestore(&x->lock, flags);
}

/* REQUEUE/CMP_REQUEUE: wake nwake, move up to nmove to uaddr2; the total or -errno. */
static long futex_requeue(uintptr_t uaddr, uintptr_t uaddr2, int nwake, int nmove, bool cmp, u32 val)
{
	struct mm *mm = current_proc()->mm;
	struct futex_key k1, k2;
	struct futex_bucket *b1, *b2;
	struct futex_q *q, *tmp;
	int err, done = 0, moved = 0;
	u32 cur;
	u64 flags;

	if (nwake < 0 || nmove < 0)
		return -EINVAL;
	err = futex_key_of(mm, uaddr, &k1, NULL);
	if (!err)
		err = futex_key_of(mm, uaddr2, &k2, NULL);
	if (err)
		return err;
	b1 = key_bucket(&k1);
	b2 = key_bucket(&k2);
	flags = lock_two(b1, b2);
	if (cmp) {
		physaddr_t pa;

		err = uvm_user_word(mm, uaddr, false, word_read, NULL, &cur, &pa);
		if (err || cur != val) {
			unlock_two(b1, b2, flags);
			return err ? -EFAULT : -EAGAIN;
		}
	}
	list_for_each_entry_safe(q, tmp, &b1->queue, link) {
		if (!key_eq(&q->key, &k1))
			continue;
		if (done < nwake) {
			futex_wake_q(q);
			done++;
		} else if (moved < nmove) {
			list_del_init(&q->link);
			q->key = k2;
			list_add_tail(&q->link, &b2->queue);
			WRITE_ONCE(q->bucket, b2);
			moved++;
		} else {
			break;
		}
	}
	unlock_two(b1, b2, flags);
	return done + moved;
}

struct wake_op_arg {
	u32 op, oparg, cmp, cmparg;
	u32 old;
};

/* Apply the FUTEX_WAKE_OP operation atomically; returns the old value. */
static u32 word_op(volatile u32 *w, void *argp)
{
	struct wake_op_arg *a = argp;
	u32 old = __atomic_load_n(w, __ATOMIC_RELAXED), nv;

	do {
		switch (a->op) {
		case 0: nv = a->oparg; break;		/* SET */
		case 1: nv = old + a->oparg; break;	/* ADD */
		case 2: nv = old | a->oparg; break;	/* OR */
		case 3: nv = old & ~a->oparg; break;	/* ANDN */
		default: nv = old ^ a->oparg; break;	/* XOR */
		}
	} while (!__atomic_compare_exchange_n(w, &old, nv, false, __ATOMIC_SEQ_CST,
					      __ATOMIC_RELAXED));
	return old;
}

static u32 word_ident(volatile u32 *w, void *arg)
{
	(void)arg;
	return *w;
}

static bool wake_op_cmp(const struct wake_op_arg *a, u32 old)
{
	s32 o = (s32)old, c = (s32)a->cmparg;

	switch (a->cmp) {
	case 0: return o == c;
	case 1: return o != c;
	case 2: return o < c;
	case 3: return o <= c;
	case 4: return o > c;
	default: return o >= c;
	}
}

/* FUTEX_WAKE_OP: *uaddr2 op= oparg, wake n on uaddr, and n2 on uaddr2 if the old value matched. */
static long futex_wake_op(uintptr_t uaddr, uintptr_t uaddr2, int n, int n2, u32 encoded)
{
	struct mm *mm = current_proc()->mm;
	struct wake_op_arg a = {
		.op = (encoded >> 28) & 7, .cmp = (encoded >> 24) & 15,
		.oparg = (encoded >> 12) & 0xfff, .cmparg = encoded & 0xfff,
	};
	struct futex_key k1, k2;
	struct futex_bucket *b1, *b2;
	physaddr_t pa;
	u32 old, dummy;
	int err, woken;
	u64 flags;

	if (encoded & (8u << 28))	/* FUTEX_OP_OPARG_SHIFT */
		a.oparg = a.oparg < 32 ? 1u << a.oparg : 0;
	if (a.op > 4 || a.cmp > 5)
		return -ENOSYS;
	err = futex_key_of(mm, uaddr, &k1, NULL);
	if (!err)
		err = futex_key_of(mm, uaddr2, &k2, NULL);
	/* Break copy-on-write before taking the locks (no TLB shootdown under them). */
	if (!err)
		err = uvm_user_word(mm, uaddr2, true, word_ident, NULL, &dummy, &pa);
	if (err)
		return -EFAULT;
	b1 = key_bucket(&k1);
	b2 = key_bucket(&k2);
	flags = lock_two(b1, b2);
	err = uvm_user_word(mm, uaddr2, true, word_op, &a, &old, &pa);
	if (err) {
		unlock_two(b1, b2, flags);
		return -EFAULT;
	}
	woken = wake_key(b1, &k1, n, FUTEX_BITSET_MATCH_ANY);
	if (wake_op_cmp(&a, old))
		woken += wake_key(b2, &k2, n2, FUTEX_BITSET_MATCH_ANY);
	unlock_two(b1, b2, flags);
	return woken;
}

/* Deadline in nsec_since_boot for a user timespec; 0 = none, -errno on bad input. */
static long futex_deadline(const struct abi_timespec *uts, bool absolute, bool realtime, u64 *out)
{
	struct abi_timespec ts;
	s64 ns, now;

	*out = 0;
	if (!uts)
		return 0;
	if (copy_from_user(&ts, uts, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
		return -EINVAL;
	if (ts.tv_sec > 1000000000LL * 100)
		return 0;	/* effectively forever */
	ns = ts.tv_sec * 1000000000LL + ts.tv_nsec;
	now = (s64)nsec_since_boot();
	if (absolute) {
		if (realtime)
			ns = now + (ns - clock_realtime_ns());
	} else {
		ns += now;
	}
	*out = ns > 0 ? (u64)ns : 1;
	return 0;
}

SYSCALL_DEFINE6(futex, u32 *, uaddr, int, op, u32, val, const struct abi_timespec *, uts,
		u32 *, uaddr2, u32, val3)
{
	int cmd = op & FUTEX_CMD_MASK;
	bool realtime = op & FUTEX_CLOCK_REALTIME;
	u64 deadline;
	long err;

	buckets_init();
	if (realtime && cmd != FUTEX_WAIT && cmd != FUTEX_WAIT_BITSET)
		return -ENOSYS;
	switch (cmd) {
	case FUTEX_WAIT:
		err = futex_deadline(uts, false, false, &deadline);
		if (err)
			return err;
		return futex_wait((uintptr_t)uaddr, val, FUTEX_BITSET_MATCH_ANY, deadline, !uts);
	case FUTEX_WAIT_BITSET:
		err = futex_deadline(uts, true, realtime, &deadline);
		if (err)
			return err;
		return futex_wait((uintptr_t)uaddr, val, val3, deadline, true);
	case FUTEX_WAKE:
		return futex_wake_mm(current_proc()->mm, (uintptr_t)uaddr, (int)val, FUTEX_BITSET_MATCH_ANY);
	case FUTEX_WAKE_BITSET:
		return futex_wake_mm(current_proc()->mm, (uintptr_t)uaddr, (int)val, val3);
	case FUTEX_REQUEUE:
		return futex_requeue((uintptr_t)uaddr, (uintptr_t)uaddr2, (int)val,
				     (int)(uintptr_t)uts, false, 0);
	case FUTEX_CMP_REQUEUE:
		return futex_requeue((uintptr_t)uaddr, (uintptr_t)uaddr2, (int)val,
				     (int)(uintptr_t)uts, true, val3);
	case FUTEX_WAKE_OP:
		return futex_wake_op((uintptr_t)uaddr, (uintptr_t)uaddr2, (int)val,
				     (int)(uintptr_t)uts, val3);
	default:
		return -ENOSYS;
	}
}

/* Robust list ABI (struct robust_list_head). */
struct robust_head {
	uintptr_t next;
	long futex_offset;
	uintptr_t list_op_pending;
};

SYSCALL_DEFINE2(set_robust_list, void *, head, size_t, len)
{
	if (len != sizeof(struct robust_head))
		return -EINVAL;
	current()->robust_list = (uintptr_t)head;
	return 0;
}

SYSCALL_DEFINE3(get_robust_list, int, tid, uintptr_t *, head_out, size_t *, len_out)
{
	size_t len = sizeof(struct robust_head);
	uintptr_t head;

	if (tid && tid != current()->tid)
		return -EPERM;	/* only our own list (ptrace is not supported) */
	head = current()->robust_list;
	if (copy_to_user(len_out, &len, sizeof(len)) || copy_to_user(head_out, &head, sizeof(head)))
		return -EFAULT;
	return 0;
}

struct owner_died_arg {
	u32 tid;
	bool had_waiters;
};

/* Mark a robust futex owned by the dead thread; returns 1 if it was ours. */
static u32 word_owner_died(volatile u32 *w, void *argp)
{
	struct owner_died_arg *a = argp;
	u32 old = __atomic_load_n(w, __ATOMIC_RELAXED);

	do {
		if ((old & FUTEX_TID_MASK) != a->tid)
			return 0;
	} while (!__atomic_compare_exchange_n(w, &old, (old & FUTEX_WAITERS) | FUTEX_OWNER_DIED,
					      false, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED));
	a->had_waiters = old & FUTEX_WAITERS;
	return 1;
}

static void robust_release(struct mm *mm, uintptr_t uaddr, u32 tid)
{
	struct owner_died_arg a = { .tid = tid };
	physaddr_t pa;
	u32 mine;

	if (uvm_user_word(mm, uaddr, true, word_owner_died, &a, &mine, &pa) || !mine)
		return;
	if (a.had_waiters)
		futex_wake_mm(mm, uaddr, 1, FUTEX_BITSET_MATCH_ANY);
}

/* Thread exit: release the robust futexes it holds and do the CLEARTID wakeup. */
void futex_thread_exit(struct task *t)
{
	struct mm *mm = t->proc ? t->proc->mm : NULL;
	struct robust_head h;
	uintptr_t e, pending;
	int n = 0;

	if (!mm)
		return;
	buckets_init();
	if (t->robust_list && !uvm_read(mm, t->robust_list, &h, sizeof(h))) {
		pending = h.list_op_pending & ~(uintptr_t)1;
		e = h.next & ~(uintptr_t)1;
		while (e && e != t->robust_list && n++ < ROBUST_LIST_LIMIT) {
			uintptr_t next;

			if (uvm_read(mm, e, &next, sizeof(next)))
				break;
			if (e != pending)
				robust_release(mm, e + h.futex_offset, (u32)t->tid);
			e = next & ~(uintptr_t)1;
		}
		if (pending)
			robust_release(mm, pending + h.futex_offset, (u32)t->tid);
		t->robust_list = 0;
	}
	if (t->clear_child_tid) {
		u32 zero = 0;

		/* Unmapped: nothing to clear or wake, as on Linux. */
		if (!uvm_write(mm, t->clear_child_tid, &zero, sizeof(zero)))
			futex_wake_mm(mm, t->clear_child_tid, 1, FUTEX_BITSET_MATCH_ANY);
		t->clear_child_tid = 0;
	}
}
