/* Wall-clock time on top of the monotonic TSC clock (see time/clock.c). */
#ifndef KERN_CLOCK_H
#define KERN_CLOCK_H

#include <kern/types.h>
#include <abi/stat.h>

#define CLOCK_REALTIME			0
#define CLOCK_MONOTONIC			1
#define CLOCK_PROCESS_CPUTIME_ID	2
#define CLOCK_THREAD_CPUTIME_ID		3
#define CLOCK_MONOTONIC_RAW		4
#define CLOCK_REALTIME_COARSE		5
#define CLOCK_MONOTONIC_COARSE		6
#define CLOCK_BOOTTIME			7


struct abi_timeval {
	s64 tv_sec;
	s64 tv_usec;
};

/* Seconds since the Unix epoch according to the RTC, assumed UTC (arch/x86/rtc.c). */
u64 rtc_read_unix(void);
/* Seed CLOCK_REALTIME from the RTC. */
void clock_init(void);
/* Nanoseconds since the epoch. */
s64 clock_realtime_ns(void);
void clock_set_realtime_ns(s64 ns);

#endif
