/*
 * Leaving QEMU from inside the guest: QEMU's isa-debug-exit device (added
 * by tools/qemu-run at port 0xF4) exits the emulator with (value << 1) | 1,
 * which qemu-run maps back to value.  On hardware without it the write is
 * ignored and the CPU halts.
 */
#include <kern/reboot.h>
#include <arch/x86.h>

#define DEBUG_EXIT_PORT	0xF4

void arch_debug_exit(int status)
{
	cli();
	outl(DEBUG_EXIT_PORT, (u32)status);
	for (;;)
		hlt();
}

/*
 * Power off.  The generic path needs the \_S5 sleep type from the DSDT's
 * AML, which we do not interpret yet; QEMU's chipsets use sleep type 0 at
 * fixed PM1a control ports (ICH9 on q35: 0x604, PIIX4 on pc: 0xB004), so
 * those are tried, then isa-debug-exit, then a halt.
 */
void arch_power_off(void)
{
	cli();
	outw(0x604, 0x2000);	/* SLP_EN | SLP_TYP 0 */
	outw(0xB004, 0x2000);
	arch_debug_exit(0);
}
