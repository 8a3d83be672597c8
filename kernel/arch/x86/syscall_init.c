/*
 * Per-CPU setup of the SYSCALL instruction: EFER.SCE, the kernel/user
 * selector bases in STAR (SYSRET's layout wants user data at +8 and
 * 64-bit user code at +16 from GD_UT32), the entry point in LSTAR, and the
 * rflags bits cleared on entry (IF, TF, DF, AC, NT, IOPL) in SFMASK.
 */
#include <arch/x86.h>
#include <arch/trap.h>
#include <kern/syscall.h>
#include "internal.h"

void syscall_init_cpu(void)
{
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | 1);
	wrmsr(MSR_STAR, ((u64)(GD_UT32 | 3) << 48) | ((u64)GD_KT << 32));
	wrmsr(MSR_LSTAR, (u64)syscall_entry);
	wrmsr(MSR_SFMASK, 0x47700);
}
