/*
 * FPU enabling and state save/restore (model in arch/fpu.h).  CR0: EM off,
 * MP and NE on, TS off (no lazy switching: the process layer saves eagerly).
 * CR4: OSFXSR and OSXMMEXCPT, plus OSXSAVE when CPUID.1:ECX.XSAVE is set,
 * in which case XCR0 gets every user component CPUID.(0xD,0) offers out
 * of x87 | SSE | AVX | AVX-512.  The BSP decides fpu_xcr0 and the save size;
 * APs apply the same XCR0 (all our CPUs are identical).
 */
#include <arch/fpu.h>
#include <arch/x86.h>
#include <kern/printk.h>
#include <kern/string.h>

#define CR0_NE		(1UL << 5)
#define XCR0_X87	0x1
#define XCR0_SSE	0x2
#define XCR0_AVX	0x4
#define XCR0_AVX512	0xE0	/* opmask, ZMM_Hi256, Hi16_ZMM */
#define CPUID1_XSAVE	(1u << 26)
#define CPUID1_AVX	(1u << 28)
#define FXSAVE_SIZE	512

u32 fpu_state_size = FXSAVE_SIZE;
bool fpu_have_xsave;
u64 fpu_xcr0;
static bool fpu_decided;

static void xsetbv(u32 reg, u64 v)
{
	__asm__ __volatile__("xsetbv" : : "c"(reg), "a"((u32)v), "d"((u32)(v >> 32)));
}

/* Pick the XCR0 components (BSP); returns false if XSAVE is unusable. */
static bool decide_xsave(void)
{
	u32 ecx, a, b, d;

	cpuid(1, 0, NULL, NULL, &ecx, NULL);
	if (!(ecx & CPUID1_XSAVE))
		return false;
	cpuid(0xD, 0, &a, NULL, NULL, &d);
	(void)d;
	fpu_xcr0 = XCR0_X87 | XCR0_SSE;
	if (ecx & CPUID1_AVX)
		fpu_xcr0 |= a & XCR0_AVX;
	if ((a & XCR0_AVX512) == XCR0_AVX512 && (fpu_xcr0 & XCR0_AVX))
		fpu_xcr0 |= XCR0_AVX512;
	write_cr4(read_cr4() | CR4_OSXSAVE);
	xsetbv(0, fpu_xcr0);
	cpuid(0xD, 0, NULL, &b, NULL, NULL);	/* size for the enabled set */
	if (b > FPU_STATE_MAX) {
		printk("fpu: XSAVE area %u > %u bytes; falling back to FXSAVE\n", b,
		       FPU_STATE_MAX);
		xsetbv(0, XCR0_X87 | XCR0_SSE);
		write_cr4(read_cr4() & ~CR4_OSXSAVE);
		return false;
	}
	fpu_state_size = b;
	return true;
}

void fpu_init_cpu(void)
{
	write_cr0((read_cr0() & ~(CR0_EM | CR0_TS)) | CR0_MP | CR0_NE);
	write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
	if (!fpu_decided) {
		fpu_have_xsave = decide_xsave();
		fpu_decided = true;
		printk("fpu: %s, xcr0 %#llx, %u-byte state\n",
		       fpu_have_xsave ? "XSAVE" : "FXSAVE", fpu_xcr0, fpu_state_size);
	} else if (fpu_have_xsave) {
		write_cr4(read_cr4() | CR4_OSXSAVE);
		xsetbv(0, fpu_xcr0);
	}
	__asm__ __volatile__("fninit");
}

void fpu_save(struct fpu_state *st)
{
	if (fpu_have_xsave)
		__asm__ __volatile__("xsave64 %0" : "=m"(*st) : "a"(0xFFFFFFFFu), "d"(0xFFFFFFFFu)
				     : "memory");
	else
		__asm__ __volatile__("fxsave64 %0" : "=m"(*st) : : "memory");
}

void fpu_restore(const struct fpu_state *st)
{
	if (fpu_have_xsave)
		__asm__ __volatile__("xrstor64 %0" : : "m"(*st), "a"(0xFFFFFFFFu),
				     "d"(0xFFFFFFFFu) : "memory");
	else
		__asm__ __volatile__("fxrstor64 %0" : : "m"(*st) : "memory");
}

void fpu_state_init(struct fpu_state *st)
{
	u16 fcw = 0x37F;
	u32 mxcsr = 0x1F80;

	/* Legacy area: FCW at 0, MXCSR at 24; XSAVE header (at 512) all zero = init state. */
	memset(st, 0, sizeof(*st));
	memcpy(st->area, &fcw, sizeof(fcw));
	memcpy(st->area + 24, &mxcsr, sizeof(mxcsr));
}
