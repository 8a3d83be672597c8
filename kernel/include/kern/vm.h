/*
 * Kernel page tables.  vm_init() replaces the boot page tables with the
 * kernel's own: the kernel image at KERN_LOAD_ADDR (text read-only and
 * executable, data no-execute) and all RAM at KERNBASE.  MMIO is mapped
 * uncached on request.
 */
#ifndef KERN_VM_H
#define KERN_VM_H

#include <kern/types.h>
#include <kern/compiler.h>

#define PTE_P		0x001ULL
#define PTE_W		0x002ULL
#define PTE_U		0x004ULL
#define PTE_PWT		0x008ULL
#define PTE_PCD		0x010ULL
#define PTE_A		0x020ULL
#define PTE_D		0x040ULL
#define PTE_PS		0x080ULL
#define PTE_G		0x100ULL
#define PTE_NX		(1ULL << 63)
#define PTE_ADDR_MASK	0x000ffffffffff000ULL

/* Physical address of the kernel's PML4 (every CPU loads it). */
extern physaddr_t kern_pml4_pa;

/* Build and load the kernel page tables; max_pa is the top of RAM. */
void vm_init(physaddr_t max_pa);
/* Map size bytes of device memory at pa uncached; returns the virtual address or NULL. */
void *mmio_map(physaddr_t pa, size_t size);
/* Leaf PTE for va in the page table rooted at pml4_pa, or NULL (no allocation). */
u64 *pgdir_walk_lookup(physaddr_t pml4_pa, uintptr_t va);

/* True if every byte of [va, va+len) is mapped in the current address space. */
bool vm_kernel_range_mapped(uintptr_t va, size_t len);

#endif
