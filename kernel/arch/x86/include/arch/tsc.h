/*
 * Boot-time clock calibration: the TSC rate (kern/time.h tsc_hz) from
 * CPUID leaves 0x15/0x16 when the CPU reports it, else measured against
 * the HPET (if ACPI lists one) or PIT channel 2.
 */
#ifndef ARCH_TSC_H
#define ARCH_TSC_H

#include <kern/types.h>

/* Set tsc_hz; BSP, once, after acpi_init.  Never fails (falls back to a guess). */
void tsc_calibrate(void);

/* HPET main counter (hpet.c): 0 from hpet_init if usable, else -ENODEV. */
int hpet_init(void);
/* Counter frequency in Hz (0 if no HPET). */
extern u64 hpet_hz;
u64 hpet_read(void);

#endif
