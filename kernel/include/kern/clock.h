/* Wall-clock time on top of the monotonic TSC clock (see time/clock.c). */
#ifndef KERN_CLOCK_H
#define KERN_CLOCK_H

#include <kern/types.h>
#include <abi/time.h>

/* Seconds since the Unix epoch according to the RTC, assumed UTC (arch/x86/rtc.c). */
u64 rtc_read_unix(void);
/* Nanoseconds since the epoch. */
s64 clock_realtime_ns(void);
void clock_set_realtime_ns(s64 ns);

#endif
