/*
 * Mutexes, condition variables, semaphores and barriers that block
 * uthreads, not vcores.  Each has a spinlock over its state and a FIFO of
 * waiting uthreads; a waiter enqueues itself from the vcore stack after it
 * left its own (uthread_switch_out's callback), so a waker can run it at
 * once.  Mutex unlock and semaphore up hand the resource straight to the
 * first waiter (no thundering herd, FIFO fairness).
 */
#include "internal.h"

struct block_args {
	volatile int *lock;
	struct uth_waitq *q;
	struct uth_mutex *release;	/* condvar wait: unlock this too */
};

/* Callback: the uthread is off its stack; queue it and drop the lock(s). */
static void block_cb(struct uthread *ut, void *arg)
{
	struct block_args *a = arg;

	ut->state = UT_BLOCKED;
	dbg_update(ut, MCP_DBG_UT_BLOCKED, ut->vcoreid);
	waitq_push(a->q, ut);
	spin_unlock(a->lock);
	if (a->release)
		uth_mutex_unlock(a->release);
}

/* Block on q; the caller holds lock (taken with spin_lock_notif, vc its result). */
static void block_on(volatile int *lock, struct uth_waitq *q, struct uth_mutex *release)
{
	struct block_args a = { lock, q, release };

	/* notifications stay off: uthread_switch_out keeps them off on the vcore stack */
	uthread_switch_out(block_cb, &a);
}

void uth_mutex_init(struct uth_mutex *m)
{
	*m = (struct uth_mutex)UTH_MUTEX_INIT;
}

bool uth_mutex_trylock(struct uth_mutex *m)
{
	int vc = spin_lock_notif(&m->lock);
	bool got = !m->locked;

	m->locked = 1;
	spin_unlock_notif(&m->lock, vc);
	return got;
}

void uth_mutex_lock(struct uth_mutex *m)
{
	int vc = spin_lock_notif(&m->lock);

	if (!m->locked) {
		m->locked = 1;
		spin_unlock_notif(&m->lock, vc);
		return;
	}
	block_on(&m->lock, &m->waiters, NULL);	/* woken as the owner */
}

void uth_mutex_unlock(struct uth_mutex *m)
{
	int vc = spin_lock_notif(&m->lock);
	struct uthread *w = waitq_pop(&m->waiters);

	if (!w)
		m->locked = 0;
	spin_unlock_notif(&m->lock, vc);
	if (w)
		uthread_runnable(w);
}

void uth_cond_init(struct uth_cond *cv)
{
	*cv = (struct uth_cond)UTH_COND_INIT;
}

void uth_cond_wait(struct uth_cond *cv, struct uth_mutex *m)
{
	spin_lock_notif(&cv->lock);
	block_on(&cv->lock, &cv->waiters, m);
	uth_mutex_lock(m);
}

void uth_cond_signal(struct uth_cond *cv)
{
	int vc = spin_lock_notif(&cv->lock);
	struct uthread *w = waitq_pop(&cv->waiters);

	spin_unlock_notif(&cv->lock, vc);
	if (w)
		uthread_runnable(w);
}

void uth_cond_broadcast(struct uth_cond *cv)
{
	int vc = spin_lock_notif(&cv->lock);
	struct uthread *w = cv->waiters.head;

	cv->waiters.head = cv->waiters.tail = NULL;
	spin_unlock_notif(&cv->lock, vc);
	while (w) {
		struct uthread *next = w->next;

		uthread_runnable(w);
		w = next;
	}
}

void uth_sem_init(struct uth_sem *s, long count)
{
	s->lock = 0;
	s->count = count;
	s->waiters.head = s->waiters.tail = NULL;
}

void uth_sem_down(struct uth_sem *s)
{
	int vc = spin_lock_notif(&s->lock);

	if (s->count > 0) {
		s->count--;
		spin_unlock_notif(&s->lock, vc);
		return;
	}
	block_on(&s->lock, &s->waiters, NULL);	/* woken holding the unit */
}

void uth_sem_up(struct uth_sem *s)
{
	int vc = spin_lock_notif(&s->lock);
	struct uthread *w = waitq_pop(&s->waiters);

	if (!w)
		s->count++;
	spin_unlock_notif(&s->lock, vc);
	if (w)
		uthread_runnable(w);
}

void uth_barrier_init(struct uth_barrier *b, unsigned total)
{
	uth_mutex_init(&b->m);
	uth_cond_init(&b->cv);
	b->count = 0;
	b->total = total;
	b->gen = 0;
}

bool uth_barrier_wait(struct uth_barrier *b)
{
	unsigned long gen;
	bool last = false;

	uth_mutex_lock(&b->m);
	gen = b->gen;
	if (++b->count == b->total) {
		b->count = 0;
		b->gen++;
		last = true;
		uth_cond_broadcast(&b->cv);
	} else {
		while (gen == b->gen)
			uth_cond_wait(&b->cv, &b->m);
	}
	uth_mutex_unlock(&b->m);
	return last;
}
