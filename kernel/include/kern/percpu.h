/*
 * Per-CPU variables: the kernel's one per-CPU mechanism.
 *
 * DEFINE_PER_CPU puts a variable in the .percpu section, which is linked at
 * address 0, so a variable's "address" is its offset in a per-CPU area.
 * Each CPU gets its own copy of the section (copied from the template in
 * the image) and points GS at it; this_cpu_read(var) is then a single
 * %gs-relative access (GCC's __seg_gs address space).  per_cpu(var, cpu)
 * reaches another CPU's copy through __per_cpu_offset[].
 *
 * DEFINE_PER_CPU_FIRST variables come first in the area at fixed offsets;
 * the entry code (syscall, traps) reads them with %gs:OFFSET, so their
 * layout is struct percpu_first, checked by static asserts.
 *
 * The kernel is non-preemptive: code running in thread context stays on
 * its CPU until it blocks, so this_cpu_ptr() results stay valid until then.
 */
#ifndef KERN_PERCPU_H
#define KERN_PERCPU_H

#define MAX_CPUS	64

#ifndef __ASSEMBLER__
#include <kern/types.h>
#include <kern/compiler.h>

#define DEFINE_PER_CPU(type, name) \
	__section(".percpu") __typeof__(type) name
#define DECLARE_PER_CPU(type, name) \
	extern __section(".percpu") __typeof__(type) name
#define DEFINE_PER_CPU_FIRST(type, name) \
	__section(".percpu.first") __typeof__(type) name
#define DECLARE_PER_CPU_FIRST(type, name) \
	extern __section(".percpu.first") __typeof__(type) name

/* Fields the assembly entry paths need at fixed %gs offsets. */
struct percpu_first {
	u64 self;		/* 0x00: base of this CPU's area (= its offset) */
	u64 kstack_top;		/* 0x08: kernel stack for traps from user */
	u64 user_rsp;		/* 0x10: scratch for syscall entry */
	u32 cpu_id;		/* 0x18: logical CPU number */
	u32 in_nmi;		/* 0x1c: nesting depth of NMI handling */
	u64 cur_ctx;		/* 0x20: current user context save area */
};
#endif
#define PERCPU_SELF		0x00
#define PERCPU_KSTACK_TOP	0x08
#define PERCPU_USER_RSP		0x10
#define PERCPU_CPU_ID		0x18
#define PERCPU_IN_NMI		0x1c
#define PERCPU_CUR_CTX		0x20

#ifndef __ASSEMBLER__
DECLARE_PER_CPU_FIRST(struct percpu_first, percpu_first);
STATIC_ASSERT(__builtin_offsetof(struct percpu_first, kstack_top) == PERCPU_KSTACK_TOP);
STATIC_ASSERT(__builtin_offsetof(struct percpu_first, user_rsp) == PERCPU_USER_RSP);
STATIC_ASSERT(__builtin_offsetof(struct percpu_first, cpu_id) == PERCPU_CPU_ID);
STATIC_ASSERT(__builtin_offsetof(struct percpu_first, in_nmi) == PERCPU_IN_NMI);
STATIC_ASSERT(__builtin_offsetof(struct percpu_first, cur_ctx) == PERCPU_CUR_CTX);

extern uintptr_t __per_cpu_offset[MAX_CPUS];

#define __gs_ref(var) \
	(*(volatile __seg_gs __typeof__(var) *)(uintptr_t)&(var))
#define this_cpu_read(var)		(__gs_ref(var))
#define this_cpu_write(var, val)	(__gs_ref(var) = (val))
#define this_cpu_add(var, val)		(__gs_ref(var) += (val))
#define this_cpu_inc(var)		this_cpu_add(var, 1)
#define per_cpu_ptr(ptr, cpu) \
	((__typeof__(ptr))((uintptr_t)(ptr) + __per_cpu_offset[cpu]))
#define per_cpu(var, cpu)		(*per_cpu_ptr(&(var), cpu))
#define this_cpu_ptr(ptr) \
	((__typeof__(ptr))((uintptr_t)(ptr) + this_cpu_read(percpu_first.self)))

/* This CPU's logical number (0 = bootstrap processor). */
static inline int core_id(void)
{
	return this_cpu_read(percpu_first.cpu_id);
}

/* Set up CPU cpu's per-CPU area at base (a copy of the template) and load GS. */
void percpu_init_cpu(int cpu, void *area);
/* Allocate and initialise the area of an application processor; NULL on failure. */
void *percpu_alloc_area(int cpu);
/* Size in bytes of one per-CPU area. */
size_t percpu_area_size(void);
/* Give the BSP its per-CPU area (reserved in .bss); first thing in kmain. */
void percpu_init_bsp(void);
/* Set once the BSP's GS base is loaded: before that, core_id() must not be used. */
extern bool percpu_ready;
#endif

#endif
