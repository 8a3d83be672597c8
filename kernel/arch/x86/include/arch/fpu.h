/*
 * FPU/SSE/AVX state for user contexts.  The kernel itself is built with
 * -mgeneral-regs-only and never touches these registers; they belong to
 * whatever user context runs on the CPU, and the process layer saves and
 * restores them with fpu_save/fpu_restore on context switch.  With XSAVE
 * the set of components is every user component the CPU supports (x87,
 * SSE, AVX, AVX-512), enabled in XCR0 on every CPU by fpu_init_cpu; without
 * it, FXSAVE's 512-byte legacy area.
 */
#ifndef ARCH_FPU_H
#define ARCH_FPU_H

#include <kern/types.h>
#include <kern/compiler.h>

#define FPU_STATE_MAX	4096

struct fpu_state {
	u8 area[FPU_STATE_MAX];
} __aligned(64);

/* Enable x87/SSE (and XSAVE + AVX when present) on this CPU; BSP first. */
void fpu_init_cpu(void);
/* Save this CPU's FPU registers into st. */
void fpu_save(struct fpu_state *st);
/* Load this CPU's FPU registers from st (which must come from fpu_save or fpu_state_init). */
void fpu_restore(const struct fpu_state *st);
/* Fill st with the clean initial state (default control words, all zero). */
void fpu_state_init(struct fpu_state *st);
/* Bytes of st that fpu_save writes. */
extern u32 fpu_state_size;
extern bool fpu_have_xsave;
extern u64 fpu_xcr0;

#endif
