/*
 * Physical page allocator: the buddy core (buddy.c) behind one IRQ-safe
 * spinlock, plus the MEM_WAIT/MEM_ATOMIC policy.
 *
 * pmm_init() gets the free RAM regions, carves the buddy metadata out of
 * the first one that fits below 4 GiB and hands every region below 4 GiB to
 * the buddy.  Regions above 4 GiB are held back until pmm_init_late(),
 * called after vm_init(): until then only the boot page tables' direct map
 * (0..4 GiB) exists, and the first users (vm_init's page tables) write to
 * the pages they get.
 *
 * MEM_WAIT: a failed MEM_WAIT allocation calls mem_wait_for_memory(),
 * which returns false at once, and then fails with a warning -- i.e.
 * MEM_WAIT today behaves like MEM_ATOMIC that never panics, because some
 * callers hold spinlocks across it (see kern/kmalloc.h).  User memory
 * shortages are handled by the OOM killer (mm/oom.c) instead.
 */
#include <kern/pmm.h>
#include <kern/memlayout.h>
#include <kern/spinlock.h>
#include <kern/printk.h>
#include <kern/string.h>
#include "buddy.h"

#define BOOT_DMAP_LIMIT	0x100000000ULL	/* boot page tables map 0..4 GiB at KERNBASE */
#define MAX_LATE	64

static struct spinlock pmm_lock = SPINLOCK_INITIALIZER("pmm");
static struct buddy pmm;		/* protected by pmm_lock */
static bool pmm_ready;
static struct mem_region late[MAX_LATE];	/* regions above 4 GiB, until pmm_init_late */
static int nlate;

bool mem_wait_for_memory(int flags)
{
	/* Would sleep until pages are freed (true: retry); never does, see above. */
	(void)flags;
	return false;
}

void pmm_init(const struct mem_region *free, int nfree)
{
	physaddr_t lo = (physaddr_t)-1, hi = 0, meta_pa = 0;
	size_t meta_size;

	for (int i = 0; i < nfree; i++) {
		if (!free[i].len)
			continue;
		lo = MIN(lo, free[i].base);
		hi = MAX(hi, free[i].base + free[i].len);
	}
	if (hi <= lo)
		panic("pmm: no usable RAM");
	meta_size = ROUNDUP(buddy_meta_size(lo, hi), PGSIZE);
	for (int i = 0; i < nfree && !meta_pa; i++)
		if (free[i].len >= meta_size && free[i].base + meta_size <= BOOT_DMAP_LIMIT)
			meta_pa = free[i].base;
	if (!meta_pa)
		panic("pmm: no room below 4 GiB for %zu bytes of page metadata", meta_size);
	buddy_init(&pmm, lo, hi, KADDR(meta_pa));
	for (int i = 0; i < nfree; i++) {
		u64 base = free[i].base, end = free[i].base + free[i].len;

		if (base == meta_pa)
			base += meta_size;
		if (end > BOOT_DMAP_LIMIT) {
			u64 split = MAX(base, BOOT_DMAP_LIMIT);

			if (nlate < MAX_LATE)
				late[nlate++] = (struct mem_region){ split, end - split };
			else
				printk("pmm: too many regions above 4 GiB; dropping %llx..%llx\n",
				       split, end);
			end = split;
		}
		if (end > base)
			buddy_add_range(&pmm, base, end - base);
	}
	pmm_ready = true;
}

void pmm_init_late(void)
{
	u64 flags = spin_lock_irqsave(&pmm_lock);

	for (int i = 0; i < nlate; i++)
		buddy_add_range(&pmm, late[i].base, late[i].len);
	nlate = 0;
	spin_unlock_irqrestore(&pmm_lock, flags);
}

physaddr_t __page_alloc(int order, int flags)
{
	physaddr_t pa;

	if (!(flags & (MEM_WAIT | MEM_ATOMIC)))
		panic("page_alloc: flags %#x have neither MEM_WAIT nor MEM_ATOMIC", flags);
	if (!pmm_ready)
		panic("page_alloc before pmm_init");
	if (order < 0 || order >= MAX_ORDER) {
		if (flags & MEM_WAIT)
			warn("page_alloc: order %d is impossible (max %d)\n", order, MAX_ORDER - 1);
		return 0;
	}
	do {
		u64 irq = spin_lock_irqsave(&pmm_lock);

		if ((flags & MEM_USER) && pmm.free_pages < PMM_RESERVE_PAGES + (1UL << order))
			pa = 0;
		else
			pa = buddy_alloc(&pmm, order);
		spin_unlock_irqrestore(&pmm_lock, irq);
		if (!pa && (flags & MEM_USER))
			return 0;	/* user requests never wait on the reserve; the OOM path decides */
	} while (!pa && (flags & MEM_WAIT) && mem_wait_for_memory(flags));
	if (!pa) {
		if (flags & MEM_WAIT)
			warn("page_alloc: out of memory (order %d, %zu pages free)\n", order,
			     pmm_free_pages());
		return 0;
	}
	if (flags & MEM_ZERO)
		memset(KADDR(pa), 0, PGSIZE << order);
	return pa;
}

void page_free(physaddr_t pa, int order)
{
	u64 irq = spin_lock_irqsave(&pmm_lock);
	int err = buddy_free(&pmm, pa, order);

	spin_unlock_irqrestore(&pmm_lock, irq);
	if (err)
		panic("page_free: %lx order %d was not allocated with that order (double free?)",
		      (unsigned long)pa, order);
}

u16 *pmm_page_tag(physaddr_t pa)
{
	struct buddy_page *p = buddy_page_of(&pmm, pa);

	return p ? &p->tag : NULL;
}

size_t pmm_free_pages(void)
{
	return READ_ONCE(pmm.free_pages);
}

size_t pmm_total_pages(void)
{
	return READ_ONCE(pmm.total_pages);
}

void pmm_print_stats(void)
{
	size_t nfree[MAX_ORDER], free_pages, total;
	u64 irq = spin_lock_irqsave(&pmm_lock);

	memcpy(nfree, pmm.nfree, sizeof(nfree));
	free_pages = pmm.free_pages;
	total = pmm.total_pages;
	spin_unlock_irqrestore(&pmm_lock, irq);
	printk("pages: %zu total (%zu MiB), %zu free (%zu MiB), %zu in use\n", total,
	       total >> 8, free_pages, free_pages >> 8, total - free_pages);
	printk("free blocks per order:");
	for (int k = 0; k < MAX_ORDER; k++)
		printk(" %d:%zu", k, nfree[k]);
	printk("\n");
}
