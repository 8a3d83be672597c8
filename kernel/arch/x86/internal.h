/*
 * What the files of kernel/arch/x86 share and nothing outside them uses:
 * symbols defined by the assembly (boot stub, AP trampoline, trap and
 * syscall entry stubs) that the C side of the arch layer fills in or points
 * the hardware at.  The arch interface the rest of the kernel sees is in
 * arch/x86/include/arch/ and, for hooks generic code calls, kern/ headers.
 */
#ifndef KERNEL_ARCH_X86_INTERNAL_H
#define KERNEL_ARCH_X86_INTERNAL_H

#include <kern/types.h>

/* boot.S: the boot PML4 (identity, direct map and kernel image). */
extern char boot_pml4[];

/*
 * smpboot.S: the real-mode AP trampoline, copied to physical 0x8000, and
 * the variables inside it that the BSP fills before each SIPI.
 */
extern char smpboot_start[], smpboot_end[];
extern u64 smpboot_cr3, smpboot_stack, smpboot_entry, smpboot_cpu;

/* trap_entry.S: 256 entry stubs, 16 bytes apart, one per IDT vector. */
extern char trap_stubs[];

/* syscall_entry.S: the SYSCALL instruction's target (MSR_LSTAR). */
extern char syscall_entry[];

#endif
