/*
 * Time records and clock ids of the Linux x86-64 ABI: struct timespec,
 * timeval, itimerspec, itimerval and tms as the system calls take them,
 * the clock ids of clock_gettime(2) and friends, TIMER_ABSTIME and the
 * interval timer ids.  Mirrors Linux's uapi/linux/time.h,
 * uapi/linux/time_types.h and uapi/linux/times.h.
 */
#ifndef ABI_TIME_H
#define ABI_TIME_H

#include <abi/types.h>

struct abi_timespec {
	abi_s64 tv_sec;
	abi_s64 tv_nsec;
};

struct abi_timeval {
	abi_s64 tv_sec;
	abi_s64 tv_usec;
};

struct abi_itimerspec {
	struct abi_timespec it_interval;
	struct abi_timespec it_value;
};

struct abi_itimerval {
	struct abi_timeval interval, value;
};

/* times(2), in clock ticks (USER_HZ). */
struct abi_tms {
	abi_s64 utime, stime, cutime, cstime;
};

#ifndef CLOCK_REALTIME
#define CLOCK_REALTIME			0
#endif
#ifndef CLOCK_MONOTONIC
#define CLOCK_MONOTONIC			1
#endif
#ifndef CLOCK_PROCESS_CPUTIME_ID
#define CLOCK_PROCESS_CPUTIME_ID	2
#endif
#ifndef CLOCK_THREAD_CPUTIME_ID
#define CLOCK_THREAD_CPUTIME_ID		3
#endif
#ifndef CLOCK_MONOTONIC_RAW
#define CLOCK_MONOTONIC_RAW		4
#endif
#ifndef CLOCK_REALTIME_COARSE
#define CLOCK_REALTIME_COARSE		5
#endif
#ifndef CLOCK_MONOTONIC_COARSE
#define CLOCK_MONOTONIC_COARSE		6
#endif
#ifndef CLOCK_BOOTTIME
#define CLOCK_BOOTTIME			7
#endif
#ifndef CLOCK_REALTIME_ALARM
#define CLOCK_REALTIME_ALARM		8
#endif
#ifndef CLOCK_BOOTTIME_ALARM
#define CLOCK_BOOTTIME_ALARM		9
#endif
#ifndef CLOCK_TAI
#define CLOCK_TAI			11
#endif

/* clock_nanosleep(2) and timer_settime(2) flag: the time is absolute. */
#ifndef TIMER_ABSTIME
#define TIMER_ABSTIME	1
#endif

/* setitimer(2) / getitimer(2) timers. */
#ifndef ITIMER_REAL
#define ITIMER_REAL	0
#endif
#ifndef ITIMER_VIRTUAL
#define ITIMER_VIRTUAL	1
#endif
#ifndef ITIMER_PROF
#define ITIMER_PROF	2
#endif

#endif
