/*
 * Per-CPU areas (see kern/percpu.h for the model).  The BSP's area is
 * reserved by the linker in .bss so per-CPU variables work from the first
 * line of kmain; application processors get theirs from kmalloc when they
 * are brought up.  Each area starts as a copy of the .percpu template in
 * the image, which nobody writes to.
 */
#include <kern/percpu.h>
#include <kern/string.h>
#include <kern/kmalloc.h>
#include <arch/x86.h>
#include <kern/sections.h>

uintptr_t __per_cpu_offset[MAX_CPUS];
DEFINE_PER_CPU_FIRST(struct percpu_first, percpu_first);

size_t percpu_area_size(void)
{
	return (uintptr_t)__percpu_end - (uintptr_t)__percpu_start;
}

void percpu_init_cpu(int cpu, void *area)
{
	uintptr_t base = (uintptr_t)area;
	struct percpu_first *first = (struct percpu_first *)(base + (uintptr_t)&percpu_first);

	memcpy(area, __percpu_load, percpu_area_size());
	first->self = base;
	first->cpu_id = cpu;
	__per_cpu_offset[cpu] = base;
	wrmsr(MSR_GS_BASE, base);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
}

/* Give the BSP its per-CPU area; called first thing in kmain. */
void percpu_init_bsp(void)
{
	percpu_init_cpu(0, __bsp_percpu_area);
	percpu_ready = true;
}

void *percpu_alloc_area(int cpu)
{
	size_t size = percpu_area_size();
	void *area;
	struct percpu_first *first;

	if (cpu <= 0 || cpu >= MAX_CPUS)
		return NULL;
	/* kmalloc objects of >= 64 bytes are 64-byte aligned, as .percpu needs. */
	area = kmalloc(MAX(size, (size_t)64), MEM_WAIT);
	if (!area)
		return NULL;
	memcpy(area, __percpu_load, size);
	first = (struct percpu_first *)((uintptr_t)area + (uintptr_t)&percpu_first);
	first->self = (uintptr_t)area;
	first->cpu_id = cpu;
	__per_cpu_offset[cpu] = (uintptr_t)area;
	return area;
}
