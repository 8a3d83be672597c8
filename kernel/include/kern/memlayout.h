/*
 * Kernel virtual memory layout.
 *
 * The kernel image is linked at KERN_LOAD_ADDR + its physical load address
 * (the top 2 GiB, as -mcmodel=kernel requires).  All of physical memory is
 * also mapped linearly at KERNBASE (the "direct map"), so physical page P is
 * always reachable at KADDR(P).  User space owns the lower canonical half.
 * This header is included by assembly too, so it holds only #defines.
 */
#ifndef KERN_MEMLAYOUT_H
#define KERN_MEMLAYOUT_H

#define KERN_LOAD_ADDR		0xffffffff80000000
#define KERN_PHYS_LOAD		0x100000
#define KERNBASE		0xffff800000000000
/* Direct map covers up to this much physical memory (512 GiB: one PML4 slot). */
#define KERN_DMAP_SIZE		0x8000000000
/* MMIO mappings (uncached) are handed out above the direct map. */
#define KERN_MMIO_BASE		0xffffc00000000000
#define KERN_MMIO_SIZE		0x0000008000000000
#define ULIM			0x00007ffffffff000

#define PGSHIFT			12
#define PGSIZE			4096
#define LPGSIZE			0x200000
#define KSTACK_PAGES		4
#define KSTACK_SIZE		(KSTACK_PAGES * PGSIZE)

/* Where the AP startup trampoline is copied (must be below 1 MiB, page aligned). */
#define SMP_TRAMPOLINE_PA	0x8000

#ifndef __ASSEMBLER__
#include <stdint.h>
/* Direct-map virtual address of physical address pa. */
#define KADDR(pa)	((void *)((uintptr_t)(pa) + KERNBASE))
/* Physical address of a direct-map or kernel-image virtual address va. */
static inline uintptr_t PADDR(const void *va)
{
	uintptr_t v = (uintptr_t)va;

	if (v >= KERN_LOAD_ADDR)
		return v - KERN_LOAD_ADDR;
	return v - KERNBASE;
}
#endif

#endif
