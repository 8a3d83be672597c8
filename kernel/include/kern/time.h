/*
 * Kernel time.  The kernel keeps time as TSC ticks since boot; tsc_hz
 * (calibrated at boot) converts.  nsec_since_boot() is the monotonic clock
 * that everything else is derived from.
 */
#ifndef KERN_TIME_H
#define KERN_TIME_H

#include <kern/types.h>

extern u64 tsc_hz;
extern u64 boot_tsc;

/* Nanoseconds since boot_tsc (monotonic). */
u64 nsec_since_boot(void);
/* Convert TSC ticks to nanoseconds without overflow. */
u64 tsc_to_nsec(u64 ticks);
/* Busy-wait for usec microseconds. */
void udelay(u64 usec);

#endif
