/*
 * Time since boot from the TSC.  The TSC is assumed invariant (QEMU and
 * every x86-64 CPU of the last decade); tsc_hz is set once by the
 * calibration in arch/x86/tsc.c before other CPUs start, then read-only.
 */
#include <kern/time.h>
#include <arch/x86.h>

u64 tsc_hz;
u64 boot_tsc;

u64 tsc_to_nsec(u64 ticks)
{
	if (!tsc_hz)
		return 0;
	/* Split so no intermediate overflows: (ticks % hz) * 1e9 < 2^64 for hz < 18 GHz. */
	return ticks / tsc_hz * 1000000000ULL + ticks % tsc_hz * 1000000000ULL / tsc_hz;
}

u64 nsec_since_boot(void)
{
	return tsc_to_nsec(rdtsc() - boot_tsc);
}

void udelay(u64 usec)
{
	u64 start = rdtsc();
	u64 hz = tsc_hz ? tsc_hz : 1000000000ULL;
	u64 ticks = usec / 1000000 * hz + usec % 1000000 * hz / 1000000;

	while (rdtsc() - start < ticks)
		cpu_relax();
}
