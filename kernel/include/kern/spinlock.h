/*
 * Ticket spinlocks.  spin_lock() may be used only where no IRQ handler
 * takes the same lock; spin_lock_irqsave() disables interrupts first and is
 * the variant for anything shared with IRQ context.  Locks record their
 * holder's CPU so a deadlock on the same CPU panics instead of hanging.
 * NMI handlers must never take a spinlock (printk has its own rules).
 */
#ifndef KERN_SPINLOCK_H
#define KERN_SPINLOCK_H

#include <kern/types.h>
#include <kern/compiler.h>

struct spinlock {
	u32 next;		/* next ticket to hand out */
	u32 owner;		/* ticket now being served */
	s32 holder;		/* CPU holding it, -1 if free (debug only) */
	const char *name;
};

#define SPINLOCK_INITIALIZER(n)	{ .next = 0, .owner = 0, .holder = -1, .name = (n) }

void spinlock_init(struct spinlock *l, const char *name);
void spin_lock(struct spinlock *l);
/* Take the lock only if it is free; true on success. */
bool spin_trylock(struct spinlock *l);
void spin_unlock(struct spinlock *l);
bool spin_locked(struct spinlock *l);
/* Disable IRQs, then lock; returns the flags to give back to spin_unlock_irqrestore. */
u64 spin_lock_irqsave(struct spinlock *l);
void spin_unlock_irqrestore(struct spinlock *l, u64 flags);

#endif
