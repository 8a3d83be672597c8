/*
 * Buddy allocator core (model and state encoding in buddy.h).  Free
 * blocks of each order sit on a doubly linked list threaded through the
 * external page metadata, so allocation pops a list head and splits it
 * down, and freeing merges with the buddy while the buddy is a free block
 * of the same order.  Arch-independent: tests/unit/test_buddy.c runs it on
 * the host with fake physical addresses.
 */
#include "buddy.h"
#include <kern/errno.h>
#include <kern/compiler.h>

#define TOP_ORDER	(MAX_ORDER - 1)
#define ALIGN_PAGES	(1UL << TOP_ORDER)

static size_t span_pages(physaddr_t lo, physaddr_t hi, physaddr_t *base)
{
	physaddr_t b = lo & ~((physaddr_t)(ALIGN_PAGES << BUDDY_PGSHIFT) - 1);

	if (base)
		*base = b;
	if (hi <= b)
		return 0;
	return (hi - b + BUDDY_PGSIZE - 1) >> BUDDY_PGSHIFT;
}

size_t buddy_meta_size(physaddr_t lo, physaddr_t hi)
{
	return span_pages(lo, hi, NULL) * sizeof(struct buddy_page);
}

void buddy_init(struct buddy *b, physaddr_t lo, physaddr_t hi, void *meta)
{
	b->npages = span_pages(lo, hi, &b->base);
	b->pages = meta;
	for (size_t i = 0; i < b->npages; i++)
		b->pages[i] = (struct buddy_page){ BUDDY_NIL, BUDDY_NIL, 0, 0, 0 };
	for (int k = 0; k < MAX_ORDER; k++) {
		b->free_head[k] = BUDDY_NIL;
		b->nfree[k] = 0;
	}
	b->free_pages = 0;
	b->total_pages = 0;
}

static void list_push(struct buddy *b, u32 idx, int order)
{
	struct buddy_page *p = &b->pages[idx];

	p->state = BUDDY_FREE | order;
	p->prev = BUDDY_NIL;
	p->next = b->free_head[order];
	if (p->next != BUDDY_NIL)
		b->pages[p->next].prev = idx;
	b->free_head[order] = idx;
	b->nfree[order]++;
	b->free_pages += (size_t)1 << order;
}

static void list_remove(struct buddy *b, u32 idx, int order)
{
	struct buddy_page *p = &b->pages[idx];

	if (p->prev != BUDDY_NIL)
		b->pages[p->prev].next = p->next;
	else
		b->free_head[order] = p->next;
	if (p->next != BUDDY_NIL)
		b->pages[p->next].prev = p->prev;
	p->next = p->prev = BUDDY_NIL;
	p->state = 0;
	b->nfree[order]--;
	b->free_pages -= (size_t)1 << order;
}

/* Put the block at idx (order) on the free lists, merging upwards. */
static void free_block(struct buddy *b, u32 idx, int order)
{
	while (order < TOP_ORDER) {
		u32 buddy = idx ^ (1U << order);

		if (buddy >= b->npages || b->pages[buddy].state != (BUDDY_FREE | order))
			break;
		list_remove(b, buddy, order);
		idx &= ~(1U << order);
		order++;
	}
	list_push(b, idx, order);
}

size_t buddy_add_range(struct buddy *b, physaddr_t pa, u64 len)
{
	physaddr_t top = b->base + ((physaddr_t)b->npages << BUDDY_PGSHIFT);
	physaddr_t lo = (pa + BUDDY_PGSIZE - 1) & ~(BUDDY_PGSIZE - 1);
	physaddr_t hi;
	size_t added = 0;

	if (check_add_overflow(pa, (physaddr_t)len, &hi))
		hi = (physaddr_t)-1;
	hi &= ~(BUDDY_PGSIZE - 1);
	lo = MAX(lo, b->base);
	hi = MIN(hi, top);
	if (lo >= hi)
		return 0;
	u32 idx = (lo - b->base) >> BUDDY_PGSHIFT;
	u32 end = (hi - b->base) >> BUDDY_PGSHIFT;

	while (idx < end) {
		int order = TOP_ORDER;

		while (order > 0 && ((idx & ((1U << order) - 1)) || idx + (1U << order) > end))
			order--;
		/* Adding a page twice would corrupt the lists: skip heads already known. */
		if (b->pages[idx].state == 0) {
			free_block(b, idx, order);
			added += (size_t)1 << order;
		}
		idx += 1U << order;
	}
	b->total_pages += added;
	return added;
}

physaddr_t buddy_alloc(struct buddy *b, int order)
{
	int k = order;

	if (order < 0 || order > TOP_ORDER)
		return 0;
	while (k <= TOP_ORDER && b->free_head[k] == BUDDY_NIL)
		k++;
	if (k > TOP_ORDER)
		return 0;
	u32 idx = b->free_head[k];

	list_remove(b, idx, k);
	while (k > order) {
		k--;
		list_push(b, idx + (1U << k), k);
	}
	b->pages[idx].state = BUDDY_ALLOC | order;
	return b->base + ((physaddr_t)idx << BUDDY_PGSHIFT);
}

int buddy_free(struct buddy *b, physaddr_t pa, int order)
{
	struct buddy_page *p = buddy_page_of(b, pa);

	if (!p || (pa & (BUDDY_PGSIZE - 1)) || order < 0 || order > TOP_ORDER)
		return -EINVAL;
	if (p->state != (BUDDY_ALLOC | order))
		return -EINVAL;
	p->state = 0;
	p->tag = 0;
	free_block(b, (u32)(p - b->pages), order);
	return 0;
}

struct buddy_page *buddy_page_of(struct buddy *b, physaddr_t pa)
{
	if (pa < b->base)
		return NULL;
	physaddr_t idx = (pa - b->base) >> BUDDY_PGSHIFT;

	return idx < b->npages ? &b->pages[idx] : NULL;
}
