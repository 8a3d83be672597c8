/*
 * One-shot kernel timers on the monotonic clock, run from the scheduler
 * tick (resolution: one tick).  fn runs in interrupt context with no locks
 * held and may re-arm its timer.  Used for ITIMER_REAL/alarm.
 */
#ifndef KERN_KTIMER_H
#define KERN_KTIMER_H

#include <kern/types.h>
#include <kern/list.h>

struct ktimer {
	u64 deadline_ns;		/* nsec_since_boot() at which fn runs */
	void (*fn)(struct ktimer *t);
	struct list_head link;		/* on the armed list, under the timer lock */
	bool armed;
	bool running;			/* fn is executing (cancel waits for it) */
};

void ktimer_init(struct ktimer *t, void (*fn)(struct ktimer *t));
/* (Re)arm t to fire at deadline_ns. */
void ktimer_arm(struct ktimer *t, u64 deadline_ns);
/* Disarm t and wait for a running fn; returns the nanoseconds it had left (0 if not armed).
 * Not from t's own fn or IRQ context. */
u64 ktimer_cancel(struct ktimer *t);

#endif
