/*
 * Glue between the process layer and arch/x86/fpu.c: task save areas,
 * resetting the registers on exec, the signal-frame image (validated
 * before it is loaded, since it comes from user memory: a bad MXCSR or
 * XSAVE header would otherwise fault inside the kernel), and AT_HWCAP.
 */
#include <kern/fpu_state.h>
#include <kern/kmalloc.h>
#include <kern/string.h>
#include <kern/sched.h>
#include <arch/x86.h>

#define MXCSR_OFFSET		24
#define XSAVE_HDR_OFFSET	512

struct fpu_state *fpu_state_alloc(void)
{
	struct fpu_state *st = kmalloc(sizeof(*st), MEM_WAIT);

	if (st)
		fpu_state_init(st);
	return st;
}

void arch_fpu_reset_current(void)
{
	struct task *t = current();

	if (!t->fpu)
		return;
	fpu_state_init(t->fpu);
	fpu_restore(t->fpu);
}

size_t arch_fpu_sig_size(void)
{
	return fpu_state_size;
}

void arch_fpu_sigsave(void *buf)
{
	fpu_save(buf);
}

/* Validate a user-supplied image and load it; false if it is malformed. */
bool arch_fpu_sigrestore(const void *buf)
{
	const u8 *b = buf;
	u32 mxcsr;

	memcpy(&mxcsr, b + MXCSR_OFFSET, sizeof(mxcsr));
	if (mxcsr & 0xffff0000)
		return false;
	if (fpu_have_xsave) {
		u64 bv, comp;

		memcpy(&bv, b + XSAVE_HDR_OFFSET, 8);
		memcpy(&comp, b + XSAVE_HDR_OFFSET + 8, 8);
		if ((bv & ~fpu_xcr0) || comp)
			return false;
		for (int i = 16; i < 64; i++)
			if (b[XSAVE_HDR_OFFSET + i])
				return false;
	}
	fpu_restore(buf);
	return true;
}

u64 arch_hwcap(void)
{
	u32 edx;

	cpuid(1, 0, NULL, NULL, NULL, &edx);
	return edx;
}
