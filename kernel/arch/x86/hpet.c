/*
 * HPET main counter, used only as a calibration reference for the TSC.
 * The block's address comes from the ACPI HPET table; the capabilities
 * register gives the counter period in femtoseconds.  The counter is
 * started (if the firmware left it stopped) and never stopped again.
 */
#include <arch/tsc.h>
#include <kern/acpi.h>
#include <kern/errno.h>
#include <kern/memlayout.h>
#include <kern/vm.h>
#include <kern/printk.h>

#define HPET_CAP	0x000
#define HPET_CONFIG	0x010
#define HPET_COUNTER	0x0F0
#define HPET_ENABLE	0x1
#define FS_PER_SEC	1000000000000000ULL
#define MAX_PERIOD_FS	100000000ULL	/* spec: at most 100 ns per tick */

u64 hpet_hz;
static volatile u64 *hpet;

int hpet_init(void)
{
	u64 period;

	if (!acpi_info.have_hpet || acpi_info.hpet_addr >= 0x100000000ULL)
		return -ENODEV;
	hpet = mmio_map(acpi_info.hpet_addr, PGSIZE);
	if (!hpet)
		return -ENODEV;
	period = hpet[HPET_CAP / 8] >> 32;
	if (!period || period > MAX_PERIOD_FS) {
		printk("hpet: bad counter period %llu fs; not used\n", period);
		hpet = NULL;
		return -ENODEV;
	}
	hpet_hz = FS_PER_SEC / period;
	hpet[HPET_CONFIG / 8] |= HPET_ENABLE;
	return 0;
}

u64 hpet_read(void)
{
	return hpet ? hpet[HPET_COUNTER / 8] : 0;
}
