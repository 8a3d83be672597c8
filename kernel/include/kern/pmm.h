/*
 * Physical page allocator (buddy system over the RAM the boot loader
 * reported).  Pages are addressed by physical address; KADDR() gives the
 * direct-map pointer.  Same MEM_WAIT/MEM_ATOMIC rules as kmalloc.
 */
#ifndef KERN_PMM_H
#define KERN_PMM_H

#include <kern/types.h>
#include <kern/kmalloc.h>

#define MAX_ORDER	11	/* blocks of 2^0 .. 2^10 pages (4 KiB .. 4 MiB) */

struct mem_region {
	u64 base, len;
};

/* Hand free RAM regions (after the kernel image and modules are excluded) to the allocator. */
void pmm_init(const struct mem_region *free, int nfree);
/* 2^order contiguous pages; returns the physical address or 0 on failure. */
physaddr_t __page_alloc(int order, int flags);
#define page_alloc(order, flags)	({ MEM_FLAGS_CHECK(flags); __page_alloc(order, flags); })
void page_free(physaddr_t pa, int order);
/* Free and total page counts. */
size_t pmm_free_pages(void);
size_t pmm_total_pages(void);
/* Print free block counts per order. */
void pmm_print_stats(void);

#endif
