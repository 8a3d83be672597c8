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

#endif
