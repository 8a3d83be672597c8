/*
 * kmalloc/kfree/krealloc/ksize.  Small requests (<= KMALLOC_MAX_SIZE) come
 * from the slab cache of their power-of-two class through a per-CPU object
 * cache: each CPU keeps up to PCPU_OBJS objects per class, touched only
 * with interrupts disabled on that CPU, and moves PCPU_BATCH objects at a
 * time to or from the shared slab cache.  Bigger requests are whole buddy
 * blocks (up to 2^(MAX_ORDER-1) pages).  The page allocator's per-page tag
 * tells kfree/ksize which kind an address is.
 *
 * Flags: MEM_ATOMIC fails with NULL when memory is short.  MEM_WAIT would
 * sleep in mem_wait_for_memory() (see pmm.c); with no scheduler yet it
 * fails like MEM_ATOMIC but never silently: it warns.  Impossible sizes
 * (more than RAM, or more than the largest buddy block) return NULL with a
 * warning under MEM_WAIT.  Flags without either bit panic at run time (and
 * do not compile when constant, see kern/kmalloc.h).
 */
#include <kern/kmalloc.h>
#include <kern/pmm.h>
#include <kern/percpu.h>
#include <kern/memlayout.h>
#include <kern/moncmd.h>
#include <kern/printk.h>
#include <kern/string.h>
#include <arch/x86.h>
#include "slab.h"

#define PCPU_OBJS	16
#define PCPU_BATCH	8

struct kmalloc_pcpu {
	void *objs[KMALLOC_NCLASSES][PCPU_OBJS];	/* this CPU only, IRQs off */
	u32 n[KMALLOC_NCLASSES];
};
static DEFINE_PER_CPU(struct kmalloc_pcpu, kmalloc_pcpu);

static bool kmalloc_ready;
static size_t large_allocs, large_pages;	/* updated atomically; statistics only */

void kmalloc_init(void)
{
	slab_init();
	kmalloc_ready = true;
}

static void check_flags(int flags, const char *who)
{
	if (!(flags & (MEM_WAIT | MEM_ATOMIC)))
		panic("%s: flags %#x have neither MEM_WAIT nor MEM_ATOMIC", who, flags);
	if (!kmalloc_ready)
		panic("%s called before kmalloc_init", who);
}

/* Page-level allocation for big requests; NULL (with a warning under MEM_WAIT) on failure. */
static void *large_alloc(size_t size, int flags)
{
	int order = kmalloc_large_order(size, MAX_ORDER - 1);
	physaddr_t pa;

	if (size / PGSIZE >= pmm_total_pages() || order < 0) {
		if (flags & MEM_WAIT)
			warn("kmalloc: %zu bytes can never be satisfied (%s)\n", size,
			     size / PGSIZE >= pmm_total_pages() ? "more than RAM" :
			     "larger than the biggest block");
		return NULL;
	}
	pa = __page_alloc(order, flags & (MEM_WAIT | MEM_ATOMIC));
	if (!pa)
		return NULL;
	*pmm_page_tag(pa) = PAGE_TAG_LARGE | order;
	__atomic_add_fetch(&large_allocs, 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&large_pages, (size_t)1 << order, __ATOMIC_RELAXED);
	return KADDR(pa);
}

/* One object of class cls, from this CPU's cache or the slab cache; NULL on failure. */
static void *small_alloc(int cls, int flags)
{
	struct kmem_cache *c = &kmem_caches[cls];
	void *batch[PCPU_BATCH], *obj = NULL;
	int got;
	u64 irq;

	if (percpu_ready) {
		irq = local_irq_save();
		struct kmalloc_pcpu *pc = this_cpu_ptr(&kmalloc_pcpu);

		if (pc->n[cls])
			obj = pc->objs[cls][--pc->n[cls]];
		local_irq_restore(irq);
		if (obj)
			return obj;
	}
	got = slab_take(c, batch, percpu_ready ? PCPU_BATCH : 1, flags);
	if (!got) {
		if (flags & MEM_WAIT)
			warn("kmalloc: out of memory for a %zu-byte object\n", c->size);
		return NULL;
	}
	obj = batch[--got];
	if (got) {
		irq = local_irq_save();
		struct kmalloc_pcpu *pc = this_cpu_ptr(&kmalloc_pcpu);
		int room = MIN(got, (int)(PCPU_OBJS - pc->n[cls]));

		for (int i = 0; i < room; i++)
			pc->objs[cls][pc->n[cls]++] = batch[--got];
		local_irq_restore(irq);
		if (got)
			slab_give(c, batch, got);
	}
	return obj;
}

static void small_free(int cls, void *p)
{
	struct kmem_cache *c = &kmem_caches[cls];
	void *batch[PCPU_BATCH];
	int n = 0;
	u64 irq;

	if (!percpu_ready) {
		slab_give(c, &p, 1);
		return;
	}
	irq = local_irq_save();
	struct kmalloc_pcpu *pc = this_cpu_ptr(&kmalloc_pcpu);

	if (pc->n[cls] == PCPU_OBJS)
		while (n < PCPU_BATCH)
			batch[n++] = pc->objs[cls][--pc->n[cls]];
	pc->objs[cls][pc->n[cls]++] = p;
	local_irq_restore(irq);
	if (n)
		slab_give(c, batch, n);
}

void *__kmalloc(size_t size, int flags)
{
	int cls;
	void *p;

	check_flags(flags, "kmalloc");
	cls = kmalloc_class(size);
	p = cls < 0 ? large_alloc(size, flags) : small_alloc(cls, flags);
	if (p && (flags & MEM_ZERO))
		memset(p, 0, ksize(p));
	return p;
}

void *__kzmalloc(size_t size, int flags)
{
	return __kmalloc(size, flags | MEM_ZERO);
}

/* The page tag of p, or panic if p cannot be a kmalloc pointer. */
static u16 tag_of(const void *p, const char *who)
{
	uintptr_t va = (uintptr_t)p;
	u16 *tag;

	if (va < KERNBASE || va >= KERNBASE + KERN_DMAP_SIZE)
		panic("%s: %p is not a kmalloc address", who, p);
	tag = pmm_page_tag(va - KERNBASE);
	if (!tag || !*tag)
		panic("%s: %p is not a kmalloc address (page not owned by kmalloc)", who, p);
	if ((*tag & PAGE_TAG_LARGE) && (va & (PGSIZE - 1)))
		panic("%s: %p points inside a %lu-page allocation", who, p,
		      1UL << (*tag & PAGE_TAG_ARG));
	return *tag;
}

size_t ksize(const void *p)
{
	u16 tag = tag_of(p, "ksize");

	if (tag & PAGE_TAG_LARGE)
		return (size_t)PGSIZE << (tag & PAGE_TAG_ARG);
	return kmem_caches[tag & PAGE_TAG_ARG].size;
}

void kfree(void *p)
{
	u16 tag;

	if (!p)
		return;
	tag = tag_of(p, "kfree");
	if (tag & PAGE_TAG_SLAB) {
		small_free(tag & PAGE_TAG_ARG, p);
		return;
	}
	int order = tag & PAGE_TAG_ARG;

	*pmm_page_tag(PADDR(p)) = 0;
	__atomic_sub_fetch(&large_allocs, 1, __ATOMIC_RELAXED);
	__atomic_sub_fetch(&large_pages, (size_t)1 << order, __ATOMIC_RELAXED);
	page_free(PADDR(p), order);
}

void *__krealloc(void *p, size_t size, int flags)
{
	size_t old;
	void *n;

	check_flags(flags, "krealloc");
	if (!p)
		return __kmalloc(size, flags);
	old = ksize(p);
	if (size <= old)
		return p;
	n = __kmalloc(size, flags & ~MEM_ZERO);
	if (!n)
		return NULL;
	memcpy(n, p, old);
	if (flags & MEM_ZERO)
		memset((char *)n + old, 0, ksize(n) - old);
	kfree(p);
	return n;
}

void kmalloc_print_stats(void)
{
	printk("kmalloc caches: size  slabs  objs/slab  in-use  free-in-slabs  cpu-cached\n");
	for (int i = 0; i < KMALLOC_NCLASSES; i++) {
		struct kmem_cache *c = &kmem_caches[i];
		size_t cached = 0, nslabs, inuse;
		u64 irq = spin_lock_irqsave(&c->lock);

		nslabs = c->nslabs;
		inuse = c->inuse;
		spin_unlock_irqrestore(&c->lock, irq);
		for (int cpu = 0; cpu < MAX_CPUS; cpu++)
			if (__per_cpu_offset[cpu])
				cached += READ_ONCE(per_cpu(kmalloc_pcpu, cpu).n[i]);
		printk("               %5zu  %5zu  %9u  %6zu  %13zu  %10zu\n", c->size, nslabs,
		       c->per_slab, inuse - cached, nslabs * c->per_slab - inuse, cached);
	}
	printk("kmalloc large: %zu allocations, %zu pages\n", READ_ONCE(large_allocs),
	       READ_ONCE(large_pages));
}
