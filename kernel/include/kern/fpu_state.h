/*
 * Process-layer view of user FPU state: allocation of a task's save area
 * and the arch operations the scheduler, fork, exec and signal frames use.
 * The layout and instructions are arch/x86's (arch/fpu.h).
 */
#ifndef KERN_FPU_STATE_H
#define KERN_FPU_STATE_H

#include <kern/types.h>
#include <arch/fpu.h>

/* A save area holding the clean initial state; NULL when memory is short. */
struct fpu_state *fpu_state_alloc(void);
/* exec: reset the current task's FPU registers and save area to the initial state. */
void arch_fpu_reset_current(void);
/* Bytes of FPU state a signal frame carries (fpu_state_size). */
size_t arch_fpu_sig_size(void);
/* Save this CPU's FPU registers into buf (64-byte aligned, arch_fpu_sig_size bytes). */
void arch_fpu_sigsave(void *buf);
/* Validate a user-supplied image and load it; false if it is malformed. */
bool arch_fpu_sigrestore(const void *buf);
/* AT_HWCAP for the auxiliary vector (CPUID.1:EDX on x86). */
u64 arch_hwcap(void);

#endif
