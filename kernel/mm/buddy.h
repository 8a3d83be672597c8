/*
 * Buddy allocator core, shared by the kernel's physical page allocator
 * (pmm.c) and the host unit tests.  It knows nothing about locks or how to
 * reach memory: it manages page numbers in [base, base + npages * 4 KiB)
 * and never touches the pages themselves.  Its bookkeeping lives in an
 * external array of struct buddy_page (one per page, sized by
 * buddy_meta_size()), holding the free-list links of free block heads and
 * a state byte per page:
 *
 *   0                 page is not the head of any block (interior, hole, or
 *                     never added)
 *   BUDDY_FREE|k      head of a free block of 2^k pages, on free_head[k]
 *   BUDDY_ALLOC|k     head of an allocated block of 2^k pages
 *
 * base is aligned to the largest block size, so a block of order k is
 * always physically aligned to 2^k pages and its buddy is index ^ 2^k.
 * Freeing checks the head state, which catches double frees, frees of
 * interior pages and frees with the wrong order.  The caller serialises
 * every call (pmm.c holds a spinlock).
 */
#ifndef KERN_MM_BUDDY_H
#define KERN_MM_BUDDY_H

#include <kern/types.h>
#include <kern/pmm.h>

#define BUDDY_PGSHIFT	12
#define BUDDY_PGSIZE	(1UL << BUDDY_PGSHIFT)
#define BUDDY_NIL	0xffffffffU
#define BUDDY_FREE	0x40
#define BUDDY_ALLOC	0x80
#define BUDDY_ORDER_MASK 0x3f

struct buddy_page {
	u32 next, prev;		/* free-list links (page indices), heads of free blocks only */
	u8 state;		/* see above */
	u8 pad;
	u16 tag;		/* owner's tag (kmalloc); the buddy code never reads it */
};

struct buddy {
	physaddr_t base;		/* address of page index 0, aligned to 2^(MAX_ORDER-1) pages */
	size_t npages;			/* pages covered by pages[] (managed or not) */
	struct buddy_page *pages;
	u32 free_head[MAX_ORDER];	/* first free block of each order, BUDDY_NIL if none */
	size_t nfree[MAX_ORDER];	/* number of free blocks of each order */
	size_t free_pages;		/* pages in free blocks */
	size_t total_pages;		/* pages ever added with buddy_add_range */
};

/* Bytes of metadata needed to manage physical addresses [lo, hi). */
size_t buddy_meta_size(physaddr_t lo, physaddr_t hi);
/* Set up b for [lo, hi) with an empty free list; meta must hold buddy_meta_size() bytes. */
void buddy_init(struct buddy *b, physaddr_t lo, physaddr_t hi, void *meta);
/* Give the whole pages inside [pa, pa+len) to the allocator; returns pages added (0 if outside). */
size_t buddy_add_range(struct buddy *b, physaddr_t pa, u64 len);
/* Allocate 2^order pages; returns their address, or 0 if none (or order is invalid). */
physaddr_t buddy_alloc(struct buddy *b, int order);
/* Free a block from buddy_alloc; 0, or -EINVAL on a double free, bad address or wrong order. */
int buddy_free(struct buddy *b, physaddr_t pa, int order);
/* Metadata of the page containing pa, or NULL if pa is outside the covered range. */
struct buddy_page *buddy_page_of(struct buddy *b, physaddr_t pa);

#endif
