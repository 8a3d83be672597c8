/*
 * TSC calibration.  Preference order: CPUID leaf 0x15 (crystal clock and
 * TSC/crystal ratio: exact), leaf 0x16 (nominal base MHz), the HPET, PIT
 * channel 2.  Measured references take the median of several short runs
 * so one preempted run (QEMU TCG, busy host) does not skew the result.
 * Runs once on the BSP before other CPUs start; tsc_hz is read-only after.
 */
#include <arch/tsc.h>
#include <arch/x86.h>
#include <kern/printk.h>
#include <kern/time.h>

#define PIT_HZ		1193182ULL
#define PIT_CH2		0x42
#define PIT_CMD		0x43
#define PIT_GATE	0x61
#define CAL_RUNS	5
#define CAL_MS		10
#define FALLBACK_HZ	2000000000ULL

/* TSC ticks during CAL_MS of PIT channel 2 (mode 0 countdown, polled OUT2). */
static u64 pit_measure(void)
{
	u32 count = PIT_HZ * CAL_MS / 1000;
	u64 t0, t1;
	u32 spins = 0;

	outb(PIT_GATE, (inb(PIT_GATE) & ~0x02) | 0x01);	/* gate on, speaker off */
	outb(PIT_CMD, 0xB0);				/* ch2, lo/hi, mode 0, binary */
	outb(PIT_CH2, count & 0xFF);
	outb(PIT_CH2, count >> 8);
	t0 = rdtsc();
	while (!(inb(PIT_GATE) & 0x20))
		if (++spins > 100000000)
			return 0;
	t1 = rdtsc();
	return (t1 - t0) * (1000 / CAL_MS);
}

/* TSC rate measured over CAL_MS of the HPET counter. */
static u64 hpet_measure(void)
{
	u64 want = hpet_hz * CAL_MS / 1000, h0, t0, h1, t1;
	u32 spins = 0;

	h0 = hpet_read();
	t0 = rdtsc();
	do {
		h1 = hpet_read();
		t1 = rdtsc();
		if (++spins > 100000000)
			return 0;	/* counter stuck */
	} while (h1 - h0 < want);
	return (t1 - t0) * hpet_hz / (h1 - h0);
}

static u64 median_of_runs(u64 (*measure)(void))
{
	u64 v[CAL_RUNS] = { 0 };

	for (int i = 0; i < CAL_RUNS; i++) {
		u64 x = measure();
		int j = i;

		while (j > 0 && v[j - 1] > x) {
			v[j] = v[j - 1];
			j--;
		}
		v[j] = x;
	}
	return v[CAL_RUNS / 2];
}

/* TSC Hz from CPUID 0x15/0x16, 0 if the CPU does not say. */
static u64 cpuid_tsc_hz(const char **src)
{
	u32 max, a, b, c;

	cpuid(0, 0, &max, NULL, NULL, NULL);
	if (max >= 0x15) {
		cpuid(0x15, 0, &a, &b, &c, NULL);
		if (a && b && c) {
			*src = "CPUID 0x15";
			return (u64)c * b / a;
		}
	}
	if (max >= 0x16) {
		cpuid(0x16, 0, &a, NULL, NULL, NULL);
		if (a & 0xFFFF) {
			*src = "CPUID 0x16";
			return (u64)(a & 0xFFFF) * 1000000;
		}
	}
	return 0;
}

void tsc_calibrate(void)
{
	const char *src = NULL;
	u64 hz = cpuid_tsc_hz(&src);

	if (!hz && !hpet_init()) {
		hz = median_of_runs(hpet_measure);
		src = "HPET";
	}
	if (!hz) {
		hz = median_of_runs(pit_measure);
		src = "PIT";
	}
	if (!hz) {
		hz = FALLBACK_HZ;
		src = "a guess: no reference clock answered";
	}
	tsc_hz = hz;
	printk("tsc: %llu.%03llu MHz (%s)\n", hz / 1000000, hz / 1000 % 1000, src);
}
