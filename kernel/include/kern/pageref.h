/*
 * Reference counts on physical pages mapped into user address spaces.
 * A page from page_alloc starts at count 1 when mapped; fork's COW sharing
 * increments it; unmapping decrements it, and the last put frees it.
 */
#ifndef KERN_PAGEREF_H
#define KERN_PAGEREF_H

#include <kern/types.h>

/* Size the table for physical addresses below max_pa; panics if it cannot. */
void pageref_init(physaddr_t max_pa);
void page_ref_set(physaddr_t pa, u32 count);
void page_get(physaddr_t pa);
/* Drop a reference; frees the page when it was the last one. */
void page_put(physaddr_t pa);
u32 page_refcount(physaddr_t pa);

#endif
