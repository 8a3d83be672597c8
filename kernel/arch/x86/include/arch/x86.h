/*
 * Thin inline wrappers for x86-64 instructions the kernel needs: port I/O,
 * MSRs, control registers, CPUID, interrupt flag, TSC.  No policy here.
 */
#ifndef ARCH_X86_H
#define ARCH_X86_H

#include <kern/types.h>

#define MSR_EFER		0xC0000080
#define MSR_STAR		0xC0000081
#define MSR_LSTAR		0xC0000082
#define MSR_SFMASK		0xC0000084
#define MSR_FS_BASE		0xC0000100
#define MSR_GS_BASE		0xC0000101
#define MSR_KERNEL_GS_BASE	0xC0000102
#define MSR_APIC_BASE		0x1B
#define MSR_TSC_AUX		0xC0000103

#define FL_TF			0x100
#define FL_IF			0x200
#define FL_RF			0x10000
#define CR0_TS			(1UL << 3)
#define CR0_MP			(1UL << 1)
#define CR0_EM			(1UL << 2)
#define CR4_OSFXSR		(1UL << 9)
#define CR4_OSXMMEXCPT		(1UL << 10)
#define CR4_FSGSBASE		(1UL << 16)
#define CR4_OSXSAVE		(1UL << 18)

static inline u8 inb(u16 port)
{
	u8 v;

	__asm__ __volatile__("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outb(u16 port, u8 v)
{
	__asm__ __volatile__("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline u16 inw(u16 port)
{
	u16 v;

	__asm__ __volatile__("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outw(u16 port, u16 v)
{
	__asm__ __volatile__("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline u32 inl(u16 port)
{
	u32 v;

	__asm__ __volatile__("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outl(u16 port, u32 v)
{
	__asm__ __volatile__("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline u64 rdmsr(u32 msr)
{
	u32 lo, hi;

	__asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((u64)hi << 32) | lo;
}

static inline void wrmsr(u32 msr, u64 v)
{
	__asm__ __volatile__("wrmsr" : : "c"(msr), "a"((u32)v), "d"((u32)(v >> 32)));
}

static inline void cpuid(u32 leaf, u32 sub, u32 *a, u32 *b, u32 *c, u32 *d)
{
	u32 ra, rb, rc, rd;

	__asm__ __volatile__("cpuid" : "=a"(ra), "=b"(rb), "=c"(rc), "=d"(rd)
			     : "a"(leaf), "c"(sub));
	if (a)
		*a = ra;
	if (b)
		*b = rb;
	if (c)
		*c = rc;
	if (d)
		*d = rd;
}

static inline u64 rdtsc(void)
{
	u32 lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((u64)hi << 32) | lo;
}

static inline u64 read_flags(void)
{
	u64 f;

	__asm__ __volatile__("pushfq; popq %0" : "=r"(f));
	return f;
}

static inline void cli(void)
{
	__asm__ __volatile__("cli" ::: "memory");
}

static inline void sti(void)
{
	__asm__ __volatile__("sti" ::: "memory");
}

static inline void cpu_relax(void)
{
	__asm__ __volatile__("pause" ::: "memory");
}

static inline void hlt(void)
{
	__asm__ __volatile__("hlt" ::: "memory");
}

#define DEFINE_CR(n)								\
	static inline u64 read_cr##n(void)					\
	{									\
		u64 v;								\
		__asm__ __volatile__("mov %%cr" #n ", %0" : "=r"(v));		\
		return v;							\
	}									\
	static inline void write_cr##n(u64 v)					\
	{									\
		__asm__ __volatile__("mov %0, %%cr" #n : : "r"(v) : "memory");	\
	}
DEFINE_CR(0)
DEFINE_CR(2)
DEFINE_CR(3)
DEFINE_CR(4)
#undef DEFINE_CR

static inline void invlpg(const void *va)
{
	__asm__ __volatile__("invlpg (%0)" : : "r"(va) : "memory");
}

static inline bool irqs_enabled(void)
{
	return read_flags() & FL_IF;
}

/* Disable interrupts; returns the previous flags for local_irq_restore. */
static inline u64 local_irq_save(void)
{
	u64 f = read_flags();

	cli();
	return f;
}

static inline void local_irq_restore(u64 flags)
{
	if (flags & FL_IF)
		sti();
}

#endif
