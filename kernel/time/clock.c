/*
 * Clocks.  The kernel's one notion of time is nanoseconds since boot from
 * the TSC (nsec_since_boot, CLOCK_MONOTONIC/_RAW/BOOTTIME).  Wall time
 * (CLOCK_REALTIME) is that plus realtime_offset_ns, which the RTC sets at
 * boot and clock_settime/settimeofday (privileged) replace; so changing
 * the date never disturbs monotonic time.  User and kernel exchange time
 * only as struct timespec/timeval values of these clocks (docs/time.md).
 */
#include <kern/clock.h>
#include <kern/time.h>
#include <kern/printk.h>
#include <kern/init.h>

static s64 realtime_offset_ns;	/* written atomically */

/* Seed CLOCK_REALTIME from the RTC; never fails. */
static int clock_init(void)
{
	u64 unix_s = rtc_read_unix();

	__atomic_store_n(&realtime_offset_ns, (s64)(unix_s * 1000000000ULL) -
			 (s64)nsec_since_boot(), __ATOMIC_RELAXED);
	printk("clock: RTC says %llu s since the epoch\n", unix_s);
	return 0;
}
initcall(clock_init, subsys);

s64 clock_realtime_ns(void)
{
	return (s64)nsec_since_boot() + __atomic_load_n(&realtime_offset_ns, __ATOMIC_RELAXED);
}

void clock_set_realtime_ns(s64 ns)
{
	__atomic_store_n(&realtime_offset_ns, ns - (s64)nsec_since_boot(), __ATOMIC_RELAXED);
}
