/*
 * Ticket spinlock implementation (see kern/spinlock.h for the rules).
 * Taking a lock this CPU already holds is a guaranteed deadlock, so it
 * panics with the lock's name instead.
 */
#include <kern/spinlock.h>
#include <kern/percpu.h>
#include <kern/printk.h>
#include <kern/smp.h>
#include <arch/x86.h>

static int self_id(void)
{
	return percpu_ready ? core_id() : 0;
}

void spinlock_init(struct spinlock *l, const char *name)
{
	l->next = 0;
	l->owner = 0;
	l->holder = -1;
	l->name = name;
}

void spin_lock(struct spinlock *l)
{
	u32 ticket = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);

	if (unlikely(READ_ONCE(l->holder) == self_id() && ticket != READ_ONCE(l->owner)))
		panic("spinlock %s: recursive acquire on CPU %d", l->name ? l->name : "?",
		      self_id());
	/* The holder may be waiting for this CPU's TLB flush (kern/smp.h). */
	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != ticket) {
		tlb_shootdown_poll();
		cpu_relax();
	}
	WRITE_ONCE(l->holder, self_id());
}

bool spin_trylock(struct spinlock *l)
{
	u32 owner = __atomic_load_n(&l->owner, __ATOMIC_RELAXED);
	u32 expect = owner;

	if (!__atomic_compare_exchange_n(&l->next, &expect, owner + 1, false,
					 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return false;
	WRITE_ONCE(l->holder, self_id());
	return true;
}

void spin_unlock(struct spinlock *l)
{
	WRITE_ONCE(l->holder, -1);
	__atomic_store_n(&l->owner, l->owner + 1, __ATOMIC_RELEASE);
}

bool spin_locked(struct spinlock *l)
{
	return READ_ONCE(l->owner) != READ_ONCE(l->next);
}

u64 spin_lock_irqsave(struct spinlock *l)
{
	u64 flags = local_irq_save();

	spin_lock(l);
	return flags;
}

void spin_unlock_irqrestore(struct spinlock *l, u64 flags)
{
	spin_unlock(l);
	local_irq_restore(flags);
}
