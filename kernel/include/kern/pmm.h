/*
 * Physical page allocator (buddy system over the RAM the boot loader
 * reported).  Pages are addressed by physical address; KADDR() gives the
 * direct-map pointer.  Same MEM_WAIT/MEM_ATOMIC rules as kmalloc; a block
 * of 2^order pages is aligned to its size.  Freeing with the wrong order,
 * twice, or an address that page_alloc never returned panics.
 *
 * Boot order (mm_init() does all of it): pmm_init() with the regions below
 * 4 GiB usable at once, vm_init(), pmm_init_late() for RAM above 4 GiB,
 * kmalloc_init().
 */
#ifndef KERN_PMM_H
#define KERN_PMM_H

#include <kern/types.h>
#include <kern/kmalloc.h>

/* Pages kept back from MEM_USER allocations (4 MiB): the kernel's OOM reserve. */
#define PMM_RESERVE_PAGES	1024
#define MAX_ORDER	11	/* blocks of 2^0 .. 2^10 pages (4 KiB .. 4 MiB) */

struct mem_region {
	u64 base, len;
};

/* Kill the biggest process unless one is already dying (mm/oom.c); false if no candidate. */
bool oom_kill(void);

/* Bring up the whole memory subsystem from boot_info (pmm, page tables, kmalloc); panics on failure. */
void mm_init(void);
/* Hand free RAM regions (after the kernel image and modules are excluded) to the allocator. */
void pmm_init(const struct mem_region *free, int nfree);
/* Add the regions above 4 GiB held back by pmm_init (call once the direct map covers them). */
void pmm_init_late(void);
/* Scheduler hook: wait until memory may have been freed; false if waiting is impossible (today: always). */
bool mem_wait_for_memory(int flags);
/* Owner tag word of the page at pa (kmalloc's per-page info), NULL if pa is not managed RAM. */
u16 *pmm_page_tag(physaddr_t pa);
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
