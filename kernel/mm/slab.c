/*
 * Slab caches (model in slab.h).  A cache keeps only partially free slabs
 * on a list; a full slab is off every list until one of its objects comes
 * back.  At most one empty slab per cache is kept for reuse; further empty
 * slabs go straight back to the page allocator.  All list and counter
 * changes happen under the cache's IRQ-safe lock; new slab pages are
 * allocated with the lock dropped so a MEM_WAIT allocation could sleep.
 */
#include "slab.h"
#include <kern/pmm.h>
#include <kern/memlayout.h>
#include <kern/printk.h>

struct kmem_cache kmem_caches[KMALLOC_NCLASSES];

void slab_init(void)
{
	for (int i = 0; i < KMALLOC_NCLASSES; i++) {
		struct kmem_cache *c = &kmem_caches[i];

		spinlock_init(&c->lock, "kmem_cache");
		c->cls = i;
		c->size = kmalloc_class_size(i);
		c->order = kmalloc_slab_order(i, sizeof(struct slab));
		c->per_slab = kmalloc_slab_objects(i, sizeof(struct slab));
		c->offset = kmalloc_slab_offset(i, sizeof(struct slab));
	}
}

struct slab *slab_of(struct kmem_cache *c, const void *p)
{
	return (struct slab *)((uintptr_t)p & ~((uintptr_t)(PGSIZE << c->order) - 1));
}

static void partial_add(struct kmem_cache *c, struct slab *s)
{
	s->prev = NULL;
	s->next = c->partial;
	if (s->next)
		s->next->prev = s;
	c->partial = s;
}

static void partial_del(struct kmem_cache *c, struct slab *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		c->partial = s->next;
	if (s->next)
		s->next->prev = s->prev;
	s->next = s->prev = NULL;
}

/* A new empty slab for c, not yet on any list; NULL if no pages. */
static struct slab *slab_new(struct kmem_cache *c, int flags)
{
	physaddr_t pa = page_alloc(c->order, (flags & (MEM_WAIT | MEM_ATOMIC)));
	struct slab *s;
	char *obj;

	if (!pa)
		return NULL;
	for (int i = 0; i < (1 << c->order); i++)
		*pmm_page_tag(pa + (physaddr_t)i * PGSIZE) = PAGE_TAG_SLAB | c->cls;
	s = KADDR(pa);
	s->next = s->prev = NULL;
	s->inuse = 0;
	s->total = c->per_slab;
	s->free = NULL;
	obj = (char *)s + c->offset + (size_t)(c->per_slab - 1) * c->size;
	for (u32 i = 0; i < c->per_slab; i++, obj -= c->size) {
		*(void **)obj = s->free;
		s->free = obj;
	}
	return s;
}

int slab_take(struct kmem_cache *c, void **objs, int n, int flags)
{
	int got = 0;

	for (;;) {
		u64 irq = spin_lock_irqsave(&c->lock);

		while (got < n && c->partial) {
			struct slab *s = c->partial;

			if (s->inuse == 0)
				c->nempty--;
			while (got < n && s->free) {
				objs[got++] = s->free;
				s->free = *(void **)s->free;
				s->inuse++;
				c->inuse++;
			}
			if (!s->free)
				partial_del(c, s);
		}
		spin_unlock_irqrestore(&c->lock, irq);
		if (got)
			return got;
		struct slab *s = slab_new(c, flags);

		if (!s)
			return 0;
		irq = spin_lock_irqsave(&c->lock);
		partial_add(c, s);
		c->nslabs++;
		c->nempty++;
		spin_unlock_irqrestore(&c->lock, irq);
	}
}

void slab_give(struct kmem_cache *c, void *const *objs, int n)
{
	struct slab *release[8];
	int nrel = 0;
	u64 irq = spin_lock_irqsave(&c->lock);

	for (int i = 0; i < n; i++) {
		struct slab *s = slab_of(c, objs[i]);
		uintptr_t off = (uintptr_t)objs[i] - (uintptr_t)s;

		if (off < c->offset || (off - c->offset) % c->size || s->inuse == 0)
			panic("kfree: %p is not a live %zu-byte object", objs[i], c->size);
		if (!s->free)
			partial_add(c, s);
		*(void **)objs[i] = s->free;
		s->free = objs[i];
		s->inuse--;
		c->inuse--;
		if (s->inuse)
			continue;
		if (c->nempty == 0 || nrel == (int)ARRAY_SIZE(release)) {
			c->nempty++;
			continue;
		}
		partial_del(c, s);
		c->nslabs--;
		release[nrel++] = s;
	}
	spin_unlock_irqrestore(&c->lock, irq);
	for (int i = 0; i < nrel; i++) {
		physaddr_t pa = PADDR(release[i]);

		for (int pg = 0; pg < (1 << c->order); pg++)
			*pmm_page_tag(pa + (physaddr_t)pg * PGSIZE) = 0;
		page_free(pa, c->order);
	}
}
