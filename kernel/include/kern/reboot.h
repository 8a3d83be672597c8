/*
 * Leaving the machine: powering it off (reboot(2) with
 * LINUX_REBOOT_CMD_POWER_OFF) and QEMU's isa-debug-exit, which ends a test
 * boot with a status for tools/qemu-run.  Both are arch/x86/debug_exit.c.
 */
#ifndef KERN_REBOOT_H
#define KERN_REBOOT_H

#include <kern/compiler.h>

/* Exit QEMU with status (isa-debug-exit); on hardware without it, halt. */
void __noreturn arch_debug_exit(int status);
/* Power off (ACPI S5 at QEMU's PM1a ports), else debug-exit 0, else halt. */
void __noreturn arch_power_off(void);

#endif
