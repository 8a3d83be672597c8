/*
 * Slab caches behind kmalloc (private to kernel/mm).  One kmem_cache per
 * size class; each slab is a buddy block (naturally aligned, so an
 * object's slab header is found by masking its address) whose pages carry
 * the tag PAGE_TAG_SLAB | class in the page allocator's metadata.
 */
#ifndef KERN_MM_SLAB_H
#define KERN_MM_SLAB_H

#include <kern/types.h>
#include <kern/spinlock.h>
#include "kmalloc_class.h"

#define PAGE_TAG_SLAB	0x4000	/* | class, on every page of a slab */
#define PAGE_TAG_LARGE	0x8000	/* | order, on the head page of a page-level kmalloc */
#define PAGE_TAG_ARG	0x00ff

struct slab {
	struct slab *next, *prev;	/* on the cache's partial list (slabs with free objects) */
	void *free;			/* free objects, linked through their first word */
	u32 inuse;			/* objects handed out (per-CPU cached ones included) */
	u32 total;
};

struct kmem_cache {
	struct spinlock lock;		/* protects everything below */
	size_t size;			/* object size */
	int cls, order;			/* size class; slab size is 2^order pages */
	u32 per_slab;
	u32 offset;			/* first object's offset in the slab */
	struct slab *partial;		/* slabs with at least one free object */
	size_t nslabs, nempty;		/* all slabs; slabs with inuse == 0 */
	size_t inuse;			/* objects handed out (per-CPU cached included) */
};

extern struct kmem_cache kmem_caches[KMALLOC_NCLASSES];

void slab_init(void);
/* Take up to n objects of cache c into objs (allocating a slab with flags if needed); returns the count, 0 on OOM. */
int slab_take(struct kmem_cache *c, void **objs, int n, int flags);
/* Return n objects to their slabs; panics on a pointer that is not an object of c. */
void slab_give(struct kmem_cache *c, void *const *objs, int n);
/* Slab containing object p of cache c. */
struct slab *slab_of(struct kmem_cache *c, const void *p);

#endif
